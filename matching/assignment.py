"""Coverage-first, score-second assignment of mentees to volunteer places.

A volunteer with remaining capacity c becomes c identical *places* (never
more than the number of mentees it could take), so the problem is a
bipartite matching between mentees and places. Scores are integers s in
[0, SCORE_UNITS]; a matched pair costs ``SCORE_UNITS + 1 - s`` (>= 1).

:func:`solve_dense` (exact): one dense matrix for ``linear_sum_assignment``
with a private "unmatched" column per mentee costing ``_unmatched_cost(n)``,
more than any n matched pairs together, so one more match always beats any
score gain (lexicographic objective in one linear cost). All costs are
integers far below 2**53, so float64 sums are exact.

:func:`solve_sparse` (fast): Hopcroft–Karp for the maximum coverage, then
the Dulmage–Mendelsohn decomposition splits the graph into parts in which
every maximum matching is a *full* matching of one side; each part is
solved by sparse LAPJV (``min_weight_full_bipartite_matching``) without any
big costs or extra columns. :func:`augment_to_maximum` makes a matching
found on pruned candidates maximum on the full graph (augmenting paths).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import breadth_first_order, maximum_bipartite_matching, min_weight_full_bipartite_matching

from .scoring import SCORE_UNITS

Pairs = tuple[np.ndarray, np.ndarray]
"""(mentee indexes, volunteer indexes), aligned."""


def _unmatched_cost(rows: int) -> float:
    return float((rows + 1) * (SCORE_UNITS + 1))


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
    cost[row_of_edge[edge], place] = SCORE_UNITS + 1 - score[edge]
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
    """Hopcroft–Karp: the mentee column matched to each place, or -1."""
    graph = sp.csr_matrix((np.ones(len(place), dtype=np.int8), (place, column)), shape=shape)
    return maximum_bipartite_matching(graph, perm_type="column")


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


def _full_matching(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Min-weight matching covering every row (of the compacted row/column ids)."""
    if not len(rows):
        return rows, cols
    row_ids, row = np.unique(rows, return_inverse=True)
    col_ids, col = np.unique(cols, return_inverse=True)
    graph = sp.csr_matrix((weights, (row, col)), shape=(len(row_ids), len(col_ids)))
    matched_row, matched_col = min_weight_full_bipartite_matching(graph)
    return row_ids[matched_row], col_ids[matched_col]


def solve_sparse(mentee: np.ndarray, volunteer: np.ndarray, score: np.ndarray, remaining: np.ndarray) -> Pairs:
    """Optimum over the given candidate pairs: max coverage, then max total score.

    Hopcroft–Karp finds the maximum coverage; the Dulmage–Mendelsohn parts
    then each get a min-weight *full* matching (sparse LAPJV), whose union
    is the best maximum matching.
    """
    edge, place, column, columns, count = _place_graph(mentee, volunteer, remaining)
    n_places, n_columns = int(count.sum()), len(columns)
    if not n_places:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    match = _maximum_matching(place, column, (n_places, n_columns))
    place_part, mentee_part = _dulmage_mendelsohn(place, column, match, n_columns)
    weight = (SCORE_UNITS + 1 - score[edge]).astype(float)
    jobs = []
    for part in (1, 0, 2):  # largest first; LAPJV releases the GIL, so parts run in parallel
        inside = (place_part[place] == part) & (mentee_part[column] == part)
        if part == 1:  # rows must be the side matched completely: here the mentees
            jobs.append((True, column[inside], place[inside], weight[inside]))
        else:
            jobs.append((False, place[inside], column[inside], weight[inside]))
    with ThreadPoolExecutor(2) as pool:
        solved = list(pool.map(lambda job: _full_matching(*job[1:]), jobs))
    chosen_places = [
        cols if mentee_rows else rows for (mentee_rows, *_), (rows, cols) in zip(jobs, solved, strict=True)
    ]
    chosen_columns = [
        rows if mentee_rows else cols for (mentee_rows, *_), (rows, cols) in zip(jobs, solved, strict=True)
    ]
    return columns[np.concatenate(chosen_columns)], _owner_of_places(count)[np.concatenate(chosen_places)]


