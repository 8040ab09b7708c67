"""The hard constraints of a pair, in the contract's order.

Every check takes mentee indexes ``mi`` and volunteer indexes ``vj`` that
broadcast against each other (``mi[:, None]`` and ``vj[None, :]`` for a
block, two equal-length arrays for a list of pairs) and returns a boolean
array. The order of :data:`CONSTRAINTS` is the order in which unmatched
reasons are attributed, so it must not be changed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .encoding import Encoded, intersects
from .reach import within_reach

Check = Callable[[Encoded, np.ndarray, np.ndarray], np.ndarray]


def need_ok(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """1. At least one of the mentee's needs is among the volunteer's offers."""
    return intersects(enc.mentees.activities, mi, enc.volunteers.activities, vj)


def language_ok(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """2. Some language is spoken at min_language_level or better by both."""
    return intersects(enc.mentees.speaks, mi, enc.volunteers.speaks, vj)


def pair_distance_km(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    return enc.distance_km.between(enc.mentees.locality[mi], enc.volunteers.locality[vj])


def distance_ok(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """3. Great-circle distance <= sum of both travel distances."""
    return within_reach(pair_distance_km(enc, mi, vj), enc.mentees.travel_km[mi], enc.volunteers.travel_km[vj])


def time_ok(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """4. The availabilities share a slot."""
    return (enc.mentees.slots[mi] & enc.volunteers.slots[vj]) != 0


def gender_ok(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """5. The mentee's preferred mentor gender and the volunteer's accepted genders."""
    preferred = enc.preferred_gender[mi]
    wanted = (preferred < 0) | (preferred == enc.volunteers.gender[vj])
    accepted = ((enc.accepts[vj] >> enc.mentees.gender[mi].astype(np.uint8)) & 1) == 1
    return wanted & accepted


def clearance_ok(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """6. Work with minors needs a police clearance."""
    return ~enc.involves_minors[mi] | enc.clearance[vj]


def commitment_ok(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """7. A volunteer who offered one-off help only is never a sponsor."""
    return np.broadcast_to(~enc.one_off[vj], np.broadcast_shapes(np.shape(mi), np.shape(vj)))


def not_excluded(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """8. The pair is not in ``excluded``."""
    keys = enc.pair_keys(*np.broadcast_arrays(mi, vj))
    if not len(enc.excluded_keys):
        return np.ones(keys.shape, dtype=bool)
    position = np.minimum(np.searchsorted(enc.excluded_keys, keys), len(enc.excluded_keys) - 1)
    return enc.excluded_keys[position] != keys


CONSTRAINTS: tuple[tuple[str, Check], ...] = (
    ("no_matching_offer", need_ok),
    ("no_shared_language", language_ok),
    ("too_far", distance_ok),
    ("no_common_time", time_ok),
    ("gender_preference", gender_ok),
    ("clearance_required", clearance_ok),
    ("one_off_only", commitment_ok),
    ("excluded", not_excluded),
)
"""(unmatched reason, check) in the contract's order."""

NEEDS_SERVED_ELSEWHERE = "needs_served_elsewhere"
"""The unmatched reason when a working group or an appointment serves all of a mentee's needs."""
NO_HOURS_LEFT = "no_hours_left"
"""The unmatched reason when every constraint leaves some volunteer, but their hours allow no other sponsorship."""
CAPACITY_EXHAUSTED = "capacity_exhausted"
"""The unmatched reason when every constraint leaves some volunteer, but none has a place left."""
UNMATCHED_REASONS: tuple[str, ...] = (
    NEEDS_SERVED_ELSEWHERE,
    *(code for code, _ in CONSTRAINTS),
    NO_HOURS_LEFT,
    CAPACITY_EXHAUSTED,
)
"""Every reason the engine gives for an unmatched mentee, in the order they are attributed."""


CHEAP_FIRST: tuple[Check, ...] = (
    time_ok,
    need_ok,
    commitment_ok,
    clearance_ok,
    gender_ok,
    distance_ok,
    language_ok,
    not_excluded,
)
"""The same checks, cheap and selective ones first (bit operations before the distance
lookup and the exclusion search) — for filtering, where the order does not matter."""


