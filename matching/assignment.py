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

:func:`solve_sparse` (fast, on candidate pairs): Hopcroft–Karp for the
maximum coverage, then the Dulmage–Mendelsohn decomposition splits the graph
into parts in which every maximum matching is a *full* matching of one side;
each part is solved, connected component by component, by sparse LAPJV
(``min_weight_full_bipartite_matching``) without any big costs or extra
columns. Whether the pairs left out could improve the result is the job of
:mod:`matching.pricing`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import (
    breadth_first_order,
    connected_components,
    maximum_bipartite_matching,
    min_weight_full_bipartite_matching,
)

from .scoring import OBJECTIVE_UNITS

Pairs = tuple[np.ndarray, np.ndarray]
"""(mentee indexes, volunteer indexes), aligned."""
LAPJV_CELLS = 4_000_000
"""Components are packed into one sparse LAPJV call while rows x columns stays below this."""


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
    """Places x mentees incidence: (edge, place, mentee column, mentee ids, count)."""
    columns, column_of_edge = np.unique(mentee, return_inverse=True)
    count, first = _places(volunteer, remaining)
    edge, place = _expand(volunteer, count, first)
    return edge, place, column_of_edge[edge], columns, count


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


def _dulmage_mendelsohn(
    place: np.ndarray, column: np.ndarray, match: np.ndarray, n_columns: int
) -> tuple[np.ndarray, np.ndarray]:
    """Split a bipartite graph with a maximum matching into three independent parts.

    Returns a part label (0, 1, 2) per place and per mentee column:

    0. mentees that some maximum matching leaves unmatched (reachable by an
       alternating path from an unmatched mentee) and their neighbour places,
       which every maximum matching fills from this part;
    1. places that some maximum matching leaves empty (reachable from an empty
       place) and their neighbour mentees, matched inside this part;
    2. the rest, perfectly matched among themselves in every maximum matching.

    Every maximum matching is the union of a maximum matching of each part,
    using no edge between parts, so the best maximum matching can be found
    part by part — each part being a *full* matching of its smaller side, with
    no "unmatched" columns and no big costs (Dulmage–Mendelsohn decomposition).
    """
    n_places = len(match)
    place_of_mentee = np.full(n_columns, -1)
    place_of_mentee[match[match >= 0]] = np.flatnonzero(match >= 0)
    mate_of_place = match
    # Part 0: mentee x -> place p -> mentee now holding p.
    holder = mate_of_place[place]
    step = (holder >= 0) & (holder != column)
    free_mentees = np.flatnonzero(place_of_mentee < 0)
    mentee_part = np.full(n_columns, 2, dtype=np.int8)
    place_part = np.full(n_places, 2, dtype=np.int8)
    in_0 = _reachable(column[step], holder[step], free_mentees, n_columns)
    mentee_part[in_0] = 0
    place_part[place[in_0[column]]] = 0
    # Part 1: place p -> mentee x -> the place x now holds.
    held = place_of_mentee[column]
    step = (held >= 0) & (held != place)
    in_1 = _reachable(place[step], held[step], np.flatnonzero(match < 0), n_places)
    place_part[in_1] = 1
    mentee_part[column[in_1[place]]] = 1
    return place_part, mentee_part


