"""propose(): from a problem dict to the proposals dict of the contract."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np

from .assignment import augment_to_maximum, solve_dense, solve_sparse
from .candidates import Candidates, all_blocks, collect, locality_blocks, top_per_mentee
from .constraints import CAPACITY_EXHAUSTED, unmatched_reasons
from .encoding import Encoded, encode
from .groups import assign_groups
from .records import Alternative, Pair, Problem, Proposals
from .scoring import SCORE_UNITS, explain
from .validation import validate

SOLVERS = ("auto", "exact", "fast")
AUTO_EXACT_CELLS = 4_000_000
"""``auto`` uses the dense exact solver while its cost matrix stays this small."""
FAST_TOP_K = 30
"""Candidate volunteers per mentee kept by the fast solver (coverage is then completed
by augmenting paths over all proposable pairs)."""


def _remaining_capacity(enc: Encoded) -> np.ndarray:
    used = np.bincount([v for _, v in enc.locked], minlength=len(enc.volunteers.ids))
    return np.maximum(enc.capacity - used, 0)


def _choose(solver: str, free: np.ndarray, remaining: np.ndarray) -> str:
    if solver != "auto":
        return solver
    cells = len(free) * (int(remaining.sum()) + len(free))
    return "exact" if cells <= AUTO_EXACT_CELLS else "fast"


def _fast_assignment(cands: Candidates, remaining: np.ndarray):
    """Sparse solve on the top-k pairs, then augmented to maximum coverage on all pairs.

    Pruning to the top k can lose a few matches that need a pruned pair;
    augmenting paths over all proposable pairs restore the maximum.
    """
    pairs = solve_sparse(cands.mentee, cands.volunteer, cands.score, remaining)
    return augment_to_maximum(pairs, *cands.all_pairs, remaining)


def _alternatives(
    enc: Encoded, cands: Candidates, assigned: dict[int, int], mentees: np.ndarray
) -> dict[str, list[Alternative]]:
    """Best other proposable volunteers per mentee, whether or not they have capacity left."""
    wanted = enc.settings["alternatives"]
    taken = np.full(len(enc.mentees.ids), -1, dtype=np.int64)
    taken[list(assigned)] = list(assigned.values())
    other = cands.volunteer != taken[cands.mentee]
    best = top_per_mentee(cands.mentee[other], cands.volunteer[other], cands.score[other], wanted)
    result: dict[str, list[Alternative]] = {enc.mentees.ids[m]: [] for m in mentees.tolist()}
    picked = np.flatnonzero(other)[best]
    mentee_ids, volunteer_ids = enc.mentees.ids, enc.volunteers.ids
    for m, v, s in zip(
        cands.mentee[picked].tolist(),
        cands.volunteer[picked].tolist(),
        (cands.score[picked] / SCORE_UNITS).tolist(),
        strict=True,
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


class _Stopwatch:
    """Records the seconds of each stage into ``sink`` (if given)."""

    def __init__(self, sink: dict[str, float] | None) -> None:
        self.sink = sink
        self.started = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.sink is not None:
            self.sink[stage] = now - self.last
        self.last = now


def propose(problem: Problem, solver: str = "auto", *, timings: dict[str, float] | None = None) -> Proposals:
    """Validate ``problem`` and return the proposals (see CONTRACT.md).

    ``timings``, if given, receives the seconds spent per stage (for the
    benchmark). Raises :class:`~matching.validation.ProblemError` for an
    invalid problem and ``ValueError`` for an unknown solver name.
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, not {solver!r}")
    clock = _Stopwatch(timings)
    validate(problem)
    clock.lap("validate")
    enc = encode(problem)
    clock.lap("encode")
    remaining = _remaining_capacity(enc)
    locked_mentees = {m for m, _ in enc.locked}
    free = np.array([m for m in range(len(enc.mentees.ids)) if m not in locked_mentees], dtype=np.int64)
    used = _choose(solver, free, remaining)
    if used == "exact":
        cands = collect(enc, all_blocks(enc, free), keep_per_mentee=None)
        solve = partial(solve_dense, cands.mentee, cands.volunteer, cands.score, remaining)
    else:
        cands = collect(
            enc, locality_blocks(enc, free), keep_per_mentee=max(FAST_TOP_K, enc.settings["alternatives"] + 1)
        )
        solve = partial(_fast_assignment, cands, remaining)
    clock.lap("candidates")
    with ThreadPoolExecutor(1) as pool:
        # What does not depend on the assignment overlaps with it (the solvers release the GIL):
        # reasons of mentees with no feasible volunteer at all, groups, locked pairs.
        solving = pool.submit(solve)
        hopeless = free[~cands.has_feasible[free]]
        reasons = dict(zip(hopeless.tolist(), unmatched_reasons(enc, hopeless), strict=True))
        groups, shortfall = assign_groups(enc)
        pairs = _pairs(enc, enc.locked, locked=True)
        mentee, volunteer = solving.result()
    clock.lap("assignment")
    assigned = dict(zip(mentee.tolist(), volunteer.tolist(), strict=True))
    pairs += _pairs(enc, sorted(assigned.items()), locked=False)
    pairs.sort(key=lambda pair: pair["mentee"])
    unmatched = [
        {"mentee": enc.mentees.ids[m], "reason": reasons.get(m, CAPACITY_EXHAUSTED)}
        for m in free.tolist()
        if m not in assigned
    ]
    alternatives = _alternatives(enc, cands, assigned, free)
    clock.lap("explain")
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
            "total_score": round(float(sum(p["score"] for p in pairs)), 6),
            "seconds": round(time.perf_counter() - clock.started, 3),
            "solver": used,
        },
    }
