"""Coverage-first, score-second assignment of mentees to volunteer places.

A volunteer with remaining capacity c becomes c identical *places* (never
more than the number of mentees it could take), so the problem is a
bipartite matching between mentees and places. A pair's value s (its score,
plus the urgency bonus: :func:`~matching.scoring.pair_objective`) is an
integer in [0, OBJECTIVE_UNITS]; a matched pair costs ``OBJECTIVE_UNITS + 1 - s`` (>= 1).

:func:`solve_dense` (exact): one dense matrix for ``linear_sum_assignment``
with a private "unmatched" column per mentee costing ``_unmatched_cost(n)``,
more than any n matched pairs together, so one more match always beats any
score gain (lexicographic objective in one linear cost). All costs are
integers far below 2**53, so float64 sums are exact.

:func:`solve_sparse` (fast, on candidate pairs): a maximum flow of minimum
cost (OR-Tools), volunteers' places as arc capacities. Whether the pairs left
out could improve the result is the job of :mod:`matching.pricing`;
:func:`coverage_cut` (Hopcroft–Karp, then alternating paths from the
unmatched mentees) tells which left-out pairs could raise the coverage.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import breadth_first_order, maximum_bipartite_matching

from .scoring import OBJECTIVE_UNITS

Pairs = tuple[np.ndarray, np.ndarray]
"""(mentee indexes, volunteer indexes), aligned."""


def _unmatched_cost(rows: int) -> float:
    return float((rows + 1) * (OBJECTIVE_UNITS + 1))


def _places(volunteer: np.ndarray, remaining: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Places per volunteer (capped by its number of candidate mentees) and the first place id."""
    count = np.minimum(remaining, np.bincount(volunteer, minlength=len(remaining)))
    return count, np.cumsum(count) - count


