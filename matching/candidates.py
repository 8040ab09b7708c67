"""Enumerate and score the proposable pairs.

Blocks of mentees times volunteers are expanded into pair lists and
processed in batches of about ``BATCH_PAIRS`` pairs: the seven constraints
filter the pairs (cheapest first, shrinking the list as they go), only
survivors are scored. Two ways of forming blocks:

* :func:`all_blocks` — every free mentee against every volunteer with
  capacity; used by the exact solver.
* :func:`locality_blocks` — mentees grouped by locality, travel band and
  spoken languages, each group against only the volunteers close enough for
  its most mobile member and sharing one of its languages: one-dimensional
  filters that skip most infeasible pairs without expanding them (people
  share localities and languages). Used by the fast solver.

A pair is *proposable* if it meets the seven constraints, the volunteer's
declared capacity is at least 1, and its score reaches ``min_score``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .constraints import feasible_pairs, language_ok
from .encoding import Encoded
from .scoring import SCORE_UNITS, components, interest_rowwise, quantised_score

TRAVEL_BANDS = 2
"""Mentees of a locality are split into this many bands of travel distance."""
BATCH_PAIRS = 1_000_000
"""Pairs checked at once; bounds temporary memory (about 100 MB)."""

WORKERS = 2
"""Threads scoring batches in parallel (the target machine has 2 cores)."""

Block = tuple[np.ndarray, np.ndarray]


@dataclass
class Candidates:
    """Scored proposable pairs (arrays aligned), plus what the rest of the engine needs."""

    mentee: np.ndarray
    volunteer: np.ndarray
    score: np.ndarray  # int64 in [0, SCORE_UNITS]
    has_feasible: np.ndarray  # per mentee: some volunteer with capacity >= 1 meets all constraints
    all_pairs: tuple[np.ndarray, np.ndarray]  # every proposable pair (mentee, volunteer), unscored


def top_per_mentee(mentee: np.ndarray, volunteer: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k best pairs of every mentee, best first (ties: lower volunteer index)."""
    # One int64 key (mentee, score descending, volunteer) sorts much faster than a lexsort.
    key = (mentee.astype(np.int64) << 42) | ((SCORE_UNITS - score).astype(np.int64) << 21) | volunteer
    order = np.argsort(key) if len(volunteer) and volunteer.max() < 1 << 21 else np.lexsort((volunteer, -score, mentee))
    sorted_mentee = mentee[order]
    starts = (
        np.flatnonzero(np.r_[True, sorted_mentee[1:] != sorted_mentee[:-1]])
        if len(order)
        else np.zeros(0, dtype=np.int64)
    )
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return order[rank < k]


