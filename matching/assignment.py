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
:func:`coverage_cut` (a maximum flow, and the source side of its minimum
cut) tells which left-out pairs could raise the coverage.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow
from scipy.optimize import linear_sum_assignment

from .scoring import OBJECTIVE_UNITS

Pairs = tuple[np.ndarray, np.ndarray]
"""(mentee indexes, volunteer indexes), aligned."""


def occurring(ids: np.ndarray, size: int = 0) -> np.ndarray:
    """Per value (at least ``size`` of them): whether it occurs among these non-negative integers. Its
    nonzero positions are ``np.unique(ids)`` without the sort, which over the millions of pairs of 50,000
    mentees took 0.1–0.2 s per call (the pairs' mentees or volunteers); this takes a count per value."""
    return np.bincount(ids, minlength=size) > 0


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


def _network(
    n_mentees: int, mentee: np.ndarray, volunteer: np.ndarray, remaining: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Arcs (tails, heads, capacities) of the flow network both solvers use, and its source and sink: the
    source to every mentee (capacity 1), each pair (capacity 1), every volunteer to the sink (capacity:
    its remaining places). Nodes: the mentees ``0 .. n_mentees - 1``, then the volunteers, then the
    source and the sink; the pairs' arcs come after the source's, in the pairs' order."""
    n_v = len(remaining)
    source, sink = n_mentees + n_v, n_mentees + n_v + 1
    tails = np.r_[np.full(n_mentees, source), mentee, n_mentees + np.arange(n_v)]
    heads = np.r_[np.arange(n_mentees), n_mentees + volunteer, np.full(n_v, sink)]
    capacities = np.r_[np.ones(n_mentees + len(mentee), np.int64), remaining].astype(np.int64)
    return tails, heads, capacities, source, sink


def coverage_cut(mentee: np.ndarray, volunteer: np.ndarray, remaining: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A minimum cut certifying the maximum coverage of the given pairs.

    Returns the mentees (ids) that some maximum matching leaves unmatched —
    reachable by an alternating path from an unmatched mentee — and, per
    volunteer, whether it is full and reachable so. A pair joining such a
    mentee to a volunteer outside that set is the only kind that could raise
    the coverage: if no proposable pair is of that kind, the coverage of these
    pairs is the maximum over all pairs (max-flow min-cut).

    Both are the source side of a minimum cut of the flow from a source
    through every mentee (capacity 1) and its pairs to every volunteer and on
    to a sink (capacity: its places), as OR-Tools' maximum flow leaves it:
    what the residual graph reaches from the source. Volunteers keep their
    places as one arc; expanding them into single places for a bipartite
    matching took 2.5 times as long (50,000 mentees, 2.7 million pairs).
    """
    with_pairs = occurring(mentee)
    columns, column_of_edge = np.flatnonzero(with_pairs), (np.cumsum(with_pairs) - 1)[mentee]
    n_columns, n_v = len(columns), len(remaining)
    reached = np.zeros(n_v, dtype=bool)
    if not n_columns or not remaining.any():
        return columns, reached
    tails, heads, capacities, source, sink = _network(n_columns, column_of_edge, volunteer, remaining)
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(tails, heads, capacities)
    status = flow.solve(source, sink)
    if status != max_flow.SimpleMaxFlow.OPTIMAL:
        raise RuntimeError(f"maximum flow failed: {status}")
    side = np.asarray(flow.get_source_side_min_cut(), dtype=np.int64)
    # On that side a volunteer is full: one with a place left would end an augmenting path.
    reached[side[(side >= n_columns) & (side < n_columns + n_v)] - n_columns] = True
    return columns[np.sort(side[side < n_columns])], reached


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
    tails, heads, capacities, source, sink = _network(n_m, mentee, volunteer, remaining)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails, heads, capacities, np.r_[np.zeros(n_m, np.int64), -score.astype(np.int64), np.zeros(n_v, np.int64)]
    )
    # Supply for every mentee at once: the solver sends as much of it as the arcs allow.
    flow.set_nodes_supplies(np.array([source, sink]), np.array([n_m, -n_m]))
    status = flow.solve_max_flow_with_min_cost()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    used = flow.flows(np.arange(n_m, n_m + len(mentee))) > 0
    return mentee[used], volunteer[used]