def _expand(volunteer: np.ndarray, count: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repeat every edge once per place of its volunteer: (edge index, place id)."""
    repeats = count[volunteer]
    edge = np.repeat(np.arange(len(volunteer)), repeats)
    offset = np.arange(len(edge)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    return edge, first[volunteer[edge]] + offset


def _owner_of_places(count: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(count)), count)


def solve_dense(mentee: np.ndarray, volunteer: np.ndarray, score: np.ndarray, remaining: np.ndarray) -> Pairs:
    """Exact optimum with a dense cost matrix (mentees x (places + one column per mentee))."""
    rows, row_of_edge = np.unique(mentee, return_inverse=True)
    count, first = _places(volunteer, remaining)
    edge, place = _expand(volunteer, count, first)
    n_rows, n_places = len(rows), int(count.sum())
    if not n_rows or not n_places:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    cost = np.full((n_rows, n_places + n_rows), np.inf)
    cost[row_of_edge[edge], place] = OBJECTIVE_UNITS + 1 - score[edge]
    cost[np.arange(n_rows), n_places + np.arange(n_rows)] = _unmatched_cost(n_rows)
    row, column = linear_sum_assignment(cost)
    matched = column < n_places
    return rows[row[matched]], _owner_of_places(count)[column[matched]]


def _place_graph(mentee: np.ndarray, volunteer: np.ndarray, remaining: np.ndarray):
    """Places x mentees incidence: (place, mentee column, mentee ids, places per volunteer)."""
    columns, column_of_edge = np.unique(mentee, return_inverse=True)
    count, first = _places(volunteer, remaining)
    edge, place = _expand(volunteer, count, first)
    return place, column_of_edge[edge], columns, count


def _maximum_matching(place: np.ndarray, column: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Hopcroft–Karp: the mentee column matched to each place, or -1.

    The mentees are the rows scipy searches from: several times faster here
    than searching from the places, which are many alike (a volunteer's places).
    """
    graph = sp.csr_matrix((np.ones(len(place), dtype=np.int8), (column, place)), shape=shape[::-1])
    return maximum_bipartite_matching(graph, perm_type="row")


def _reachable(tails: np.ndarray, heads: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """Nodes reachable from ``starts`` in the directed graph ``tails -> heads`` (n nodes)."""
    source = n  # a virtual node pointing at every start
    graph = sp.csr_matrix(
        (
            np.ones(len(tails) + len(starts), dtype=np.int8),
            (np.r_[tails, np.full(len(starts), source)], np.r_[heads, starts]),
        ),
        shape=(n + 1, n + 1),
    )
    reached = np.zeros(n + 1, dtype=bool)
    reached[breadth_first_order(graph, source, directed=True, return_predecessors=False)] = True
    return reached[:n]


def _open_to_free_mentees(
    place: np.ndarray, column: np.ndarray, match: np.ndarray, n_columns: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per mentee column and per place: reachable by an alternating path from an unmatched mentee.

    Those mentees are the ones some maximum matching leaves unmatched, and
    those places are filled from among them by every maximum matching (the
    first part of the Dulmage–Mendelsohn decomposition): together they are
    one side of a minimum cut.
    """
    place_of_mentee = np.full(n_columns, -1)
    place_of_mentee[match[match >= 0]] = np.flatnonzero(match >= 0)
    # Mentee x -> place p -> the mentee now holding p.
    holder = match[place]
    step = (holder >= 0) & (holder != column)
    mentees = _reachable(column[step], holder[step], np.flatnonzero(place_of_mentee < 0), n_columns)
    places = np.zeros(len(match), dtype=bool)
    places[place[mentees[column]]] = True
    return mentees, places


def coverage_cut(mentee: np.ndarray, volunteer: np.ndarray, remaining: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A minimum cut certifying the maximum coverage of the given pairs.

    Returns the mentees (ids) that some maximum matching leaves unmatched —
    reachable by an alternating path from an unmatched mentee — and, per
    volunteer, whether it is full and reachable so. A pair joining such a
    mentee to a volunteer outside that set is the only kind that could raise
    the coverage: if no proposable pair is of that kind, the coverage of these
    pairs is the maximum over all pairs (max-flow min-cut).
    """
    place, column, columns, count = _place_graph(mentee, volunteer, remaining)
    n_places, n_columns = int(count.sum()), len(columns)
    reached = np.zeros(len(remaining), dtype=bool)
    if not n_places:
        return columns, reached
    match = _maximum_matching(place, column, (n_places, n_columns))
    open_mentees, open_places = _open_to_free_mentees(place, column, match, n_columns)
    owner = _owner_of_places(count)
    reached[owner[open_places]] = True
    load = np.bincount(owner[match >= 0], minlength=len(remaining))
    reached &= load >= remaining  # a volunteer with a place left (beyond its pairs here) is open
    return columns[open_mentees], reached


def solve_sparse(mentee: np.ndarray, volunteer: np.ndarray, score: np.ndarray, remaining: np.ndarray) -> Pairs:
    """Optimum over the given candidate pairs: max coverage, then max total value.

    A maximum flow of minimum cost (OR-Tools' cost-scaling push-relabel)
    from a source through every mentee (capacity 1) and its pairs (capacity
    1, cost minus the pair's value) to every volunteer and on to a sink
    (capacity: the volunteer's remaining places). Volunteers keep their
    places as one arc, so nothing is repeated per place. Its work grows with
    the pairs, not with how densely they connect: sparse LAPJV scans every
    column per augmentation, which in one dense city (one component of
    25,000 places x 50,000 mentees) took three times as long.
    """
    n_m, n_v = int(mentee.max(initial=-1)) + 1, len(remaining)
    if not len(mentee) or not remaining.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    source, sink = n_m + n_v, n_m + n_v + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.r_[np.full(n_m, source), mentee, n_m + np.arange(n_v)],
        np.r_[np.arange(n_m), n_m + volunteer, np.full(n_v, sink)],
        np.r_[np.ones(n_m + len(mentee), np.int64), remaining].astype(np.int64),
        np.r_[np.zeros(n_m, np.int64), -score.astype(np.int64), np.zeros(n_v, np.int64)],
    )
    # Supply for every mentee at once: the solver sends as much of it as the arcs allow.
    flow.set_nodes_supplies(np.array([source, sink]), np.array([n_m, -n_m]))
    status = flow.solve_max_flow_with_min_cost()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    used = flow.flows(np.arange(n_m, n_m + len(mentee))) > 0
    return mentee[used], volunteer[used]