def _batches(blocks: Iterator[Block]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pair lists (mentee, volunteer) of whole blocks, about BATCH_PAIRS at a time.

    A mentee's block is never split across batches (blocks only split by
    mentees), so a per-batch top-k per mentee is the global one.
    """
    pending: list[Block] = []
    size = 0
    for ma, vb in blocks:
        rows = max(1, BATCH_PAIRS // max(1, len(vb)))
        for start in range(0, len(ma), rows):
            part = ma[start : start + rows]
            pending.append((np.repeat(part, len(vb)), np.tile(vb, len(part))))
            size += len(part) * len(vb)
            if size >= BATCH_PAIRS:
                yield tuple(np.concatenate(column) for column in zip(*pending, strict=True))
                pending, size = [], 0
    if pending:
        yield tuple(np.concatenate(column) for column in zip(*pending, strict=True))


def all_blocks(enc: Encoded, mentees: np.ndarray) -> Iterator[Block]:
    yield mentees, np.flatnonzero(enc.capacity >= 1)


def locality_blocks(enc: Encoded, mentees: np.ndarray) -> Iterator[Block]:
    """Blocks of mentees sharing locality, travel band and spoken languages.

    For each such group, only volunteers that could suit its most mobile
    member by distance and that share one of its languages enter the block:
    two cheap one-dimensional filters that skip most infeasible pairs before
    the dense checks.
    """
    volunteers = np.flatnonzero(enc.capacity >= 1)
    v_locality = enc.volunteers.locality[volunteers]
    v_travel = enc.volunteers.travel_km[volunteers]
    m_travel = enc.mentees.travel_km[mentees]
    bands = np.unique(np.quantile(m_travel, np.linspace(0, 1, TRAVEL_BANDS + 1)[1:-1])) if len(mentees) else np.zeros(0)
    speaks = [word[mentees].astype(np.int64) for word in enc.mentees.speaks]  # wraps, still unique
    keys = np.column_stack([enc.mentees.locality[mentees], np.searchsorted(bands, m_travel), *speaks])
    groups, group_of = np.unique(keys, axis=0, return_inverse=True)  # sorted: by locality, band
    order = np.argsort(group_of.ravel(), kind="stable")
    bounds = np.searchsorted(group_of.ravel()[order], np.arange(len(groups) + 1))
    near, near_key = volunteers[:0], None
    for g, key in enumerate(groups):
        ma = mentees[order[bounds[g] : bounds[g + 1]]]
        if near_key != tuple(key[:2]):  # same locality and band: same volunteers within reach
            band = (keys[:, 0] == key[0]) & (keys[:, 1] == key[1])
            near = volunteers[enc.distance_km[key[0], v_locality] <= m_travel[band].max() + v_travel]
            near_key = tuple(key[:2])
        yield ma, near[language_ok(enc, ma[:1], near)]


def _process(enc: Encoded, mi: np.ndarray, vj: np.ndarray, keep_per_mentee: int | None):
    """One batch: (feasible mentees, all proposable pairs, kept scored pairs)."""
    keep = feasible_pairs(enc, mi, vj)
    mi, vj = mi[keep], vj[keep]
    score = quantised_score(components(enc, mi, vj, interest_rowwise(enc, mi, vj)))
    proposable = score / SCORE_UNITS >= enc.settings["min_score"]
    feasible_mentees = mi
    mi, vj, score = mi[proposable], vj[proposable], score[proposable]
    everything = (mi.astype(np.int32), vj.astype(np.int32))
    if keep_per_mentee is not None:
        best = top_per_mentee(mi, vj, score, keep_per_mentee)
        mi, vj, score = mi[best], vj[best], score[best]
    return feasible_mentees, everything, (mi, vj, score)


def _gather(result, has_feasible: np.ndarray, everything: list, kept: list) -> None:
    feasible_mentees, proposable, scored = result
    has_feasible[feasible_mentees] = True
    everything.append(proposable)
    kept.append(scored)


def collect(enc: Encoded, blocks: Iterator[Block], keep_per_mentee: int | None) -> Candidates:
    """Score the proposable pairs of all blocks; keep the best ``keep_per_mentee`` per mentee.

    Every mentee must appear in one block only, with all its candidate
    volunteers. Batches run on ``WORKERS`` threads: numpy releases the GIL
    in the array operations that dominate here.
    """
    has_feasible = np.zeros(len(enc.mentees.ids), dtype=bool)
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    everything: list[tuple[np.ndarray, np.ndarray]] = []
    with ThreadPoolExecutor(WORKERS) as pool:
        pending: deque = deque()
        for batch in _batches(blocks):
            pending.append(pool.submit(_process, enc, *batch, keep_per_mentee))
            while len(pending) > WORKERS or (pending and pending[0].done()):
                _gather(pending.popleft().result(), has_feasible, everything, kept)
        while pending:  # in submission order: deterministic
            _gather(pending.popleft().result(), has_feasible, everything, kept)
    mentee, volunteer, score = _concatenate(kept, 3)
    all_pairs = tuple(_concatenate(everything, 2)) if keep_per_mentee is not None else (mentee, volunteer)
    return Candidates(mentee, volunteer, score, has_feasible, all_pairs)


def _concatenate(parts: list[tuple[np.ndarray, ...]], width: int) -> list[np.ndarray]:
    if not parts:
        return [np.zeros(0, dtype=np.int64) for _ in range(width)]
    return [np.concatenate(column) for column in zip(*parts, strict=True)]
