"""Enumerate the proposable pairs in blocks, bound their scores, keep the candidates.

A *block* is a group of mentees who share a locality and the languages they
speak well enough (at which level), against the volunteers that one-dimensional
filters leave for the group: within reach of its most mobile member, speaking
one of its languages. Where a place's groups are small, as across a state
where mentees speak many languages, they are joined (:meth:`Scanner.groups`):
a group's fixed cost would outweigh its cells. Inside a block every check and
score is a broadcast between a column of mentees and a row of volunteers —
bitwise ANDs of slots and needs, a shared language where a block joins
several, exact distance per travel distance, gender and clearance per kind of
mentee — so a pair costs a few nanoseconds and no pair list is ever built for
the pairs that do not matter. When almost everyone reaches almost
everyone (one city, one dense district), this keeps the work per pair flat.

Each cell of a block gets an *upper bound* of its score: every block of the
score is exact (language, need, distance, time, life stage) except interests,
the product of TF-IDF vectors folded into 64 dimensions (the cosine where no
two terms share a dimension, above it where they do). Scores proper (float64, quantised
as in :func:`~matching.scoring.explain`) are computed only for the pairs kept.

:func:`top_candidates` keeps, for every mentee, its k best cells (by bound,
ties cut by a scramble of the volunteer's index), and likewise for every
volunteer (streamed: a volunteer appears in many blocks), and records the
(k+1)-th best bounds: no pair left out
can score more than ``min(row_bound[m], column_bound[v])``. The pricing step
(:mod:`matching.pricing`) uses this to prove the assignment optimal without
looking at most pairs again; :func:`scan_pairs` re-scans only the rows and
columns where a left-out pair could still matter.

A pair is *proposable* if it meets the constraints, the volunteer's declared
capacity is at least 1, and its score reaches ``min_score``. Bounds are of a
pair's *value* for the solvers: its score, plus a whole score's worth when
it serves an urgent need (:func:`~matching.scoring.pair_objective`), except
in a scan *by score* (:func:`scan_pairs`), for what ranks by score alone.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .encoding import GENDERS, LEVELS, Encoded
from .reach import LocalityDistances
from .scoring import (
    AGE_SCALE_YEARS,
    DISTANCE_SCALE_KM,
    SATURATING_SLOTS,
    SCORE_UNITS,
    WEIGHTS,
    pair_objective,
    pair_scores,
)

WORKERS = 2
"""Threads evaluating blocks (the target machine has 2 cores; numpy releases the GIL)."""
BLOCK_CELLS = 1 << 18
"""A group's mentees are evaluated in slices of about this many cells (cache-sized temporaries)."""
TASK_CELLS = 1 << 22
"""A group's mentees are split into tasks of at most about this many cells: a task's blocks are held
until it ends, and one large group (everyone in one place speaking one language) would otherwise hold
all its blocks at once and keep one thread busy while the other waits."""
GROUP_CELLS = 1 << 15
"""What a group costs beyond its cells, in cells' worth of work (gathering its volunteers' side and a
block's fixed steps, about 0.7 ms): where a place's mentees speak many different languages and few
volunteers reach each group, as across a state, that outweighs the cells (see :meth:`Scanner.groups`)."""
CHUNK = 64
"""Columns per chunk when finding a row's (k+1)-th best bound from chunk maxima."""
TIED_SHARE = 0.2
"""A block's rows keep their best cells by a partition of each row rather than one sort of every cell
passing the rows' floors once more than this share of the block's cells pass: where many bounds tie at
a row's floor, every tied cell passes (all of them when everyone is alike, a billion cells at 50,000 x
20,000), and sorting them all took most of the scan. A partition reads the whole block, so below about
a fifth the sort is the faster (measured on blocks of 28 x 9,216 cells: 1.0 against 1.5 ms at an
eighth, 2.3 against 1.9 ms at a quarter, 11.9 against 3.5 ms for all)."""
SHRINK_FROM = 1 << 23
"""Pairs a scan with a selection (:func:`scan_pairs`) holds before it selects from them: about 256 MB
of pairs with scores and values."""
BOUND_SLACK = 20
"""Score units added to every bound: float32 rounding of the block sums stays far below."""
NOT_PROPOSABLE = -1.0
"""Bound of a cell that is infeasible or cannot reach ``min_score``."""
NEAR_CACHED = 512
"""Places whose reachable volunteers the scan keeps where the distances come row by row (beyond
``reach.TABLE_UP_TO`` places); a recomputation costs a row of distances. Keeping only the last 512 of
2,000 postcodes cost the city by postcode 2 s of 23 s (and saved 170 MB), so with the table every
place's are kept."""
_UNKNOWN_AGE = 1e4  # |age difference| at least this large: the life-stage block is 0


@dataclass
class Block:
    """One evaluated block: ``bound[i, j]`` for mentee ``rows[i]`` and volunteer ``columns[j]``."""

    rows: np.ndarray  # mentee indexes
    columns: np.ndarray  # volunteer indexes
    bound: (
        np.ndarray
    )  # float32 (rows x padded columns): upper bound of the pair's value (of its score in a scan by score),
    # NOT_PROPOSABLE if not proposable
    feasible: np.ndarray  # per row: some volunteer in the block meets all the constraints
    with_hours: np.ndarray  # per row: ... and has hours left for a sponsorship
    urgent: np.ndarray | None = None  # (rows x columns) the pair serves an urgent need; None: no mentee
    # has one, or a scan by score