def coverage_cut(mentee: np.ndarray, volunteer: np.ndarray, remaining: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A minimum cut certifying the maximum coverage of the given pairs.

    Returns the mentees (ids) that some maximum matching leaves unmatched —
    reachable by an alternating path from an unmatched mentee — and, per
    volunteer, whether it is full and reachable so. A pair joining such a
    mentee to a volunteer outside that set is the only kind that could raise
    the coverage: if no proposable pair is of that kind, the coverage of these
    pairs is the maximum over all pairs (max-flow min-cut).
    """
    edge, place, column, columns, count = _place_graph(mentee, volunteer, remaining)
    n_places, n_columns = int(count.sum()), len(columns)
    reached = np.zeros(len(remaining), dtype=bool)
    if not n_places:
        return columns, reached
    match = _maximum_matching(place, column, (n_places, n_columns))
    place_part, mentee_part = _dulmage_mendelsohn(place, column, match, n_columns)
    owner = _owner_of_places(count)
    reached[owner[place_part == 0]] = True
    load = np.bincount(owner[match >= 0], minlength=len(remaining))
    reached &= load >= remaining  # a volunteer with a place left (beyond its pairs here) is open
    return columns[mentee_part == 0], reached


def _full_matching(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Min-weight matching covering every row (of the compacted row/column ids)."""
    if not len(rows):
        return rows, cols
    row_ids, row = np.unique(rows, return_inverse=True)
    col_ids, col = np.unique(cols, return_inverse=True)
    graph = sp.csr_matrix((weights, (row, col)), shape=(len(row_ids), len(col_ids)))
    matched_row, matched_col = min_weight_full_bipartite_matching(graph)
    return row_ids[matched_row], col_ids[matched_col]


def _components(place: np.ndarray, column: np.ndarray, n_places: int, n_columns: int) -> np.ndarray:
    """Connected component of every place and then every mentee column (one label array)."""
    graph = sp.csr_matrix(
        (np.ones(len(place), dtype=np.int8), (place, n_places + column)), shape=(n_places + n_columns,) * 2
    )
    return connected_components(graph, directed=False)[1]


def _batches(rows: np.ndarray, cols: np.ndarray, label_row: np.ndarray, label_col: np.ndarray) -> list[np.ndarray]:
    """Edge index sets, one per batch of whole components of about LAPJV_CELLS rows x columns.

    Sparse LAPJV scans every column once per shortest-path step, so one
    call over disconnected pieces costs rows x columns of their union:
    solving small components apart (packed so that calls stay few) is far cheaper.
    """
    labels = label_row[rows]
    n_rows = np.bincount(label_row, minlength=label_row.max(initial=-1) + 1)
    n_cols = np.bincount(label_col, minlength=len(n_rows))
    present = np.unique(labels)
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], present)
    ends = np.r_[starts[1:], len(order)]
    batches, current, cells_r, cells_c = [], [], 0, 0
    for k, component in enumerate(present.tolist()):
        r, c = int(n_rows[component]), int(n_cols[component])
        if current and (cells_r + r) * (cells_c + c) > LAPJV_CELLS:
            batches.append(np.concatenate(current))
            current, cells_r, cells_c = [], 0, 0
        current.append(order[starts[k] : ends[k]])
        cells_r, cells_c = cells_r + r, cells_c + c
    if current:
        batches.append(np.concatenate(current))
    return batches


def solve_sparse(mentee: np.ndarray, volunteer: np.ndarray, score: np.ndarray, remaining: np.ndarray) -> Pairs:
    """Optimum over the given candidate pairs: max coverage, then max total score.

    Hopcroft–Karp finds the maximum coverage; the Dulmage–Mendelsohn parts
    then each get a min-weight *full* matching (sparse LAPJV), whose union
    is the best maximum matching; each part is solved component by component.
    """
    edge, place, column, columns, count = _place_graph(mentee, volunteer, remaining)
    n_places, n_columns = int(count.sum()), len(columns)
    if not n_places:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    match = _maximum_matching(place, column, (n_places, n_columns))
    place_part, mentee_part = _dulmage_mendelsohn(place, column, match, n_columns)
    weight = (OBJECTIVE_UNITS + 1 - score[edge]).astype(float)
    label = _components(place, column, n_places, n_columns)
    label_place, label_column = label[:n_places], label[n_places:]
    jobs = []
    for part in (1, 0, 2):
        inside = np.flatnonzero((place_part[place] == part) & (mentee_part[column] == part))
        # Rows must be the side matched completely: the mentees in part 1, the places otherwise.
        mentee_rows = part == 1
        rows, cols = (column, place) if mentee_rows else (place, column)
        label_row, label_col = (label_column, label_place) if mentee_rows else (label_place, label_column)
        in_part_col = (place_part if mentee_rows else mentee_part) == part
        in_part_row = (mentee_part if mentee_rows else place_part) == part
        for batch in _batches(
            rows[inside],
            cols[inside],
            np.where(in_part_row, label_row, len(label)),
            np.where(in_part_col, label_col, len(label)),
        ):
            chosen = inside[batch]
            jobs.append((mentee_rows, rows[chosen], cols[chosen], weight[chosen]))
    jobs.sort(key=lambda job: -len(job[1]))  # largest first: LAPJV releases the GIL, two run at once
    with ThreadPoolExecutor(2) as pool:
        solved = list(pool.map(lambda job: _full_matching(*job[1:]), jobs))
    if not jobs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    chosen_places = [
        cols if mentee_rows else rows for (mentee_rows, *_), (rows, cols) in zip(jobs, solved, strict=True)
    ]
    chosen_columns = [
        rows if mentee_rows else cols for (mentee_rows, *_), (rows, cols) in zip(jobs, solved, strict=True)
    ]
    return columns[np.concatenate(chosen_columns)], _owner_of_places(count)[np.concatenate(chosen_places)]
