"""propose(): from a problem dict to the proposals dict of the contract."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .assignment import solve_dense, solve_sparse
from .candidates import CHUNK, Block, Scanner, all_proposable, scan_pairs, top_candidates, top_per_owner
from .constraints import CAPACITY_EXHAUSTED, NO_HOURS_LEFT, unmatched_reasons
from .encoding import Encoded, encode
from .groups import assign_groups
from .pricing import big_m, coverage_pairs, dual_bound, duals, reoptimise, tie_allowance, violators
from .records import Alternative, GroupAssignment, Pair, Problem, Proposals
from .scoring import SCORE_UNITS, alike_volunteers, explain, pair_objective, pair_scores
from .validation import validate

SOLVERS = ("auto", "exact", "fast")
AUTO_EXACT_CELLS = 250_000
"""``auto`` uses the dense exact solver while its cost matrix stays this small (both are
optimal; the dense one is simply the shortest way for tiny problems)."""
TOP_PER_MENTEE = 30
"""Candidate volunteers per mentee (the best bounds; pricing adds whatever else matters)."""
TOP_PER_VOLUNTEER = (30, 100, 1000)
"""Candidate mentees per volunteer: 30, or 100 for a volunteer with at least 1,000 proposable
pairs. Where everyone's favourites are the same scarce people, the pairs that matter are the best
ones of each volunteer, not of each mentee (see :func:`~matching.candidates.top_candidates`)."""
MAX_ROUNDS = 12
"""Pricing rounds before the engine settles for the gap it can prove (never reached in the benchmarks)."""
NEAR_OPTIMAL_FROM = 20_000
"""Free mentees above which ``fast`` may stop before proving optimality (``exact`` cannot run there)..."""
GAP_TOLERANCE = 1e-3
"""... once the proven gap is at most this share of the assignment's total *score* (0.1 %, what the
contract accepts where ``exact`` cannot run; a share of the score alone, not of the value, which adds
a whole score per urgent pair: the stricter of the two wherever mentees have urgent needs). At half
of it, a dense district generated apart from the benchmark's (14 places within 40 km, volunteers
driving 15–30 km, 50,000 x 20,000) took a second round after a first proven within 0.051 %, which
was 0.013 % from the optimum, as the second showed: 16.8 s end to end instead of 10.5 s."""
TIE_UNITS = 30
"""... and does not check one by one the left-out pairs that could violate the duals by at most this
many score units (the bounds' slack, 20, plus rounding): where people are alike, nearly all pairs
sit there. They count in the proven gap instead (:func:`~matching.pricing.tie_allowance`; 30 units
per mentee are 0.004 % of a typical pair's score)."""
ALIKE_FROM = 8
"""The alternatives' re-scan leaves out volunteers who score like others (:class:`_AlikeLeaders`) in a
block where more than 1 / ALIKE_FROM of its cells could still rank: below that, what it would leave
unscored saves less than finding the volunteers who score alike costs (where people are alike but
places differ, the cells that could rank are already the nearest places' few)."""


@dataclass
class Solution:
    """An assignment and what the rest of the output needs from the solver."""

    mentee: np.ndarray  # assigned pairs
    volunteer: np.ndarray
    known: tuple[np.ndarray, np.ndarray, np.ndarray]  # proposable pairs with exact scores
    row_bound: np.ndarray  # per mentee: its pairs not in `known` score at most this (units; -1: none)
    has_feasible: np.ndarray  # per mentee: some volunteer meets all the constraints
    with_hours: np.ndarray  # per mentee: ... and has hours left for a sponsorship
    value: int  # the assignment's value for the solvers (scores plus urgency bonuses, units)
    gap_units: int | None  # proven distance to the optimum's value (units); None: coverage not proven
    rounds: int


def _remaining_capacity(enc: Encoded) -> np.ndarray:
    """Places left: declared capacity, or fewer if the hours a volunteer has left allow fewer, minus
    locked pairs."""
    used = np.bincount([v for _, v in enc.locked], minlength=len(enc.volunteers.ids))
    return np.maximum(np.minimum(enc.capacity, enc.hours_capacity) - used, 0)


def _choose(solver: str, free: np.ndarray, remaining: np.ndarray) -> str:
    if solver != "auto":
        return solver
    cells = len(free) * (int(remaining.sum()) + len(free))
    return "exact" if cells <= AUTO_EXACT_CELLS else "fast"


class _Stopwatch:
    """Records the seconds of each stage."""

    def __init__(self, sink: dict[str, float] | None) -> None:
        self.stages: dict[str, float] = {}
        self.sink = sink
        self.started = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self.last
        if self.sink is not None:
            self.sink[stage] = self.stages[stage]
        self.last = now


def _solve_exact(scanner: Scanner, free: np.ndarray, remaining: np.ndarray, clock: _Stopwatch) -> Solution:
    every = all_proposable(scanner, free)
    clock.lap("candidates")
    usable = remaining[every.volunteer] >= 1
    pairs = solve_dense(every.mentee[usable], every.volunteer[usable], every.objective[usable], remaining)
    clock.lap("assignment")
    value = int(pair_objective(scanner.enc, *pairs, pair_scores(scanner.enc, *pairs)).sum())
    known = (every.mentee, every.volunteer, every.score)
    return Solution(*pairs, known, every.row_bound, every.has_feasible, every.with_hours, value, 0, 0)


def _solve_fast(scanner: Scanner, free: np.ndarray, remaining: np.ndarray, clock: _Stopwatch) -> Solution:
    """Solve on candidates, price every other pair against the duals, add violators, repeat.

    After the first solve, a round only solves again the part of the
    assignment that the added pairs can change (:func:`~matching.pricing.reoptimise`).
    Stops when no pair violates the duals (proven optimal), or — beyond
    NEAR_OPTIMAL_FROM free mentees, where ``exact`` cannot run and a round
    may mean solving nearly everything again — once the proven gap is at most
    GAP_TOLERANCE of the assignment's total score, or after MAX_ROUNDS. Beyond
    NEAR_OPTIMAL_FROM, pricing leaves near-ties (TIE_UNITS) to the gap
    until that gap alone is too large.
    """
    enc = scanner.enc
    cands = top_candidates(scanner, free, TOP_PER_MENTEE, TOP_PER_VOLUNTEER)
    while True:
        # Coverage first: a pair that raises it changes nearly everything, so none may be missing
        # before the first solve (then only score-level violations remain, repaired locally).
        mentee, volunteer, score, objective = coverage_pairs(scanner, cands, free, remaining)
        if not len(mentee):
            break
        cands.mentee = np.concatenate([cands.mentee, mentee])
        cands.volunteer = np.concatenate([cands.volunteer, volunteer])
        cands.score = np.concatenate([cands.score, score])
        cands.objective = np.concatenate([cands.objective, objective])
    clock.lap("candidates")
    big = big_m(len(free))
    assigned, u, p = None, np.zeros(0), np.zeros(0)
    rounds = 0
    near_optimal = len(free) > NEAR_OPTIMAL_FROM
    tolerance = TIE_UNITS if near_optimal else 0
    while True:
        rounds += 1
        usable = remaining[cands.volunteer] >= 1
        pairs = (cands.mentee[usable], cands.volunteer[usable], cands.objective[usable])
        if assigned is None:
            assigned = solve_sparse(*pairs, remaining)
            u, p = duals(*pairs, assigned, remaining, len(enc.mentees.ids), big)
        else:
            assigned, (u, p) = reoptimise(pairs, assigned, u, p, remaining, big)
        clock.lap("assignment")
        mentee, volunteer, score, objective = violators(scanner, cands, free, u, p, remaining, big, tolerance)
        raise_u, raise_p = tie_allowance(cands, free, u, p, remaining, big, tolerance)
        scores = pair_scores(enc, *assigned)
        value = int(pair_objective(enc, *assigned, scores).sum())
        bound = dual_bound(u + raise_u, p + raise_p, remaining, (mentee, volunteer, objective), big)
        gap = bound - (int(big) * len(assigned[0]) + value)
        clock.lap("pricing")
        near_enough = near_optimal and gap <= GAP_TOLERANCE * int(scores.sum())
        if near_enough or rounds == MAX_ROUNDS or not (len(mentee) or tolerance):
            break
        tolerance = tolerance if len(mentee) else 0  # the near-ties' allowance alone is too large: check them
        cands.mentee = np.concatenate([cands.mentee, mentee])
        cands.volunteer = np.concatenate([cands.volunteer, volunteer])
        cands.score = np.concatenate([cands.score, score])
        cands.objective = np.concatenate([cands.objective, objective])
    # With fewer matches than the maximum the gap would be at least B - value: a smaller gap proves coverage.
    proven = max(gap, 0) if gap < big - value else None
    known = (cands.mentee, cands.volunteer, cands.score)
    return Solution(*assigned, known, cands.row_bound, cands.has_feasible, cands.with_hours, value, proven, rounds)


def _could_rank(scanner: Scanner, block: Block, taken: np.ndarray, wanted: int) -> np.ndarray:
    """The cells of a block that could be among their mentee's ``wanted`` best others.

    The pairs of each row's ``wanted + 1`` best bounds are scored exactly;
    the ``wanted``-th best score among them (the assigned volunteer aside) is
    a score the row's alternatives reach, so a cell whose bound stays below
    it cannot rank, not even on a tie. Where people are alike but places
    differ, that leaves the volunteers of the nearest places to score instead
    of everyone within reach. Of volunteers who score alike, the caller
    leaves out all but the first few (:class:`_AlikeLeaders`).
    """
    bound = block.bound
    r, padded = bound.shape
    proposable = bound >= 0
    chunks = padded // CHUNK
    if chunks <= wanted:
        return proposable
    # The best cell of each of the row's wanted + 1 best chunks (one pass over the block, not a partition).
    by_chunk = bound.reshape(r, chunks, CHUNK)
    best = np.argpartition(-by_chunk.max(axis=2), wanted, axis=1)[:, : wanted + 1]
    row = np.repeat(np.arange(r), wanted + 1)
    position = best.ravel() * CHUNK + by_chunk[row, best.ravel()].argmax(axis=1)
    valid = (position < len(block.columns)) & proposable[row, position]
    row, position = row[valid], position[valid]
    m, v = block.rows[row], block.columns[position]
    score = pair_scores(scanner.enc, m, v)
    ranked = (v != taken[m]) & (score >= round(scanner.min_score * SCORE_UNITS))
    row, score = row[ranked], score[ranked]
    order = np.lexsort((-score, row))
    row, score = row[order], score[order]
    first = np.searchsorted(row, np.arange(r))
    count = np.bincount(row, minlength=r)
    reached = np.zeros(r, dtype=np.int64)
    full = count >= wanted
    reached[full] = score[first[full] + wanted - 1]
    # In float32, two units below (as the candidates' column floors): keeping a few more cells is harmless.
    return proposable & (bound >= ((reached - 2) / SCORE_UNITS).astype(np.float32)[:, None])


class _AlikeLeaders:
    """Of the volunteers of a group's blocks (``columns``), who ranks first among those who score alike.

    Volunteers of one class (``alike``, :func:`~matching.scoring.alike_volunteers`)
    score the same with every mentee, and ties rank the lower index first.
    A class's ``first`` lowest volunteers among the columns are its leaders:
    where a mentee has ``first`` proposable cells with them, none of the
    class's other volunteers can rank above them, and with ``first`` =
    wanted + 1, not even when one of the leaders is the mentee's own
    volunteer. Where everyone gives the same answers, the billion tied cells
    all score the same, and only the leaders' are scored.
    """

    def __init__(self, columns: np.ndarray, alike: np.ndarray, first: int) -> None:
        self.columns, self.first = columns, first
        self.kind = np.unique(alike[columns], return_inverse=True)[1].ravel()
        self.useful = bool(len(columns)) and int(np.bincount(self.kind).max()) > first
        if not self.useful:
            return
        # Positions of each class's lowest volunteers, grouped by class (all tie: lower index first).
        self.leaders = top_per_owner(self.kind, columns, np.zeros(len(columns), np.int64), first)
        kind = self.kind[self.leaders]
        self.starts = np.flatnonzero(np.r_[True, kind[1:] != kind[:-1]])

    def could_rank(self, cells: np.ndarray) -> np.ndarray:
        """Of a block's ``cells`` (rows x padded columns), those that can still rank: a class's
        leaders, and its other volunteers where the row has fewer than ``first`` cells with those."""
        if not self.useful:
            return cells
        held = np.add.reduceat(cells[:, self.leaders], self.starts, axis=1, dtype=np.int32)
        could = np.zeros(cells.shape, dtype=bool)
        could[:, : len(self.columns)] = (held < self.first)[:, self.kind]
        could[:, self.leaders] = True
        return cells & could


def _alternatives(
    scanner: Scanner, solution: Solution, assigned: dict[int, int], mentees: np.ndarray
) -> dict[str, list[Alternative]]:
    """Best other proposable volunteers per mentee, whether or not they have capacity left.

    From the pairs with exact scores; a mentee whose pairs left out could
    still rank (some may score up to its row bound) is re-scanned, scoring
    the pairs that could rank (:func:`_could_rank`). The re-scan bounds
    scores, not values: where a mentee has an urgent need, a bound of value
    stands a whole score above the scores of the volunteers who serve it.
    """
    enc = scanner.enc
    wanted = enc.settings["alternatives"]
    mentee, volunteer, score = solution.known
    taken = np.full(len(enc.mentees.ids), -1, dtype=np.int64)
    taken[list(assigned)] = list(assigned.values())
    other = volunteer != taken[mentee]
    mentee, volunteer, score = mentee[other], volunteer[other], score[other]
    above = score > solution.row_bound[mentee]
    sure = np.bincount(mentee[above], minlength=len(enc.mentees.ids)) >= wanted
    incomplete = mentees[(solution.row_bound[mentees] >= 0) & ~sure[mentees]]
    if len(incomplete) and wanted:
        min_units = round(scanner.min_score * SCORE_UNITS)

        def best(m: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
            # A mentee's cells are all in one block: its best there are its best (never all its pairs at once).
            other = v != taken[m]
            m, v = m[other], v[other]
            s = pair_scores(enc, m, v)
            good = s >= min_units
            m, v, s = m[good], v[good], s[good]
            top = top_per_owner(m, v, s, wanted)
            return m[top], v[top], s[top]

        alike = alike_volunteers(enc)
        group = threading.local()  # per worker thread: the leaders of the group whose blocks it scans

        def could_rank(block: Block) -> np.ndarray:
            cells = _could_rank(scanner, block, taken, wanted)
            if np.count_nonzero(cells) * ALIKE_FROM <= cells.size:
                return cells
            if getattr(group, "leaders", None) is None or group.leaders.columns is not block.columns:
                group.leaders = _AlikeLeaders(block.columns, alike, wanted + 1)  # a group's blocks share them
            return group.leaders.could_rank(cells)

        more_m, more_v, more_s = scan_pairs(scanner, incomplete, None, could_rank, best, by_score=True)
        redo = np.isin(mentee, incomplete)
        mentee = np.concatenate([mentee[~redo], more_m])
        volunteer = np.concatenate([volunteer[~redo], more_v])
        score = np.concatenate([score[~redo], more_s])
    best = top_per_owner(mentee, volunteer, score, wanted)
    result: dict[str, list[Alternative]] = {enc.mentees.ids[m]: [] for m in mentees.tolist()}
    mentee_ids, volunteer_ids = enc.mentees.ids, enc.volunteers.ids
    for m, v, s in zip(
        mentee[best].tolist(), volunteer[best].tolist(), (score[best] / SCORE_UNITS).tolist(), strict=True
    ):
        result[mentee_ids[m]].append({"volunteer": volunteer_ids[v], "score": s})
    return result


def _pairs(enc: Encoded, pairs: list[tuple[int, int]], locked: bool) -> list[Pair]:
    explained = explain(enc, [m for m, _ in pairs], [v for _, v in pairs])
    return [
        {
            "volunteer": enc.volunteers.ids[v],
            "mentee": enc.mentees.ids[m],
            "score": score,
            "locked": locked,
            "reasons": reasons,
        }
        for (m, v), (score, reasons) in zip(pairs, explained, strict=True)
    ]


def _groups_and_locked(enc: Encoded) -> tuple[list[GroupAssignment], dict[str, dict[str, int]], list[Pair]]:
    groups, shortfall = assign_groups(enc)
    return groups, shortfall, _pairs(enc, enc.locked, locked=True)


def propose(problem: Problem, solver: str = "auto", *, timings: dict[str, float] | None = None) -> Proposals:
    """Validate ``problem`` and return the proposals (see CONTRACT.md).

    ``timings``, if given, also receives the seconds spent per stage (as in
    ``metrics.seconds_by_stage``). Raises
    :class:`~matching.validation.ProblemError` for an invalid problem and
    ``ValueError`` for an unknown solver name.
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, not {solver!r}")
    clock = _Stopwatch(timings)
    validate(problem)
    clock.lap("validate")
    enc = encode(problem)
    remaining = _remaining_capacity(enc)
    locked_mentees = {m for m, _ in enc.locked}
    free = np.array([m for m in range(len(enc.mentees.ids)) if m not in locked_mentees], dtype=np.int64)
    used = _choose(solver, free, remaining)
    scanner = Scanner(enc)
    clock.lap("encode")
    with ThreadPoolExecutor(1) as pool:
        # Groups (an integer programme) and the locked pairs' reasons do not depend on the assignment.
        side = pool.submit(_groups_and_locked, enc)
        solution = (_solve_exact if used == "exact" else _solve_fast)(scanner, free, remaining, clock)
        hopeless = free[~solution.has_feasible[free]]
        reasons = dict(zip(hopeless.tolist(), unmatched_reasons(enc, hopeless), strict=True))
        reasons.update(
            dict.fromkeys(free[solution.has_feasible[free] & ~solution.with_hours[free]].tolist(), NO_HOURS_LEFT)
        )
        groups, shortfall, pairs = side.result()
    assigned = dict(zip(solution.mentee.tolist(), solution.volunteer.tolist(), strict=True))
    pairs += _pairs(enc, sorted(assigned.items()), locked=False)
    pairs.sort(key=lambda pair: pair["mentee"])
    unmatched = [
        {"mentee": enc.mentees.ids[m], "reason": reasons.get(m, CAPACITY_EXHAUSTED)}
        for m in free.tolist()
        if m not in assigned
    ]
    alternatives = _alternatives(scanner, solution, assigned, free)
    clock.lap("explain")
    total = round(float(sum(p["score"] for p in pairs)), 6)
    return {
        "version": 1,
        "pairs": pairs,
        "alternatives": alternatives,
        "unmatched": unmatched,
        "group_assignments": groups,
        "group_shortfall": shortfall,
        "metrics": {
            "mentees": len(enc.mentees.ids),
            "volunteers": len(enc.volunteers.ids),
            "matched": len(pairs),
            "total_score": total,
            "proven_gap": None if solution.gap_units is None else round(solution.gap_units / max(solution.value, 1), 9),
            "solver": used,
            "rounds": solution.rounds,
            "candidate_pairs": len(solution.known[0]),
            "seconds": round(time.perf_counter() - clock.started, 3),
            "seconds_by_stage": {stage: round(s, 3) for stage, s in clock.stages.items()},
        },
    }
