"""A certificate of optimality for an assignment found on a subset of the pairs.

The assignment problem with capacities is the linear programme

    maximise   sum over pairs of (B + s[m, v]) x[m, v]
    subject to sum over v of x[m, v] <= 1 (every mentee m),
               sum over m of x[m, v] <= c[v] (every volunteer v, c = remaining capacity),
               x >= 0,

whose optimum is integral (the constraint matrix is totally unimodular).
Here s is a pair's value (its score in units, plus the urgency bonus:
:func:`~matching.scoring.pair_objective`, at most OBJECTIVE_UNITS). Every
matched pair earns ``B = (n + 1)(OBJECTIVE_UNITS + 1)`` (n = free mentees)
on top of it: an augmenting path changes the value sum by less than
``n * OBJECTIVE_UNITS < B``, so an optimum of this programme matches as many
mentees as possible and, among those assignments, maximises the total
value — the contract's lexicographic objective, as one linear objective.

Its dual: ``u[m] >= 0``, ``p[v] >= 0`` with ``u[m] + p[v] >= B + s[m, v]``
for every proposable pair, minimising ``sum u + sum c p``. An assignment x
and duals (u, p) with equal objective values prove each other optimal
(weak duality), whatever pairs x was computed from.

So: solve on a candidate subset C (:mod:`matching.assignment`); compute duals
that are optimal for C (:func:`duals`, shortest paths in the residual graph of
the assignment); check every pair *outside* C against them. Pairs outside C
are bounded by :class:`~matching.candidates.Candidates` (no left-out pair of
m scores more than ``row_bound[m]``, none of v more than ``column_bound[v]``)
and only the rows and columns where a violation is still possible are
crossed (:func:`violators`). Pairs violating ``u + p >= B + s`` join C and
the subset problem is solved again; when none is left, the duals are
feasible for *every* pair and the assignment is optimal: proven gap 0. If a
round limit stops the loop first, raising each ``u[m]`` by its worst
violation makes the duals feasible, and the dual objective minus the
assignment's value bounds what could still be gained (:func:`dual_bound`).

Where many pairs tie, nearly every left-out pair sits at the duals' edge:
its bound exceeds ``u + p - B`` by the bound's own slack and no more, and
proving that none violates means scoring all of them (750 million when
50,000 x 20,000 people give the same answers). Given a ``tolerance``,
pairs that could violate by at most that much are not checked one by one;
raising the duals of one side by at most the tolerance covers them
(:func:`tie_allowance`), and what that adds to the dual objective is part
of the proven gap.

All values are integers below 2**53 and held as float64: sums are exact.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .assignment import coverage_cut, occurring, solve_sparse
from .candidates import Candidates, Scanner, cross_pairs, scan_pairs, top_per_owner
from .constraints import feasible_pairs
from .scoring import OBJECTIVE_UNITS, SCORE_UNITS, pair_objective, pair_scores, urgent_served

COVERAGE_PER_MENTEE = 5
COVERAGE_PER_VOLUNTEER = 10
"""Pairs across the coverage cut kept per round (:func:`coverage_pairs`)."""
DIRECT_PAIRS = 1 << 20
"""Pairs across the coverage cut checked one by one rather than by the block scan, up to this many:
where places are scarce, the cut leaves a few volunteers with a place left (3 of 20,000 in a district of
50,000 mentees), and grouping the mentees and gathering each group's side cost more (0.5 s) than
checking their pairs with those few (150,000)."""


def big_m(free_mentees: int) -> float:
    """Weight of one matched pair: more than any score difference along an augmenting path."""
    return float((free_mentees + 1) * (OBJECTIVE_UNITS + 1))


def _shortest_from_root(
    tails: np.ndarray, heads: np.ndarray, weights: np.ndarray, n: int, max_rounds: int | None = None
) -> np.ndarray | None:
    """Distances from node 0 (negative weights allowed, no negative cycle): label correcting.

    Each round relaxes the edges out of the nodes improved in the round
    before, all at once (vectorised Bellman–Ford–Moore). Still improving after
    ``max_rounds`` rounds: None (perhaps a negative cycle). After n rounds
    there is one for sure (the assignment was not optimal): RuntimeError.
    The edges are sorted by tail in place, one array at a time: millions of
    them held twice were the run's peak of memory (places for 79 %, 50,000 x 20,000).
    """
    order = np.argsort(tails, kind="stable")
    for edges in (tails, heads, weights):
        edges[:] = edges[order]
    del order
    starts = np.searchsorted(tails, np.arange(n + 1))
    distance = np.full(n, np.inf)
    distance[0] = 0.0
    frontier = np.zeros(1, dtype=np.int64)
    for rounds in range(n + 1):
        if max_rounds is not None and rounds == max_rounds:
            return None
        begin, count = starts[frontier], starts[frontier + 1] - starts[frontier]
        edge = np.repeat(begin - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
        if not len(edge):
            return distance
        target, reached = heads[edge], distance[tails[edge]] + weights[edge]
        better = reached < distance[target]
        if not better.any():
            return distance
        target, reached = target[better], reached[better]
        np.minimum.at(distance, target, reached)
        frontier = np.unique(target)
    raise RuntimeError("negative cycle in the residual graph: the assignment is not optimal on its pairs")


def duals(
    mentee: np.ndarray,
    volunteer: np.ndarray,
    score: np.ndarray,
    assigned: tuple[np.ndarray, np.ndarray],
    remaining: np.ndarray,
    n_mentees: int,
    big: float,
    max_rounds: int | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Optimal duals (u per mentee, p per volunteer) for the pairs given, with ``assigned`` optimal on them.

    Complementary slackness as difference constraints over the residual graph
    (node 0 = a root fixed at 0, then mentees, then volunteers; ``q = -p``):
    ``q[v] <= u[m] - w`` for every pair, ``u[m] <= q[v] + w`` for assigned
    pairs (tight), ``u >= 0``, ``u = 0`` if unassigned, ``q <= 0``, ``q = 0``
    if the volunteer has a free place. The greatest solution, the distances
    from the root, gives the greatest u and least p: a matched mentee's weight
    B sits in its own u unless a rival for its volunteer forces it into p.
    The least solution (least u) put B into the p of every full volunteer, so
    that every left-out pair of its mentees with a volunteer who had a place
    left violated by B: 230,000 violators instead of 8,000 (50,000 x 20,000
    in the district, places for 81 %), and in the city with places for 79 %
    5.3 million candidate pairs and 1.9 GB instead of 3.3 million and 1.3 GB.
    Where places are scarce the two are alike. Mentees and volunteers without
    pairs get 0, volunteers without places infinity (no pair with them can be
    used). None if the shortest paths do not settle within ``max_rounds``
    rounds (``assigned`` is probably not optimal).
    """
    n_v = len(remaining)
    tails, heads, weights, mentees, volunteers = _constraint_graph(
        mentee, volunteer, score, assigned, remaining, n_mentees, big
    )
    distance = _shortest_from_root(tails, heads, weights, 1 + n_mentees + n_v, max_rounds)
    if distance is None:
        return None
    u = np.zeros(n_mentees)
    p = np.zeros(n_v)
    u[mentees] = distance[1 + mentees]
    p[volunteers] = -distance[1 + n_mentees + volunteers]
    p[remaining < 1] = np.inf
    return u, p