def feasible_pairs(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """Positions k at which the pair (mi[k], vj[k]) meets all the constraints.

    The pair list shrinks after every check, so later checks only look at
    the survivors of earlier ones.
    """
    keep = np.arange(len(mi))
    for check in CHEAP_FIRST:
        keep = keep[check(enc, mi[keep], vj[keep])]
    return keep


MENTEE_READS: dict[Check, Callable[[Encoded, np.ndarray], list[np.ndarray]]] = {
    need_ok: lambda enc, mi: [words[mi] for words in enc.mentees.activities],
    language_ok: lambda enc, mi: [words[mi] for words in enc.mentees.speaks],
    distance_ok: lambda enc, mi: [enc.mentees.locality[mi], enc.mentees.travel_km[mi]],
    time_ok: lambda enc, mi: [enc.mentees.slots[mi]],
    gender_ok: lambda enc, mi: [enc.preferred_gender[mi], enc.mentees.gender[mi]],
    clearance_ok: lambda enc, mi: [enc.involves_minors[mi]],
    commitment_ok: lambda enc, mi: [],
    # Only the mentees of excluded pairs differ from the rest here.
    not_excluded: lambda enc, mi: [np.where(np.isin(mi, enc.excluded_keys // max(1, len(enc.volunteers.ids))), mi, -1)],
}
"""What each check reads of a mentee: mentees alike in it have the same volunteers pass it."""


CHECKED_AT_ONCE = 4_000_000
"""Pairs checked in one broadcast: a few temporary arrays of this many cells."""


def _passing(enc: Encoded, check: Check, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """Which of the volunteers ``vj`` pass ``check`` with each mentee ``mi``, as rows of packed bits.

    Checked once per distinct mentee (in what the check reads), CHECKED_AT_ONCE pairs at a time.
    """
    reads = MENTEE_READS[check](enc, mi)
    if reads:
        _, first, inverse = np.unique(np.rec.fromarrays(reads), return_index=True, return_inverse=True)
    else:
        first, inverse = np.zeros(1, np.int64), np.zeros(len(mi), np.int64)
    alike = mi[first]
    step = max(1, CHECKED_AT_ONCE // max(1, len(vj)))
    passing = [
        np.packbits(check(enc, alike[start : start + step, None], vj[None, :]), axis=1)
        for start in range(0, len(alike), step)
    ]
    return np.concatenate(passing)[inverse.ravel()]


def unmatched_reasons(enc: Encoded, mentees: np.ndarray, chunk_pairs: int = 64_000_000) -> list[str]:
    """Reason for each given mentee without any feasible volunteer, per the contract's cumulative rule.

    A mentee whose needs a group or an appointment serves, all of them, is
    ``needs_served_elsewhere``. Otherwise, starting from the volunteers with
    declared capacity >= 1, apply the constraints in order; the first one that
    leaves nobody is the reason. (Mentees with feasible volunteers are
    ``no_hours_left`` or ``capacity_exhausted``: the engine knows which from
    its scan.)

    The volunteers left to each mentee are a row of bits, and each constraint
    is checked once per distinct mentee in what it reads (:data:`MENTEE_READS`),
    for the mentees still undecided only: where tens of thousands have no
    volunteer, most share the languages or needs nobody offers (checking every
    pair took 12 s for 50,000 such mentees and 20,000 volunteers). A chunk of
    ``chunk_pairs`` pairs holds 8 MB of bits.
    """
    volunteers = np.flatnonzero(enc.capacity >= 1)
    undecided = len(CONSTRAINTS)
    reasons = np.full(len(mentees), undecided, dtype=np.int64)
    rows = max(1, chunk_pairs // max(1, len(volunteers)))
    for start in range(0, len(mentees), rows):
        chunk = mentees[start : start + rows]
        reason = reasons[start : start + rows]
        open_rows = np.arange(len(chunk))
        left = np.full((len(chunk), -(-len(volunteers) // 8)), 0xFF, dtype=np.uint8)
        for code_index, (_, check) in enumerate(CONSTRAINTS):
            left &= _passing(enc, check, chunk[open_rows], volunteers)
            nobody = ~left.any(axis=1)
            reason[open_rows[nobody]] = code_index
            open_rows, left = open_rows[~nobody], left[~nobody]
            if not len(open_rows):
                break
    codes = [*(code for code, _ in CONSTRAINTS), CAPACITY_EXHAUSTED]
    result = [codes[r] for r in reasons]
    for k, m in enumerate(mentees.tolist()):
        needs = enc.mentees.records[m]["needs"]
        if needs and enc.served_elsewhere.issuperset(needs):
            result[k] = NEEDS_SERVED_ELSEWHERE
    return result