@dataclass
class _Side:
    """The volunteers of one group's blocks and what the blocks need of them, gathered once per
    group: its blocks are row slices against the same columns, and where a slice has few rows,
    gathering per block cost of the order of the cells' own work."""

    positions: np.ndarray  # in Scanner.columns
    volunteers: np.ndarray  # volunteer indexes
    slots: np.ndarray
    activities: tuple[np.ndarray, ...]
    age: np.ndarray
    hours: np.ndarray
    profiles: np.ndarray  # the group's language profiles (sorted) ...
    value: np.ndarray  # ... and per profile the bound's distance and language blocks (+ slack)
    speaks: np.ndarray | None  # ... and who shares a language (None: everyone, as in most groups)
    travels: np.ndarray  # the group's travel distances (sorted) ...
    within: np.ndarray | None  # ... and per travel distance who is within reach (None: everyone)
    kinds: np.ndarray  # the group's kinds of mentee (sorted) ...
    allowed: np.ndarray | None  # ... and per kind whose gender suits (None: everyone)
    cleared: np.ndarray | None  # police clearance (None: everyone has it)
    interests: tuple[np.ndarray, np.ndarray] | None  # dimensions the group uses, volunteers' weights in them


@dataclass
class Candidates:
    """Pairs kept by :func:`top_candidates`, with exact scores, and the bounds of those left out."""

    mentee: np.ndarray  # int64
    volunteer: np.ndarray  # int64
    score: np.ndarray  # int64 in [0, SCORE_UNITS], proposable only
    objective: np.ndarray  # int64: the pair's value for the solvers (score, plus URGENT_UNITS if urgent)
    row_bound: np.ndarray  # per mentee: no left-out pair of it is worth more (units); -1 if none left out
    column_bound: np.ndarray  # per volunteer: the same for its pairs
    has_feasible: np.ndarray  # per mentee: some volunteer with capacity >= 1 meets all constraints
    with_hours: np.ndarray  # per mentee: ... and has hours left
    row_plain: np.ndarray | None = None  # per mentee: the same for its left-out pairs that serve no urgent
    # need (their value is their score); None: as row_bound (no mentee has an urgent need)
    column_plain: np.ndarray | None = None  # per volunteer: the same for its pairs

    def plain_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Bounds of the left-out pairs that serve no urgent need (row, column): where mentees have
        urgent needs, a mentee's or a volunteer's best left-out pair may be worth a whole score more
        than any of its others."""
        if self.row_plain is None or self.column_plain is None:
            return self.row_bound, self.column_bound
        return self.row_plain, self.column_plain


@dataclass
class _Joined:
    """Groups of one place scanned as one, while :meth:`Scanner.groups` decides which to join."""

    groups: list[np.ndarray]
    rows: int
    speaking: np.ndarray  # over the place's nearby columns: shares a language with one of the rows
    travel: float  # the farthest any of the rows travels
    slack: np.ndarray  # the place's nearby columns' distance minus their travel

    @property
    def cost(self) -> int:
        """Cells crossed (rows x reachable columns), plus what a group costs beyond them."""
        return self.rows * int(np.count_nonzero(self.speaking & (self.slack <= self.travel))) + GROUP_CELLS

    def join(self, other: _Joined) -> _Joined:
        return _Joined(
            self.groups + other.groups,
            self.rows + other.rows,
            self.speaking | other.speaking,
            max(self.travel, other.travel),
            self.slack,
        )


class Scanner:
    """Per-problem tables for evaluating blocks; built once, used by every scan."""

    def __init__(self, enc: Encoded) -> None:
        self.enc = enc
        mentees, volunteers = enc.mentees, enc.volunteers
        self.columns = np.flatnonzero((enc.capacity >= 1) & ~enc.one_off)
        cols = self.columns
        min_level = LEVELS.index(enc.settings["min_language_level"]) + 1
        # Languages: profiles of the levels that count (>= min level); a table of their block values.
        m_levels = np.where(mentees.levels >= min_level, mentees.levels, 0)
        v_levels = np.where(volunteers.levels[cols] >= min_level, volunteers.levels[cols], 0)
        m_profiles, m_profile = np.unique(m_levels, axis=0, return_inverse=True)
        v_profiles, self.v_profile = np.unique(v_levels, axis=0, return_inverse=True)
        shared = np.minimum(m_profiles[:, None, :], v_profiles[None, :, :]).max(axis=2, initial=0)
        self.language = (shared * (WEIGHTS["language"] / len(LEVELS))).astype(np.float32)
        self.m_profile = m_profile.ravel()
        self.v_profile = self.v_profile.ravel()
        # Mentees who speak the same languages well enough share volunteers; their levels may differ.
        self.m_speaks = np.unique(m_profiles > 0, axis=0, return_inverse=True)[1].ravel()[self.m_profile]
        self.v_speaks = shared > 0  # (mentee profile x volunteer profile)
        self.v_locality = volunteers.locality[cols]
        self.v_travel = volunteers.travel_km[cols]
        self.v_slots = volunteers.slots[cols]
        self.v_activities = tuple(word[cols] for word in volunteers.activities)
        # Interests folded into INTEREST_DIMS dimensions (column % INTEREST_DIMS, weights summed):
        # their dot product is the cosine when no two terms share a dimension, and above it otherwise.
        self.m_interest = _folded(mentees.interests)
        self.v_interest = np.ascontiguousarray(_folded(volunteers.interests[cols]).T)  # dimensions x columns
        self.with_interests = bool(self.m_interest.any() and self.v_interest.any())
        self.with_urgency = any(word.any() for word in enc.urgent)
        self.v_hours = enc.hours_capacity[cols] >= 1
        self.hours_matter = not self.v_hours.all()
        self.v_age = np.nan_to_num(volunteers.age[cols], nan=_UNKNOWN_AGE).astype(np.float32)
        self.m_age = np.nan_to_num(mentees.age, nan=-_UNKNOWN_AGE).astype(np.float32)
        needs = sum(np.bitwise_count(word).astype(np.int64) for word in mentees.activities)
        self.need_weight = (WEIGHTS["need"] / np.maximum(needs, 1)).astype(np.float32)
        self.time_weight = np.float32(WEIGHTS["time"] / SATURATING_SLOTS)
        self.interest_weight = np.float32(WEIGHTS["interests"])
        # Gender per kind of mentee (preferred mentor gender, own gender) over the columns.
        self.m_kind = (enc.preferred_gender.astype(np.int64) + 1) * len(GENDERS) + mentees.gender
        preferred = np.arange(len(GENDERS) + 1)[:, None].repeat(len(GENDERS), axis=1).ravel() - 1
        own = np.tile(np.arange(len(GENDERS)), len(GENDERS) + 1)
        v_gender, v_accepts = volunteers.gender[cols], enc.accepts[cols]
        self.kind_ok = ((preferred[:, None] < 0) | (v_gender[None, :] == preferred[:, None])) & (
            ((v_accepts[None, :] >> own[:, None].astype(np.uint8)) & 1) == 1
        )
        self.v_clearance = enc.clearance[cols]
        self.min_score = float(enc.settings["min_score"])
        # Excluded pairs as (mentee, column position), sorted.
        n_v = len(volunteers.ids)
        ex_m, ex_v = enc.excluded_keys // max(n_v, 1), enc.excluded_keys % max(n_v, 1)
        position = np.searchsorted(cols, ex_v)
        known = (position < len(cols)) & (cols[np.minimum(position, len(cols) - 1)] == ex_v) if len(cols) else ex_v < 0
        self.ex_mentee, self.ex_column = ex_m[known], position[known]
        self.farthest = float(mentees.travel_km.max(initial=0))
        self._near = _near_of_places(enc.distance_km, self.v_locality, self.v_travel, self.farthest)
        self.has_excluded = np.zeros(len(mentees.ids), dtype=bool)
        self.has_excluded[self.ex_mentee] = True
        self._speakers: dict[int, np.ndarray] = {}

    def groups(self, mentees: np.ndarray) -> list[np.ndarray]:
        """The given mentees grouped by locality and the languages they speak well enough, most
        promising first; a large group in several tasks (:data:`TASK_CELLS`).

        Groups whose languages can earn the most come first, so that the
        volunteers' streamed thresholds rise early and few cells of later
        groups need keeping (see :func:`top_candidates`); places are
        interleaved within that order (golden-ratio stride). A place's
        small groups are scanned as one where that saves more than it adds
        (:meth:`_merged`).
        """
        if not len(mentees):
            return []
        keys = self.enc.mentees.locality[mentees].astype(np.int64) * (len(self.language) + 1) + self.m_speaks[mentees]
        order = np.argsort(keys, kind="stable")
        starts = np.flatnonzero(np.r_[True, keys[order][1:] != keys[order][:-1]])
        by_place = np.split(mentees[order], starts[1:])
        groups = [part for group in self._merged(by_place) for part in self._tasks(np.sort(group))]
        stride = (np.arange(len(groups)) * 0.6180339887498949) % 1.0
        value = self.language.max(axis=1, initial=0)
        best = np.array([value[self.m_profile[group]].max() for group in groups])
        return [groups[g] for g in np.lexsort((stride, -best)).tolist()]

    def _merged(self, groups: list[np.ndarray]) -> list[np.ndarray]:
        """Groups (consecutive per place) with each place's smaller ones joined, smallest first, as
        long as a join costs fewer cells than the group it saves (:data:`GROUP_CELLS`): the joined
        rows then cross every volunteer who shares a language with any of them (as
        :meth:`reachable` counts them)."""
        mentees = self.enc.mentees
        place = mentees.locality[[group[0] for group in groups]]
        starts = np.flatnonzero(np.r_[True, place[1:] != place[:-1]])
        result: list[np.ndarray] = []
        for same in np.split(np.arange(len(groups)), starts[1:]):
            if len(same) == 1:
                result.append(groups[same[0]])
                continue
            near, slack = self._near(int(place[same[0]]))
            joined: _Joined | None = None
            for g in sorted(same.tolist(), key=lambda g: len(groups[g])):
                group = groups[g]
                alone = _Joined(
                    [group],
                    len(group),
                    self._speaking(np.unique(self.m_profile[group]))[near],
                    float(mentees.travel_km[group].max()),
                    slack,
                )
                if joined is None:
                    joined = alone
                    continue
                both = joined.join(alone)
                if both.cost < joined.cost + alone.cost:
                    joined = both
                else:
                    result.append(np.concatenate(joined.groups))
                    joined = alone
            if joined is not None:
                result.append(np.concatenate(joined.groups))
        return result

    def _tasks(self, group: np.ndarray) -> list[np.ndarray]:
        """A group's mentees in parts of about TASK_CELLS cells (at most; one row at least)."""
        near = len(self._near(int(self.enc.mentees.locality[group[0]]))[0])
        rows = max(1, TASK_CELLS // max(near, 1))
        return np.split(group, range(rows, len(group), rows)) if len(group) > rows else [group]

    def _speaking(self, profiles: np.ndarray) -> np.ndarray:
        """Per column: shares a language (at the minimum level) with mentees of one of these
        language profiles."""
        speaking = None
        for profile in profiles.tolist():
            if profile not in self._speakers:
                self._speakers[profile] = self.v_speaks[profile][self.v_profile]
            speaking = self._speakers[profile] if speaking is None else speaking | self._speakers[profile]
        return speaking

    def reachable(self, rows: np.ndarray, column_mask: np.ndarray | None = None) -> np.ndarray:
        """Positions (in :attr:`columns`) of the volunteers that can suit someone in a group of
        mentees by distance and language (one-dimensional filters), within ``column_mask``."""
        near, slack = self._near(int(self.enc.mentees.locality[rows[0]]))
        speaking = self._speaking(np.unique(self.m_profile[rows]))
        mask = (slack <= self.enc.mentees.travel_km[rows].max()) & speaking[near]
        if column_mask is not None:
            mask &= column_mask[near]
        return near[mask]

    def evaluate(
        self, rows: np.ndarray, column_mask: np.ndarray | None = None, by_score: bool = False
    ) -> Iterator[Block]:
        """Blocks for one group of mentees (same locality and spoken languages), row slices of it.

        ``column_mask`` (over :attr:`columns`) restricts the volunteers; ``by_score`` bounds the
        pairs' scores instead of their values (no urgency bonus).
        """
        cols = self.reachable(rows, column_mask)
        if not len(cols):
            nothing = np.zeros(len(rows), bool)
            yield Block(rows, self.columns[cols], np.zeros((len(rows), 0), np.float32), nothing, nothing)
            return
        side = self._side(rows, cols)
        step = max(1, BLOCK_CELLS // len(cols))
        for start in range(0, len(rows), step):
            yield self._block(rows[start : start + step], side, by_score)

    def _side(self, rows: np.ndarray, cols: np.ndarray) -> _Side:
        """The volunteers' side of a group's blocks, gathered once for all its row slices."""
        enc = self.enc
        locality = int(enc.mentees.locality[rows[0]])
        distance = enc.distance_km.row(locality, self.v_locality[cols])
        # The distance block of these columns alone: a table over all pairs of places would cost as
        # much memory as the distances themselves where people live at thousands of places.
        nearby = (WEIGHTS["distance"] * np.exp(-distance / DISTANCE_SCALE_KM)).astype(np.float32)
        base = nearby + np.float32(BOUND_SLACK / SCORE_UNITS)
        profiles = np.unique(self.m_profile[rows])
        travels = np.unique(enc.mentees.travel_km[rows])
        v_travel = self.v_travel[cols]
        within = distance[None, :] <= travels[:, None] + v_travel[None, :]
        kinds = np.unique(self.m_kind[rows])
        allowed = self.kind_ok[kinds][:, cols]
        cleared = self.v_clearance[cols]
        # np.take gathers the columns of a few rows about twice as fast as indexing them.
        speaks = np.take(self.v_speaks[profiles], self.v_profile[cols], axis=1)
        interests = None
        if self.with_interests:
            dims = np.flatnonzero(self.m_interest[rows].any(axis=0))
            interests = (dims, np.take(self.v_interest[dims], cols, axis=1)) if len(dims) else None
        return _Side(
            positions=cols,
            volunteers=self.columns[cols],
            slots=self.v_slots[cols],
            activities=tuple(word[cols] for word in self.v_activities),
            age=self.v_age[cols],
            hours=self.v_hours[cols],
            profiles=profiles,
            value=base[None, :] + np.take(self.language[profiles], self.v_profile[cols], axis=1),
            speaks=None if speaks.all() else speaks,
            travels=travels,
            within=None if within.all() else within,
            kinds=kinds,
            allowed=None if allowed.all() else allowed,
            cleared=None if cleared.all() else cleared,
            interests=interests,
        )

    def _block(self, rows: np.ndarray, side: _Side, by_score: bool) -> Block:
        enc = self.enc
        r, c = len(rows), len(side.positions)
        padded = -(-c // CHUNK) * CHUNK
        # Feasibility: a shared slot and a shared need (bitwise), then distance, gender, clearance.
        shared_slots = np.bitwise_count(enc.mentees.slots[rows][:, None] & side.slots[None, :])
        words = zip(enc.mentees.activities, side.activities, strict=True)
        m_word, v_word = next(words)
        shared_needs = np.bitwise_count(m_word[rows][:, None] & v_word[None, :])
        for m_word, v_word in words:
            shared_needs += np.bitwise_count(m_word[rows][:, None] & v_word[None, :])
        feasible = np.minimum(shared_slots, shared_needs) != 0
        self._gate(rows, side, feasible)
        self._exclude(rows, side.positions, feasible)
        # The bound, summed in place (numpy does not fuse: every temporary costs a pass).
        bound = np.empty((r, padded), dtype=np.float32)
        bound[:, c:] = NOT_PROPOSABLE
        view = bound[:, :c]
        # Saturations are clips between two bounds: numpy 2.4 clips several times faster than it
        # takes a one-sided minimum or maximum with a scalar (and the lower bounds hold anyway).
        extra = np.multiply(shared_slots, self.time_weight)
        np.clip(extra, 0, self.time_weight * np.float32(SATURATING_SLOTS), out=extra)
        np.add(extra, _rows_of(side.value, side.profiles, self.m_profile[rows]), out=view)  # distance, language
        np.multiply(shared_needs, self.need_weight[rows][:, None], out=extra)
        view += extra
        np.subtract(self.m_age[rows][:, None], side.age[None, :], out=extra)
        np.abs(extra, out=extra)
        extra *= np.float32(-WEIGHTS["life_stage"] / AGE_SCALE_YEARS)
        extra += np.float32(WEIGHTS["life_stage"])
        np.clip(extra, 0, np.float32(WEIGHTS["life_stage"]), out=extra)
        view += extra
        if side.interests is not None:
            dims, theirs = side.interests
            np.matmul(self.m_interest[rows][:, dims], theirs, out=extra)
            np.clip(extra, 0, 1, out=extra)  # folded TF-IDF weights are not negative
            extra *= self.interest_weight
            view += extra
        urgent = None
        if self.with_urgency and not by_score:
            urgent = np.zeros((r, c), dtype=bool)
            for m_word, v_word in zip(enc.urgent, side.activities, strict=True):
                urgent |= (m_word[rows][:, None] & v_word[None, :]) != 0
            view += urgent  # URGENT_UNITS: a whole score's worth
        feasible_rows = feasible.any(axis=1)
        with_hours = (feasible & side.hours[None, :]).any(axis=1) if self.hours_matter else feasible_rows
        if self.min_score > 0:
            feasible &= view >= self.min_score
        np.multiply(view, feasible, out=view)
        np.subtract(view, ~feasible, out=view)  # not proposable: -1
        return Block(rows, side.volunteers, bound, feasible_rows, with_hours, urgent)

    def _gate(self, rows: np.ndarray, side: _Side, feasible: np.ndarray) -> None:
        """A shared language (per language profile, where a group joins several), distance
        (exactly as the contract checks it, per travel distance among the rows), gender and
        clearance (per kind of mentee), each skipped where it holds throughout."""
        if side.speaks is not None:
            feasible &= _rows_of(side.speaks, side.profiles, self.m_profile[rows])
        if side.within is not None:
            feasible &= _rows_of(side.within, side.travels, self.enc.mentees.travel_km[rows])
        if side.allowed is not None:
            feasible &= _rows_of(side.allowed, side.kinds, self.m_kind[rows])
        if side.cleared is not None:
            minors = self.enc.involves_minors[rows]
            if minors.any():
                feasible[minors] &= side.cleared[None, :]

    def _exclude(self, rows: np.ndarray, cols: np.ndarray, feasible: np.ndarray) -> None:
        if not self.has_excluded[rows].any():
            return
        lo, hi = np.searchsorted(self.ex_mentee, [rows.min(), rows.max() + 1])
        if lo == hi:
            return
        ex_m, ex_c = self.ex_mentee[lo:hi], self.ex_column[lo:hi]
        row = np.searchsorted(rows, ex_m)
        row_ok = (row < len(rows)) & (rows[np.minimum(row, len(rows) - 1)] == ex_m)
        col = np.searchsorted(cols, ex_c)
        col_ok = (col < len(cols)) & (cols[np.minimum(col, len(cols) - 1)] == ex_c)
        ok = row_ok & col_ok
        feasible[row[ok], col[ok]] = False


INTEREST_DIMS = 64


def _near_of_places(
    distances: LocalityDistances, v_locality: np.ndarray, v_travel: np.ndarray, farthest: float
) -> Callable[[int], tuple[np.ndarray, np.ndarray]]:
    """A place's columns (:attr:`Scanner.columns`) that its most mobile mentee could reach, and for
    each its distance minus the volunteer's travel (float64, for exact checks), as a cached function
    of the place: every place's where the distances come from their table, the last NEAR_CACHED
    places' beyond (each holds up to a position and a slack per volunteer, 320 KB at 20,000, and a
    problem may give a place per person). It holds no reference to the scanner: a cycle through the
    cache would keep the scanner's arrays in a long-lived process (the app's worker) until a full
    garbage collection."""

    def near_of(locality: int) -> tuple[np.ndarray, np.ndarray]:
        slack = distances.row(locality, v_locality) - v_travel
        near = np.flatnonzero(slack <= farthest)
        return near, slack[near]

    return functools.lru_cache(maxsize=NEAR_CACHED if distances.by_row else None)(near_of)


def _rows_of(table: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Rows of ``table`` (one per sorted key) for each of ``values``; a broadcastable single row
    when all values are the same key (no copy)."""
    if (values == values[0]).all():
        return table[np.searchsorted(keys, values[:1])]
    return table[np.searchsorted(keys, values)]


def _folded(interests) -> np.ndarray:
    """TF-IDF rows folded into INTEREST_DIMS dense float32 dimensions (weights of a dimension summed)."""
    interests = interests.tocoo()
    folded = np.zeros((interests.shape[0], INTEREST_DIMS), dtype=np.float32)
    np.add.at(folded, (interests.row, interests.col % INTEREST_DIMS), interests.data.astype(np.float32))
    return folded


def bound_units(bound: np.ndarray) -> np.ndarray:
    """Bounds as integer score units, rounded up (a bound stays a bound)."""
    return np.ceil(bound.astype(np.float64) * SCORE_UNITS).astype(np.int64)


def _run(
    scanner: Scanner,
    groups: list[np.ndarray],
    work: Callable[[Block], object],
    column_mask: np.ndarray | None,
    by_score: bool = False,
) -> Iterator[object]:
    """``work`` on every block, on WORKERS threads; results in a fixed order (the groups' order)."""

    def evaluate_and_work(group: np.ndarray) -> list:
        return [work(block) for block in scanner.evaluate(group, column_mask, by_score)]

    # Small matrix products on two threads: BLAS threads of its own would only compete with them.
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(WORKERS) as pool:
        pending: deque = deque()
        for group in groups:
            pending.append(pool.submit(evaluate_and_work, group))
            while len(pending) > 2 * WORKERS:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


class _Keys:
    """Cells (owner, other, bound in units) packed into one int64 that sorts by owner, then bound
    descending, then other: sorting one array is several times faster than a lexsort.

    With ``salt`` (an int), equal bounds are ordered by a scramble of ``other``
    that differs per owner (a bijection modulo ``2**other_bits``: an odd
    multiplier and an offset per owner) instead of by ``other`` itself. When
    many cells tie, as where many people are alike, every owner would
    otherwise keep the same few lowest indexes, and the kept pairs could not
    even cover the places.
    """

    UNITS = (1 << 21) - 1  # bounds stay below 1.0001 * SCORE_UNITS
    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: invertible modulo any power of two
    _STRIDE = np.uint64(0xBF58476D1CE4E5B9)

    def __init__(self, owners: int, others: int, salt: int | None = None) -> None:
        self.other_bits = max(1, int(others - 1).bit_length())
        self.owner_shift = self.other_bits + 21
        if self.owner_shift + max(1, int(owners - 1).bit_length()) > 63:
            raise ValueError(f"too many people to match at once ({owners} x {others})")
        self.salt = salt
        self._mask = np.uint64((1 << self.other_bits) - 1)
        self._inverse = np.uint64(pow(int(self._MULTIPLIER), -1, 1 << self.other_bits))

    def _offset(self, owner: np.ndarray) -> np.ndarray:
        # uint64 products wrap modulo 2**64, which is consistent modulo 2**other_bits.
        return (owner.astype(np.uint64) + np.uint64(self.salt)) * self._STRIDE

    def pack(self, owner: np.ndarray, other: np.ndarray, units: np.ndarray) -> np.ndarray:
        owner, other = owner.astype(np.int64), other.astype(np.int64)
        if self.salt is not None:
            other = ((other.astype(np.uint64) * self._MULTIPLIER + self._offset(owner)) & self._mask).astype(np.int64)
        return (owner << self.owner_shift) | ((self.UNITS - units) << self.other_bits) | other

    def unpack(self, key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        units = self.UNITS - ((key >> self.other_bits) & self.UNITS)
        owner, other = key >> self.owner_shift, key & ((1 << self.other_bits) - 1)
        if self.salt is not None:
            scrambled = (other.astype(np.uint64) - self._offset(owner)) & self._mask
            other = ((scrambled * self._inverse) & self._mask).astype(np.int64)
        return owner, other, units


def _ranks(owner: np.ndarray) -> np.ndarray:
    """Position of each cell among its owner's cells (``owner`` sorted).

    Each owner's first position repeated over its cells: at millions of cells
    about a third faster than a running maximum of the first positions.
    """
    first = np.empty(len(owner), dtype=bool)
    first[:1] = True
    np.not_equal(owner[1:], owner[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return np.arange(len(owner)) - np.repeat(starts, np.diff(starts, append=len(owner)))


def _leading(owner: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Which cells are among the first k of their owner (``owner`` sorted), and which are the
    (k+1)-th: a cell is among its owner's first n unless the cell n places before it has the same
    owner. One comparison per n, where ranking every cell (:func:`_ranks`) takes four passes and
    three arrays of positions."""

    def among_first(n: int) -> np.ndarray:
        if n <= 0:
            return np.zeros(len(owner), dtype=bool)
        among = np.ones(len(owner), dtype=bool)
        np.not_equal(owner[n:], owner[:-n], out=among[n:])
        return among

    within = among_first(k)
    return within, among_first(k + 1) & ~within


def _best(keys: _Keys, key: np.ndarray, k: int | np.ndarray, n: int):
    """Per owner (0..n-1) of the sorted cells ``key``: its k best cells, and the (k+1)-th best
    bound (-1: it has k cells or fewer); ``k`` may differ per owner.

    Cells are ranked as their keys sort (bound, then the other side's index,
    scrambled per owner if the keys have a salt): a total order, so the kept
    set does not depend on the order in which cells arrived, and ties at the
    k-th bound are cut like any other cells (when everyone is alike, keeping
    every tie would keep every pair).
    """
    owner, other, units = keys.unpack(key)
    if np.isscalar(k):
        keep, at = _leading(owner, k)
    else:
        rank, limit = _ranks(owner), k[owner]
        keep, at = rank < limit, rank == limit
    threshold = np.full(n, -1, dtype=np.int64)
    threshold[owner[at]] = units[at]
    return owner[keep], other[keep], threshold


def _leading_keys(keys: _Keys, bound: np.ndarray, chosen: np.ndarray, k: int) -> np.ndarray:
    """The chosen cells of a block (flat indexes into ``bound``) as sorted packed keys, at least the
    k + 1 first of each row: all that :func:`_best` reads of them.

    Where many of the block's cells are chosen (ties, see TIED_SHARE),
    each row's k + 1 smallest keys are found by a partition, which takes
    linear time, and only those are sorted.
    """
    r, padded = bound.shape
    i, j = np.divmod(chosen, padded)
    key = keys.pack(i, j, bound_units(bound.ravel()[chosen]))
    if len(chosen) <= TIED_SHARE * r * padded or padded <= k + 1:
        return np.sort(key)
    none = np.iinfo(np.int64).max  # sorts after every cell's key
    by_row = np.full((r, padded), none, dtype=np.int64)
    by_row.ravel()[chosen] = key
    leading = np.partition(by_row, k, axis=1)[:, : k + 1].ravel()
    return np.sort(leading[leading != none])


class _ColumnStream:
    """Per volunteer, the best k+1 bounds seen so far (cells from many blocks), reduced now and then.

    ``last`` is each volunteer's (k+1)-th best cell so far (its packed key),
    ``floor`` a score a little below that cell's bound: a cell whose bound
    is at most ``floor``, or whose key sorts after ``last``, can never enter
    the volunteer's best k. Both are read by the worker threads without a
    lock: they only tighten, and a stale value only keeps more cells.
    """

    def __init__(self, keys: _Keys, n_volunteers: int, k: int) -> None:
        self.keys = keys
        self.k = k
        self.floor = np.full(n_volunteers, NOT_PROPOSABLE / 2)
        self.last = np.full(n_volunteers, np.iinfo(np.int64).max)
        self.kept = np.zeros(0, dtype=np.int64)  # sorted, at most k + 1 per volunteer
        self.new: list[np.ndarray] = []
        self.size = 0
        self.limit = max(1 << 20, (k + 1) * n_volunteers)

    def add(self, key: np.ndarray) -> None:
        self.new.append(key)
        self.size += len(key)
        if self.size > self.limit:
            self.reduce()

    def reduce(self) -> np.ndarray:
        new = np.sort(np.concatenate(self.new)) if self.new else self.kept[:0]
        merged = np.concatenate([self.kept, new])
        merged.sort(kind="stable")  # two sorted runs: a merge
        within, at = _leading(merged >> self.keys.owner_shift, self.k)
        self.kept = merged[within | at]
        self.new, self.size = [], 0
        last = merged[at]
        volunteer, _, units = self.keys.unpack(last)
        self.last[volunteer] = last
        # Two units below: a cell of the same units may still rank before ``last`` (earlier in the
        # tie order), and the float32 comparison with a float64 threshold must not drop it.
        self.floor[volunteer] = (units - 2) / SCORE_UNITS
        return self.kept

    def admits(self, key: np.ndarray, volunteer: np.ndarray) -> np.ndarray:
        """Which of these cells (packed keys of the given volunteers) could enter their best k."""
        return key < self.last[volunteer]

    def cells(self, rows: np.ndarray, columns: np.ndarray, bound: np.ndarray) -> np.ndarray:
        """The cells of a block's bounds (``rows`` x ``columns``, padded) that could enter their
        volunteers' best k, as packed keys."""
        floor = np.full(bound.shape[1], np.inf, dtype=np.float32)
        floor[: len(columns)] = self.floor[columns]
        chosen = np.flatnonzero(bound > floor[None, :])
        i, j = np.divmod(chosen, bound.shape[1])
        volunteers = columns[j]
        cells = self.keys.pack(volunteers, rows[i], bound_units(bound.ravel()[chosen]))
        return cells[self.admits(cells, volunteers)]


def _exact(scanner: Scanner, mentee: np.ndarray, volunteer: np.ndarray):
    """Exact scores and values of pairs (deduplicated, sorted); pairs below ``min_score`` dropped."""
    n_v = max(len(scanner.enc.volunteers.ids), 1)
    keys = np.sort(mentee.astype(np.int64) * n_v + volunteer)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    mentee, volunteer = keys // n_v, keys % n_v
    score = pair_scores(scanner.enc, mentee, volunteer)
    good = score >= round(scanner.min_score * SCORE_UNITS)
    mentee, volunteer, score = mentee[good], volunteer[good], score[good]
    return mentee, volunteer, score, pair_objective(scanner.enc, mentee, volunteer, score)


def top_candidates(
    scanner: Scanner, mentees: np.ndarray, per_mentee: int, per_volunteer: tuple[int, int, int]
) -> Candidates:
    """Candidates: per mentee and per volunteer its k best pairs by bound (see :func:`_best`).

    ``per_volunteer`` is (few, many, crowded): a volunteer keeps ``many`` if
    it has at least ``crowded`` proposable pairs, else ``few``. Where nearly
    everyone reaches a volunteer, its best mentees are the ones everybody
    wants, so a long list decides who gets the scarce places; elsewhere a
    long list would only tie regions into one large problem.

    Where mentees have urgent needs, a volunteer also keeps its ``few`` best
    mentees by the bound of the score alone. By value, those with an urgent
    need it serves come first, whole scores ahead; where others serve them,
    the volunteer is left with the mentees it then takes, but not with those
    it would take instead, and pricing found those pairs as violators: in the
    district with the questionnaire's fields at 50,000 x 20,000 (seed 2),
    8,128 after the first solve and a second round (15.5 s end to end; 12.4 s
    in one round with these lists; with seed 1 the first round's gap falls to
    0.064 %, still one round too many). The bounds of what was left out stay
    those of the lists by value.

    Returns them with exact scores (non-proposable ones dropped) and the
    bounds of what was left out: any pair not kept scores at most
    ``min(row_bound[m], column_bound[v])`` units.
    """
    enc = scanner.enc
    n_m, n_v = len(enc.mentees.ids), len(enc.volunteers.ids)
    has_feasible = np.zeros(n_m, dtype=bool)
    with_hours = np.zeros(n_m, dtype=bool)
    row_bound = np.full(n_m, -1, dtype=np.int64)
    column_keys = _Keys(n_v, n_m, salt=0)
    few, many, crowded = per_volunteer
    stream = _ColumnStream(column_keys, n_v, many)
    by_score = _ColumnStream(column_keys, n_v, few) if scanner.with_urgency else None
    column_count = np.zeros(n_v, dtype=np.int64)  # proposable pairs per volunteer
    row_plain = np.full(n_m, -1, dtype=np.int64) if by_score is not None else None
    kept: list[tuple[np.ndarray, np.ndarray]] = []
    k = per_mentee

    def select(block: Block):
        # What the collecting loop needs, without the block's bounds: finished tasks wait in a queue.
        found = (block.rows, block.columns, block.feasible, block.with_hours)
        bound = block.bound
        r, padded = bound.shape
        if not padded:
            return found, None
        chunks = bound.reshape(r, padded // CHUNK, CHUNK).max(axis=2)
        if chunks.shape[1] > k + 1:
            row_floor = -np.partition(-chunks, k, axis=1)[:, k]  # <= the row's (k+1)-th best bound
            np.maximum(row_floor, 0, out=row_floor)
        else:
            row_floor = np.zeros(r, dtype=np.float32)
        chosen = np.flatnonzero(bound >= row_floor[:, None])
        row_keys = _Keys(r, padded, salt=int(block.rows[0]))
        row, column, threshold = _best(row_keys, _leading_keys(row_keys, bound, chosen, k), k, r)
        column_cells = stream.cells(block.rows, block.columns, bound)
        score_cells, plain = None, None
        if by_score is not None and block.urgent is not None:
            score_bound = bound.copy()  # every cell: a volunteer's best by score are ranked among all
            score_bound[:, : len(block.columns)] -= block.urgent
            score_cells = by_score.cells(block.rows, block.columns, score_bound)
            # The best cell serving no urgent need, kept or not: a bound of those left out.
            score_bound[:, : len(block.columns)][block.urgent] = NOT_PROPOSABLE
            plain = np.maximum(bound_units(score_bound.max(axis=1, initial=NOT_PROPOSABLE)), -1)
        kept_pairs = (block.rows[row], block.columns[column])
        # A sum in int32, not count_nonzero (an intp sum along the rows): a third of the time.
        counts = np.add.reduce(bound[:, : len(block.columns)] >= 0, axis=0, dtype=np.int32)
        return found, (kept_pairs, threshold, column_cells, counts, score_cells, plain)

    for (rows, columns, feasible, hours), selected in _run(scanner, scanner.groups(mentees), select, None):
        has_feasible[rows] = feasible
        with_hours[rows] = hours
        if selected is None:
            continue
        kept_pairs, threshold, cells, counts, score_cells, plain = selected
        kept.append(kept_pairs)
        row_bound[rows] = threshold
        if plain is not None:
            row_plain[rows] = np.minimum(threshold, plain)
        stream.add(cells)
        if score_cells is not None:
            by_score.add(score_cells)
        column_count[columns] += counts
    lengths = np.where(column_count >= crowded, many, few)
    v_kept, m_kept, column_bound = _best(column_keys, stream.reduce(), lengths, n_v)
    column_plain = None
    if by_score is not None:
        v_more, m_more, by_score_bound = _best(column_keys, by_score.reduce(), few, n_v)
        v_kept, m_kept = np.concatenate([v_kept, v_more]), np.concatenate([m_kept, m_more])
        # A left-out pair is in neither list: a pair serving no urgent need is worth its score.
        column_plain = np.minimum(column_bound, by_score_bound)
    mentee, volunteer, score, objective = _exact(
        scanner,
        np.concatenate([m for m, _ in kept] + [m_kept]),
        np.concatenate([v for _, v in kept] + [v_kept]),
    )
    return Candidates(
        mentee, volunteer, score, objective, row_bound, column_bound, has_feasible, with_hours, row_plain, column_plain
    )


Reduce = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, ...]]
"""What a scan keeps of a block's pairs (mentee, volunteer indexes, int64), as arrays of equal length
(the pairs kept, and whatever was computed for them on the way), run on the worker threads: pairs are
reduced block by block, so that a scan never holds all the pairs it crosses."""


def _every(mentee: np.ndarray, volunteer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return mentee, volunteer


def _joined(parts: list[tuple[np.ndarray, ...]], reduce: Reduce) -> tuple[np.ndarray, ...]:
    """The parts a scan's ``reduce`` returned, column by column (what it returns for no pairs if none)."""
    if not parts:
        return reduce(np.zeros(0, np.int64), np.zeros(0, np.int64))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def scan_pairs(
    scanner: Scanner,
    mentees: np.ndarray,
    column_mask: np.ndarray | None,
    keep: Callable[[Block], np.ndarray],
    reduce: Reduce = _every,
    by_score: bool = False,
    shrink: Callable[..., tuple[np.ndarray, ...]] | None = None,
) -> tuple[np.ndarray, ...]:
    """Pairs (mentee, volunteer) of the given mentees for which ``keep(block)`` selects the cell
    (a boolean array shaped like ``block.bound``), over the columns in ``column_mask``, as
    ``reduce`` leaves them.

    ``by_score``: the blocks bound the pairs' scores, not their values, for what ranks by score
    alone (a bound with the urgency bonus is a whole score too high for an urgent need).

    ``shrink``, if given, selects from the arrays ``reduce`` returns, such that
    selecting from its own result again changes nothing (the best few per
    person): it is applied to what the blocks kept whenever that exceeds
    SHRINK_FROM pairs, and once at the end. A volunteer's pairs come from many
    blocks, so a selection per volunteer cannot be made block by block.
    """

    def select(block: Block):
        chosen = np.flatnonzero(keep(block))
        i, j = np.divmod(chosen, block.bound.shape[1])
        return reduce(block.rows[i].astype(np.int64), block.columns[j].astype(np.int64))

    parts, held = [], 0
    for part in _run(scanner, scanner.groups(mentees), select, column_mask, by_score):
        parts.append(part)
        held += len(part[0])
        if shrink is not None and held > SHRINK_FROM:
            parts = [shrink(*_joined(parts, reduce))]
            held = len(parts[0][0])
    joined = _joined(parts, reduce)
    return joined if shrink is None else shrink(*joined)


def cross_pairs(
    scanner: Scanner,
    mentees: np.ndarray,
    column_mask: np.ndarray | None,
    test: Callable[[np.ndarray, np.ndarray], np.ndarray],
    reduce: Reduce = _every,
) -> tuple[np.ndarray, ...]:
    """Pairs (mentee, volunteer) within reach by the one-dimensional filters for which
    ``test(mentees, volunteers)`` (a boolean matrix) holds, as ``reduce`` leaves them; nothing
    else is computed."""

    def work(group: np.ndarray) -> tuple[np.ndarray, ...]:
        cols = scanner.columns[scanner.reachable(group, column_mask)].astype(np.int64)
        parts = []
        step = max(1, BLOCK_CELLS // max(len(cols), 1))
        for start in range(0, len(group) if len(cols) else 0, step):
            rows = group[start : start + step].astype(np.int64)
            i, j = np.divmod(np.flatnonzero(test(rows, cols)), len(cols))
            parts.append(reduce(rows[i], cols[j]))
        return _joined(parts, reduce)

    groups = scanner.groups(mentees)
    with ThreadPoolExecutor(WORKERS) as pool:
        return _joined(list(pool.map(work, groups)), reduce)


def all_proposable(scanner: Scanner, mentees: np.ndarray) -> Candidates:
    """Every proposable pair of the given mentees with its exact score and value (for the exact
    solver and the benchmark's oracle): candidates with nothing left out."""
    n_m = len(scanner.enc.mentees.ids)
    has_feasible = np.zeros(n_m, dtype=bool)
    with_hours = np.zeros(n_m, dtype=bool)

    def keep(block: Block) -> np.ndarray:
        has_feasible[block.rows] = block.feasible
        with_hours[block.rows] = block.with_hours
        return block.bound >= 0

    mentee, volunteer = scan_pairs(scanner, mentees, None, keep)
    nothing_left = np.full(n_m, -1, dtype=np.int64)
    column_bound = np.full(len(scanner.enc.volunteers.ids), -1, dtype=np.int64)
    return Candidates(*_exact(scanner, mentee, volunteer), nothing_left, column_bound, has_feasible, with_hours)


def top_per_owner(
    owner: np.ndarray,
    other: np.ndarray,
    score: np.ndarray,
    k: int,
    salt: int | None = None,
    sizes: tuple[int, int] | None = None,
) -> np.ndarray:
    """Indexes of the k best pairs of every owner (the mentee or the volunteer of each pair), best
    first; ties: lower index of the other side, or with a ``salt`` a scramble of it per owner (as
    :class:`_Keys`), so that where many pairs tie the owners do not all keep the same few.

    The scramble depends on how many owners and others there can be: ``sizes``
    fixes them where selections from parts must agree with one from the whole
    (else the largest indexes present decide).

    One packed key per pair (:class:`_Keys`): sorting it is several times
    faster than a lexsort of three arrays (millions of pairs at 50,000 mentees).
    """
    if not len(owner):
        return np.zeros(0, dtype=np.int64)
    keys = _Keys(*(sizes or (int(owner.max()) + 1, int(other.max()) + 1)), salt)
    key = keys.pack(owner, other, score)
    order = np.argsort(key, kind="stable")
    return order[_leading(key[order] >> keys.owner_shift, k)[0]]