def _constraint_graph(
    mentee: np.ndarray,
    volunteer: np.ndarray,
    score: np.ndarray,
    assigned: tuple[np.ndarray, np.ndarray],
    remaining: np.ndarray,
    n_mentees: int,
    big: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The edges (tails, heads, weights) of :func:`duals`' constraint graph (an edge i -> j of
    weight w for ``x[j] - x[i] <= w``), and the mentees and volunteers with pairs. A function of
    its own so that its working arrays (several copies of the pairs) are gone before the shortest
    paths are searched."""
    n_v = len(remaining)
    usable = remaining[volunteer] >= 1
    mentee, volunteer, score = mentee[usable], volunteer[usable], score[usable]
    weight = big + score.astype(np.float64)
    is_assigned = np.zeros(n_mentees, dtype=bool)
    is_assigned[assigned[0]] = True
    load = np.bincount(assigned[1], minlength=n_v)
    slot = np.full(n_mentees, -1, dtype=np.int64)
    slot[assigned[0]] = assigned[1]
    held = slot[mentee] == volunteer
    m_node, v_node = 1 + mentee, 1 + n_mentees + volunteer
    mentees, volunteers = np.flatnonzero(occurring(mentee, n_mentees)), np.flatnonzero(occurring(volunteer, n_v))
    free_m = mentees[~is_assigned[mentees]]
    open_v = volunteers[load[volunteers] < remaining[volunteers]]
    zero = np.zeros
    # In order: q[v] - u[m] <= -w, u[m] - q[v] <= w (assigned), 0 - u[m] <= 0, u[m] - 0 <= 0 (unassigned),
    # q[v] - 0 <= 0, 0 - q[v] <= 0 (a place left).
    tails = np.concatenate(
        [
            m_node,
            v_node[held],
            1 + mentees,
            zero(len(free_m), np.int64),
            zero(len(volunteers), np.int64),
            1 + n_mentees + open_v,
        ]
    )
    heads = np.concatenate(
        [
            v_node,
            m_node[held],
            zero(len(mentees), np.int64),
            1 + free_m,
            1 + n_mentees + volunteers,
            zero(len(open_v), np.int64),
        ]
    )
    weights = np.concatenate(
        [-weight, weight[held], zero(len(mentees)), zero(len(free_m)), zero(len(volunteers)), zero(len(open_v))]
    )
    return tails, heads, weights, mentees, volunteers


def _slacks(
    bounds: tuple[np.ndarray, np.ndarray], u: np.ndarray, p: np.ndarray, big: float
) -> tuple[np.ndarray, np.ndarray]:
    """A left-out pair (m, v) within these (row, column) bounds violates the duals by at most
    ``min(slack_m[m] - p[v], slack_v[v] - u[m])``."""
    row_bound, column_bound = bounds
    return big + row_bound - u, big + column_bound - p


def violators(
    scanner: Scanner,
    cands: Candidates,
    mentees: np.ndarray,
    u: np.ndarray,
    p: np.ndarray,
    places: np.ndarray,
    big: float,
    tolerance: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Proposable pairs outside the candidates that violate ``u + p >= B + s``, with exact scores
    and values; with a ``tolerance`` (units), only among the pairs whose bounds leave room for
    more than that (:func:`tie_allowance` covers the others).

    A left-out pair scores at most ``min(row_bound[m], column_bound[v])``,
    and if it serves no urgent need, at most the same of the plain bounds
    (:meth:`~matching.candidates.Candidates.plain_bounds`); only rows and
    columns where that leaves room are crossed, and only the pairs of those
    crossings that pass it are checked (all the constraints) and scored,
    slice by slice, keeping the violators only: where many pairs tie at
    their bounds, nearly all pairs pass, and must not be held at once.
    Volunteers without places cannot take anyone.
    """
    none = np.zeros(0, np.int64)
    nothing = (none, none, none, none)
    slack_m, slack_v = (slack - tolerance for slack in _slacks((cands.row_bound, cands.column_bound), u, p, big))
    open_v = places >= 1
    if not open_v.any() or not len(mentees):
        return nothing
    rows = mentees[(cands.row_bound[mentees] >= 0) & (slack_m[mentees] > p[open_v].min())]
    if not len(rows):
        return nothing
    cols = open_v & (cands.column_bound >= 0) & (slack_v > u[rows].min())
    column_mask = cols[scanner.columns]
    if not column_mask.any():
        return nothing

    plain_m, plain_v = (slack - tolerance for slack in _slacks(cands.plain_bounds(), u, p, big))

    def room(m: np.ndarray, v: np.ndarray, by_m: np.ndarray, by_v: np.ndarray) -> np.ndarray:
        return (by_m[m][:, None] > p[v][None, :]) & (by_v[v][None, :] > u[m][:, None])

    def test(m: np.ndarray, v: np.ndarray) -> np.ndarray:
        could = room(m, v, slack_m, slack_v)
        if cands.row_plain is None:
            return could
        # Where a mentee has an urgent need, its best left-out pairs by value are those that serve it, a
        # whole score above its others; a volunteer's likewise. A pair that serves none is held to the
        # plain bounds: in the district with the questionnaire's fields, violators 1.4 -> 0.8 s a round.
        return could & (room(m, v, plain_m, plain_v) | urgent_served(scanner.enc, m[:, None], v[None, :]))

    # No candidate violates (the duals are feasible for all of them): no need to look them up.
    checked = _checker(scanner, None)

    def violating(m: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
        m, v, score, value = checked(m, v)
        worse = big + value > u[m] + p[v]
        return m[worse], v[worse], score[worse], value[worse]

    return cross_pairs(scanner, rows, column_mask, test, violating)


def coverage_pairs(
    scanner: Scanner, cands: Candidates, mentees: np.ndarray, places: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Proposable pairs outside the candidates that could raise their maximum coverage (with scores
    and values): of those across the cut of :func:`~matching.assignment.coverage_cut`, the best
    COVERAGE_PER_MENTEE of each mentee and the best COVERAGE_PER_VOLUNTEER of each volunteer.

    Every pair across the cut can lengthen an alternating path, but few are
    needed to use what it opens: where places suffice for most mentees, the
    cut runs between most of them and most volunteers, and all its pairs were
    5.8 million (50,000 x 20,000, places for 79 %), which the solvers then
    carried: 75 s and 3.3 GB end to end instead of 41 s and 2.1 GB (measured
    before :func:`duals` took the greatest solution). A mentee with such a
    pair keeps at least one, so the caller's loop ends only when none is
    left: the coverage is still the maximum. The scan selects from what it
    holds every few million pairs (``shrink`` of :func:`scan_pairs`): where
    places suffice for most and a third of the mentees need something
    urgently (the city with the questionnaire's fields, 50,000 x 20,000),
    holding every pair across the cut first took the run to 2.8 GB.
    """
    none = np.zeros(0, np.int64)
    usable = places[cands.volunteer] >= 1
    open_mentees, full = coverage_cut(cands.mentee[usable], cands.volunteer[usable], places)
    rows = np.intersect1d(open_mentees, mentees)
    # Mentees without a candidate pair have no proposable pair at all: nothing to add for them.
    column_mask = ((places >= 1) & ~full)[scanner.columns]
    if not len(rows) or not column_mask.any():
        return none, none, none, none
    open_columns = scanner.columns[column_mask]
    sizes = len(scanner.enc.mentees.ids), len(scanner.enc.volunteers.ids)

    def best(mentee: np.ndarray, volunteer: np.ndarray, score: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, ...]:
        # Salted: where everyone is alike, ties must not leave every mentee the same few volunteers.
        kept = np.union1d(
            top_per_owner(mentee, volunteer, score, COVERAGE_PER_MENTEE, salt=0, sizes=sizes),
            top_per_owner(volunteer, mentee, score, COVERAGE_PER_VOLUNTEER, salt=0, sizes=sizes[::-1]),
        )
        return mentee[kept], volunteer[kept], score[kept], value[kept]

    if len(rows) * len(open_columns) <= DIRECT_PAIRS:
        return best(*_checker(scanner, cands)(np.repeat(rows, len(open_columns)), np.tile(open_columns, len(rows))))
    return scan_pairs(scanner, rows, column_mask, lambda block: block.bound >= 0, _checker(scanner, cands), shrink=best)


def _checker(
    scanner: Scanner, cands: Candidates | None
) -> Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """A function giving the proposable ones of some pairs that are not candidates yet (if
    ``cands`` are given), with scores and values (safe on several threads)."""
    n_v = len(scanner.enc.volunteers.ids)
    known = None if cands is None else np.sort(cands.mentee * n_v + cands.volunteer)

    def checked(mentee: np.ndarray, volunteer: np.ndarray):
        if known is not None and len(known):
            keys = mentee * n_v + volunteer
            outside = known[np.minimum(np.searchsorted(known, keys), len(known) - 1)] != keys
            mentee, volunteer = mentee[outside], volunteer[outside]
        feasible = feasible_pairs(scanner.enc, mentee, volunteer)
        mentee, volunteer = mentee[feasible], volunteer[feasible]
        score = pair_scores(scanner.enc, mentee, volunteer)
        good = score >= round(scanner.min_score * SCORE_UNITS)
        mentee, volunteer, score = mentee[good], volunteer[good], score[good]
        return mentee, volunteer, score, pair_objective(scanner.enc, mentee, volunteer, score)

    return checked


def tie_allowance(
    cands: Candidates,
    mentees: np.ndarray,
    u: np.ndarray,
    p: np.ndarray,
    places: np.ndarray,
    big: float,
    tolerance: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Raises of (u, p), at most ``tolerance`` each, after which no left-out pair that
    :func:`violators` did not check with this tolerance violates the duals.

    Such a pair could violate by at most the tolerance, and by no more than
    its mentee's or its volunteer's slack allows: raising either side's dual
    by that covers it. The side that costs the dual objective less is raised
    (mentees count once, volunteers once per place).
    """
    slack_m, slack_v = _slacks((cands.row_bound, cands.column_bound), u, p, big)
    raise_u, raise_p = np.zeros_like(u), np.zeros_like(p)
    open_v = (places >= 1) & (cands.column_bound >= 0)
    rows = mentees[cands.row_bound[mentees] >= 0]
    if not open_v.any() or not len(rows) or tolerance <= 0:
        return raise_u, raise_p
    by_mentee = np.minimum(slack_m[rows] - p[open_v].min(), slack_v[open_v].max() - u[rows])
    by_volunteer = np.minimum(slack_v[open_v] - u[rows].min(), slack_m[rows].max() - p[open_v])
    by_mentee = np.clip(by_mentee, 0, tolerance)
    by_volunteer = np.clip(by_volunteer, 0, tolerance)
    if by_mentee.sum() <= (by_volunteer * places[open_v]).sum():
        raise_u[rows] = by_mentee
    else:
        raise_p[open_v] = by_volunteer
    return raise_u, raise_p


def dual_bound(
    u: np.ndarray,
    p: np.ndarray,
    places: np.ndarray,
    violators: tuple[np.ndarray, np.ndarray, np.ndarray],
    big: float,
) -> int:
    """Dual objective after raising each ``u[m]`` by its worst violation (pairs and their values):
    an upper bound of the optimum."""
    mentee, volunteer, value = violators
    raised = u.copy()
    if len(mentee):
        np.maximum.at(raised, mentee, big + value - p[volunteer])
    open_v = places >= 1
    # Integers held as float64; summed as int64 so that totals beyond 2**53 stay exact.
    return int(raised.astype(np.int64).sum()) + int((places[open_v] * p[open_v].astype(np.int64)).sum())


VERIFY_ROUNDS = 400
"""Shortest-path rounds allowed when checking a partly re-solved assignment (an optimal one settles in
far fewer; one that is not optimal never settles)."""


def reoptimise(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    assigned: tuple[np.ndarray, np.ndarray],
    u: np.ndarray,
    p: np.ndarray,
    remaining: np.ndarray,
    big: float,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """An optimal assignment of ``pairs``, and its duals, from one (``assigned``) that was optimal,
    with duals (u, p), before some pairs joined: only what the new pairs can change is solved again.

    Raising each ``u[m]`` by its worst violation makes the duals feasible; the
    total raise G bounds what any assignment can gain over ``assigned``. A
    pair whose reduced cost exceeds G is in no optimal assignment
    (reduced-cost fixing), so every optimum lives among the pairs within G of
    tight; they fall apart into connected components, and a component
    without a raised mentee still satisfies complementary slackness with
    (u, p): ``assigned`` is kept there, the others are solved again
    (:func:`~matching.assignment.solve_sparse`). When G is large that is
    nearly everything, so smaller thresholds are tried first (a few times the
    largest single raise), each result accepted only if duals proving it
    optimal are found (:func:`duals` settles); G itself needs no proof.
    """
    mentee, volunteer, score = pairs
    reduced = u[mentee] + p[volunteer] - (big + score.astype(np.float64))
    raised = u.copy()
    np.maximum.at(raised, mentee, u[mentee] - reduced)
    gap = float((raised - u).sum())
    n_m, n_v = len(u), len(p)
    if gap <= 0:
        return assigned, (u, p)
    slack = reduced + (raised - u)[mentee]  # reduced costs after the raise (one array of the pairs less held)
    del reduced
    threshold = 4 * float((raised - u).max())
    while True:
        exact = threshold >= gap
        near = slack <= (gap if exact else threshold)
        graph = sp.csr_matrix(
            (np.ones(int(near.sum()), dtype=np.int8), (mentee[near], n_m + volunteer[near])), shape=(n_m + n_v,) * 2
        )
        label = connected_components(graph, directed=False)[1]
        affected = np.zeros(label.max(initial=-1) + 1, dtype=bool)
        affected[label[np.flatnonzero(raised > u)]] = True
        inside = near & affected[label[mentee]]
        keep = ~affected[label[assigned[0]]]
        solved = solve_sparse(mentee[inside], volunteer[inside], score[inside], remaining)
        result = (np.concatenate([assigned[0][keep], solved[0]]), np.concatenate([assigned[1][keep], solved[1]]))
        proof = duals(*pairs, result, remaining, n_m, big, None if exact else VERIFY_ROUNDS)
        if proof is not None:
            return result, proof
        threshold *= 8
