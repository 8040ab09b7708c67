"""Pair score: a weighted sum of feature blocks, each in [0, 1].

All weights live in :data:`WEIGHTS` and sum to 1, so every score is in
[0, 1]. The blocks (reason code in brackets, as shown to users):

``language`` (shared_language)
    Best level both speak in one language, ``min(level_m, level_v) / 7``
    (A1 = 1 ... native = 7), only languages at ``min_language_level`` or
    better on both sides count. A volunteer speaking the mentee's mother
    tongue beats one sharing only beginner's German. Detail: language code.
``need`` (shared_need)
    Share of the mentee's needs that the volunteer offers. Detail: the
    shared need keys, comma-separated.
``distance`` (nearby)
    ``exp(-km / DISTANCE_SCALE_KM)``: 1 in the same place, 0.67 at 4 km,
    0.14 at 20 km. Detail: distance in km, e.g. ``"4.2"``.
``time`` (common_time)
    Number of shared slots, saturating at ``SATURATING_SLOTS``. Detail:
    the shared slots in week order, e.g. ``"tue-evening, sat-morning"``.
``interests`` (shared_interests)
    Cosine similarity of the interest keys, each weighted by its inverse
    document frequency (TF-IDF rows: an interest everybody names, like
    ``cooking``, counts less than a rare one). Keys, not words: "Fußball"
    and "كرة القدم" are both ``football``. Detail: the shared keys in the
    mentee's order, e.g. ``"football, cooking"``.
``life_stage`` (similar_age)
    ``1 - |age difference| / AGE_SCALE_YEARS``, floored at 0; 0 when an age
    is unknown. Detail: the age difference in years.

Scores are quantised to micro-units (:data:`SCORE_UNITS`) before solving,
so that the solvers compare exact integers and the coverage-first objective
can be encoded without floating-point surprises.

Urgency (reason ``urgent_need``, weight 0: it decides who is served first,
it is not part of the score): a pair whose volunteer offers one of the
mentee's urgent needs is worth :data:`URGENT_UNITS` more to the solvers,
as much as the best possible score (:func:`pair_objective`). Needs that a
working group or an appointment serves (``settings.served_elsewhere``) are
not sponsorship needs: they count neither for the need block nor its detail.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

from .constraints import pair_distance_km
from .encoding import LEVELS, SLOTS, Encoded, common_count, intersects

WEIGHTS: dict[str, float] = {
    "language": 0.25,
    "need": 0.25,
    "distance": 0.20,
    "time": 0.15,
    "interests": 0.10,
    "life_stage": 0.05,
}
REASON_CODES: dict[str, str] = {
    "language": "shared_language",
    "need": "shared_need",
    "distance": "nearby",
    "time": "common_time",
    "interests": "shared_interests",
    "life_stage": "similar_age",
}
URGENT_NEED = "urgent_need"
"""The reason listed first (weight 0) when a pair serves one of the mentee's urgent needs."""
PAIR_REASONS: tuple[str, ...] = (URGENT_NEED, *REASON_CODES.values())
"""Every reason code of a pair."""
DISTANCE_SCALE_KM = 10.0
SATURATING_SLOTS = 3
AGE_SCALE_YEARS = 40.0
SCORE_UNITS = 1_000_000
"""Scores are integers in [0, SCORE_UNITS] inside the solvers."""
URGENT_UNITS = SCORE_UNITS
"""What serving an urgent need adds to a pair's value for the solvers (not to its score)."""
OBJECTIVE_UNITS = SCORE_UNITS + URGENT_UNITS
"""The most a pair is worth to the solvers."""

assert abs(sum(WEIGHTS.values()) - 1.0) < 1e-12, "weights must sum to 1"