def _csr(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    return sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=shape)


def _augmenting_paths(
    edges: sp.csr_matrix, mentee: np.ndarray, volunteer: np.ndarray, remaining: np.ndarray
) -> list[list[tuple[int, int]]]:
    """Vertex-disjoint augmenting paths for the matching ``mentee[k] - volunteer[k]``.

    Breadth-first, volunteer by volunteer instead of place by place: from all
    unmatched mentees along any edge to a volunteer; a volunteer with a free
    place ends a path, a full one passes on to every mentee it holds (any of
    them could move on). A path is a list of moves (mentee, new volunteer);
    no path means the matching is maximum.
    """
    n_mentees, n_volunteers = edges.shape
    held = _csr(volunteer, mentee, (n_volunteers, n_mentees))
    load = np.diff(held.indptr)
    matched = np.zeros(n_mentees, dtype=bool)
    matched[mentee] = True
    frontier = np.flatnonzero(~matched & (np.diff(edges.indptr) > 0))
    via_volunteer = np.full(n_mentees, -2)  # -2 unseen, -1 start, else volunteer holding it
    via_volunteer[frontier] = -1
    via_mentee = np.full(n_volunteers, -1)  # mentee that reached the volunteer
    while len(frontier):
        rows = edges[frontier]
        reached = rows.indices
        source = np.repeat(frontier, np.diff(rows.indptr))
        first = np.unique(reached, return_index=True)[1]  # first discoverer, deterministic
        reached, source = reached[first], source[first]
        fresh = via_mentee[reached] < 0
        reached, source = reached[fresh], source[fresh]
        via_mentee[reached] = source
        free = reached[load[reached] < remaining[reached]]
        if len(free):
            return _trace(free, via_mentee, via_volunteer)
        rows = held[reached]
        frontier = rows.indices
        holder = np.repeat(reached, np.diff(rows.indptr))
        first = np.unique(frontier, return_index=True)[1]
        frontier, holder = frontier[first], holder[first]
        fresh = via_volunteer[frontier] == -2
        frontier = frontier[fresh]
        via_volunteer[frontier] = holder[fresh]
    return []


def _trace(free: np.ndarray, via_mentee: np.ndarray, via_volunteer: np.ndarray) -> list[list[tuple[int, int]]]:
    """Follow the search tree back from each free volunteer; keep vertex-disjoint paths."""
    paths, used_mentees, used_volunteers = [], set(), set()
    for end in free.tolist():
        path, volunteer = [], end
        while True:
            mentee = int(via_mentee[volunteer])
            path.append((mentee, volunteer))
            volunteer = int(via_volunteer[mentee])
            if volunteer < 0:
                break
        mentees = {m for m, _ in path}
        volunteers = {v for _, v in path}
        if mentees.isdisjoint(used_mentees) and volunteers.isdisjoint(used_volunteers):
            paths.append(path)
            used_mentees |= mentees
            used_volunteers |= volunteers
    return paths


def augment_to_maximum(pairs: Pairs, mentee: np.ndarray, volunteer: np.ndarray, remaining: np.ndarray) -> Pairs:
    """Turn ``pairs`` into a maximum matching of the graph ``mentee[k] - volunteer[k]``.

    A matching found on pruned candidates may miss a few matches that need
    pruned edges; augmenting paths (Berge) on the full graph add them, each
    path moving a few mentees and matching one more. Already maximum: unchanged.
    """
    n_mentees = int(max(mentee.max(initial=-1), pairs[0].max(initial=-1))) + 1
    edges = _csr(mentee, volunteer, (n_mentees, len(remaining)))
    assignment = dict(zip(pairs[0].tolist(), pairs[1].tolist(), strict=True))
    while True:
        keys = np.fromiter(assignment, dtype=np.int64, count=len(assignment))
        values = np.fromiter(assignment.values(), dtype=np.int64, count=len(assignment))
        paths = _augmenting_paths(edges, keys, values, remaining)
        if not paths:
            return keys, values
        for path in paths:
            assignment.update(path)