def _shared_levels(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """Per pair and language: the level both speak, 0 below min_language_level."""
    shared = np.minimum(enc.mentees.levels[mi], enc.volunteers.levels[vj])
    shared[shared < LEVELS.index(enc.settings["min_language_level"]) + 1] = 0
    return shared


def _best_languages(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> list[str]:
    """Per pair, the language behind its language block (the reason detail)."""
    shared = _shared_levels(enc, mi, vj).astype(np.int64)
    if not shared.shape[1]:
        return [""] * len(mi)
    # Ties: prefer the language the mentee speaks best (its mother tongue), then by code.
    best = np.argmax(shared * 8 + enc.mentees.levels[mi] * (shared > 0), axis=1)
    return [
        enc.languages[b] if any_shared else ""
        for b, any_shared in zip(best.tolist(), shared.any(axis=1).tolist(), strict=True)
    ]


PADDED_PRODUCTS = 64
"""Above this many (mentee term, volunteer term) combinations per pair, interests are
multiplied as sparse rows instead of compared as padded arrays."""


def interest_rowwise(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """Cosine similarity of interests for a list of pairs.

    People name a handful of terms, so comparing each mentee term with each
    volunteer term (padded arrays, in ascending column order) is much faster
    than multiplying sparse rows; the products are summed in the same order.
    """
    m_index, v_index = enc.mentees.term_index, enc.volunteers.term_index
    if not enc.interest_terms or not m_index.shape[1] or not v_index.shape[1]:
        return np.zeros(len(mi))
    if m_index.shape[1] * v_index.shape[1] > PADDED_PRODUCTS:
        products = enc.mentees.interests[mi].multiply(enc.volunteers.interests[vj])
        return np.asarray(sp.csr_matrix(products).sum(axis=1)).ravel()
    shared = (enc.mentees.signature[mi] & enc.volunteers.signature[vj]) != 0
    result = np.zeros(len(mi))
    pairs = np.flatnonzero(shared)
    m_terms, m_weights = m_index[mi[pairs]], enc.mentees.term_weight[mi[pairs]]
    v_terms, v_weights = v_index[vj[pairs]], enc.volunteers.term_weight[vj[pairs]]
    total = np.zeros(len(pairs))
    for a in range(m_terms.shape[1]):
        for b in range(v_terms.shape[1]):
            same = (m_terms[:, a] == v_terms[:, b]) & (m_terms[:, a] >= 0)
            total += np.where(same, m_weights[:, a] * v_weights[:, b], 0.0)
    result[pairs] = total
    return result


def components(enc: Encoded, mi: np.ndarray, vj: np.ndarray, interests: np.ndarray) -> dict[str, np.ndarray]:
    """The block values in [0, 1] for pairs (mi[k], vj[k]); ``interests`` precomputed."""
    needs = np.bitwise_count(enc.mentees.activities[0][mi]).astype(np.int64)
    for word in enc.mentees.activities[1:]:
        needs += np.bitwise_count(word[mi])
    shared_needs = common_count(enc.mentees.activities, mi, enc.volunteers.activities, vj)
    shared_slots = np.bitwise_count(enc.mentees.slots[mi] & enc.volunteers.slots[vj])
    age_gap = np.abs(enc.mentees.age[mi] - enc.volunteers.age[vj])
    return {
        "language": _shared_levels(enc, mi, vj).max(axis=-1, initial=0) / len(LEVELS),
        "need": shared_needs / np.maximum(needs, 1),
        "distance": np.exp(-pair_distance_km(enc, mi, vj) / DISTANCE_SCALE_KM),
        "time": np.minimum(shared_slots, SATURATING_SLOTS) / SATURATING_SLOTS,
        "interests": np.clip(interests, 0.0, 1.0),
        "life_stage": np.nan_to_num(np.clip(1.0 - age_gap / AGE_SCALE_YEARS, 0.0, 1.0)),
    }


def quantised_score(blocks: dict[str, np.ndarray]) -> np.ndarray:
    """Weighted sum of the blocks as integers in [0, SCORE_UNITS]."""
    total = sum(WEIGHTS[name] * value for name, value in blocks.items())
    return np.clip(np.rint(np.asarray(total) * SCORE_UNITS), 0, SCORE_UNITS).astype(np.int64)


PAIRS_AT_ONCE = 1 << 18
"""Pairs scored together by :func:`pair_scores` (bounds temporary memory)."""
SCORING_THREADS = 2
"""Threads scoring chunks of pairs (the target machine has 2 cores; numpy releases the GIL)."""


def _chunk_scores(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    return quantised_score(components(enc, mi, vj, interest_rowwise(enc, mi, vj)))


def pair_scores(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """Quantised scores of pairs (mi[k], vj[k]), exactly as :func:`explain` reports them."""
    if len(mi) <= PAIRS_AT_ONCE:
        return _chunk_scores(enc, mi, vj)
    starts = range(0, len(mi), PAIRS_AT_ONCE)
    with ThreadPoolExecutor(SCORING_THREADS) as pool:
        parts = pool.map(lambda s: _chunk_scores(enc, mi[s : s + PAIRS_AT_ONCE], vj[s : s + PAIRS_AT_ONCE]), starts)
        return np.concatenate(list(parts))


def alike_volunteers(enc: Encoded) -> np.ndarray:
    """Per volunteer, a class number that volunteers share when every mentee's score with them is the
    same: they agree in everything :func:`components` reads of a volunteer (offers, times, age, place,
    language levels, interest terms and weights). What only decides whether a pair is proposable
    (gender, travel, clearance, capacity, hours, exclusions) is not compared."""
    side = enc.volunteers
    n = len(side.ids)
    if not n:
        return np.zeros(0, dtype=np.int64)
    # An unknown age (NaN, whose bits may differ) as -1: the contract's ages are at least 0.
    read = [*side.activities, side.slots, np.nan_to_num(side.age, nan=-1.0), side.locality, side.levels]
    read += [side.term_index, side.term_weight]
    rows = np.hstack([np.ascontiguousarray(a).reshape(n, -1).view(np.uint8) for a in read])
    return np.unique(rows, axis=0, return_inverse=True)[1].ravel()


def urgent_served(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """Whether the volunteer offers one of the mentee's urgent needs."""
    return intersects(enc.urgent, mi, enc.volunteers.activities, vj)


def pair_objective(enc: Encoded, mi: np.ndarray, vj: np.ndarray, score: np.ndarray) -> np.ndarray:
    """A pair's value for the solvers: its score, plus URGENT_UNITS if it serves an urgent need."""
    return score + URGENT_UNITS * urgent_served(enc, mi, vj).astype(np.int64)


def _join(labels: list[str], bits: int) -> str:
    return ", ".join(label for k, label in enumerate(labels) if bits >> k & 1)


def explain(enc: Encoded, mi: np.ndarray, vj: np.ndarray) -> list[tuple[float, list[dict]]]:
    """Score and reasons (each block's contribution, largest first) of each pair."""
    mi, vj = np.asarray(mi, dtype=np.int64), np.asarray(vj, dtype=np.int64)
    blocks = components(enc, mi, vj, interest_rowwise(enc, mi, vj))
    scores = (quantised_score(blocks) / SCORE_UNITS).tolist()
    contributions = {name: np.round(WEIGHTS[name] * value, 6).tolist() for name, value in blocks.items()}
    details = {
        "language": _best_languages(enc, mi, vj),
        "distance": [f"{km:.1f}" for km in pair_distance_km(enc, mi, vj).tolist()],
        "time": [_join(list(SLOTS), int(bits)) for bits in (enc.mentees.slots[mi] & enc.volunteers.slots[vj]).tolist()],
        "life_stage": [
            str(int(gap)) if gap == gap else ""  # NaN: an age is unknown
            for gap in np.abs(enc.mentees.age[mi] - enc.volunteers.age[vj]).tolist()
        ],
    }
    urgent = urgent_served(enc, mi, vj).tolist()
    result = []
    for k, (m, v) in enumerate(zip(mi.tolist(), vj.tolist(), strict=True)):
        mentee, volunteer = enc.mentees.records[m], enc.volunteers.records[v]
        offers = set(volunteer["offers"]) - enc.served_elsewhere
        volunteer_terms = set(enc.volunteers.terms[v])
        pair_details = {
            "need": ", ".join(sorted({need for need in mentee["needs"] if need in offers})),
            "interests": ", ".join(t for t in enc.mentees.terms[m] if t in volunteer_terms),
            **{name: values[k] for name, values in details.items()},
        }
        reasons = [
            {"code": REASON_CODES[name], "detail": pair_details[name], "weight": weights[k]}
            for name, weights in contributions.items()
            if weights[k] > 0
        ]
        reasons.sort(key=lambda reason: -reason["weight"])  # stable: ties keep WEIGHTS order
        if urgent[k]:
            served = sorted(set(mentee.get("urgent_needs", [])) & set(mentee["needs"]) & offers)
            reasons.insert(0, {"code": URGENT_NEED, "detail": ", ".join(served), "weight": 0.0})
        result.append((scores[k], reasons))
    return result
