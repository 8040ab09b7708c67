"""Encode a validated problem as numpy arrays, with scikit-learn feature extraction.

Everything downstream (hard constraints, scores, solvers) works on integer
indexes into these arrays, never on dicts, so that pairs can be checked and
scored in vectorised blocks. People are sorted by id: the index order is the
id order, which makes every tie-break in the engine deterministic and
independent of the order of the input lists.

Set-valued attributes (offers, needs, slots, languages spoken well enough)
become bitsets: one ``uint64`` array per 64 labels, so "do they share one?"
is a bitwise AND and "how many?" a popcount.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import MultiLabelBinarizer

from .levels import LEVELS, MIN_SHARED_LEVEL
from .reach import LocalityDistances
from .records import Problem, Settings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOTS = tuple(f"{day}-{part}" for day in DAYS for part in ("morning", "afternoon", "evening"))
GENDERS = ("f", "m", "d")
DEFAULT_SETTINGS: Settings = {
    "min_language_level": MIN_SHARED_LEVEL,
    "alternatives": 3,
    "min_score": 0.0,
    "hours_per_sponsorship": 8,
    "served_elsewhere": [],
}
ONE_OFF = "one_off"
"""The ``commitment`` of a volunteer who offered single tasks only: never a sponsor."""
UNLIMITED = 1 << 30
"""Capacity allowed by hours when a volunteer gave none."""

Bitset = tuple[np.ndarray, ...]
"""Sets of labels as bits: one array of words (one entry per person) per 64 labels."""


LEVEL_CODES = {level: index + 1 for index, level in enumerate(LEVELS)}
"""Level ``LEVELS[i]`` is encoded as ``i + 1`` (0 = not spoken): a lookup per language of 70,000 people."""


def level_code(level: str) -> int:
    return LEVEL_CODES[level]


def _bitset(matrix: np.ndarray) -> Bitset:
    """Pack a boolean (people x labels) matrix into words (the narrowest that fits)."""
    n_labels = matrix.shape[1]
    if n_labels <= 32:  # one narrow word: less memory traffic in the pair checks
        dtype = np.uint8 if n_labels <= 8 else np.uint16 if n_labels <= 16 else np.uint32
        weights = (np.ones(1, dtype=dtype) << np.arange(n_labels, dtype=dtype)).astype(dtype)
        return (
            np.asarray(matrix, dtype=bool).astype(dtype) @ weights
            if n_labels
            else np.zeros(matrix.shape[0], dtype=dtype),
        )
    n_words = -(-n_labels // 64)
    packed = np.packbits(matrix.astype(bool), axis=1, bitorder="little")
    padded = np.zeros((matrix.shape[0], n_words * 8), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    words = padded.view(np.uint64)
    return tuple(np.ascontiguousarray(words[:, w]) for w in range(n_words))


def intersects(a: Bitset, ai: np.ndarray, b: Bitset, bj: np.ndarray) -> np.ndarray:
    """Whether the sets a[ai] and b[bj] share a label (ai, bj broadcast)."""
    result = (a[0][ai] & b[0][bj]) != 0
    for wa, wb in zip(a[1:], b[1:], strict=True):
        result |= (wa[ai] & wb[bj]) != 0
    return result


def common_count(a: Bitset, ai: np.ndarray, b: Bitset, bj: np.ndarray) -> np.ndarray:
    """Size of the intersection of the sets a[ai] and b[bj] (ai, bj broadcast)."""
    result = np.bitwise_count(a[0][ai] & b[0][bj]).astype(np.int16)
    for wa, wb in zip(a[1:], b[1:], strict=True):
        result += np.bitwise_count(wa[ai] & wb[bj])
    return result


@dataclass
class Side:
    """Arrays describing the volunteers or the mentees, index = rank of the id."""

    ids: list[str]
    index: dict[str, int]
    gender: np.ndarray  # int8 index into GENDERS
    age: np.ndarray  # float, NaN when unknown
    locality: np.ndarray  # int32 index into Encoded.locality_ids
    travel_km: np.ndarray  # float64
    levels: np.ndarray  # uint8 (people x languages), 0 = not spoken
    speaks: Bitset  # languages at >= min_language_level
    activities: Bitset  # volunteers: offers, mentees: needs
    slots: np.ndarray  # uint32 bitmask over SLOTS (21 bits)
    terms: list[list[str]]  # interest keys, de-duplicated, in the person's order
    interests: sp.csr_matrix  # TF-IDF rows of the interest keys, l2-normalised
    term_index: np.ndarray  # int32 (people x widest row): TF-IDF columns of each row, ascending, -1 = none
    term_weight: np.ndarray  # float64, aligned with term_index (0 where none)
    signature: np.ndarray  # uint64: bit (column % 64) set for each term; no common bit = no common term
    records: list[dict]  # the original objects, sorted like ids


@dataclass
class Encoded:
    """The whole problem as arrays; built once by :func:`encode`."""

    settings: Settings
    locality_ids: list[str]
    distance_km: LocalityDistances
    languages: list[str]  # column labels of Side.levels
    activities: list[str]  # bit labels of Side.activities
    interest_terms: list[str]  # TF-IDF vocabulary: the interest keys anybody named
    volunteers: Side
    mentees: Side
    capacity: np.ndarray  # volunteers: declared capacity
    clearance: np.ndarray  # volunteers: bool
    accepts: np.ndarray  # volunteers: uint8 bitmask over GENDERS
    preferred_gender: np.ndarray  # mentees: int8, -1 = no preference
    involves_minors: np.ndarray  # mentees: bool
    excluded_keys: np.ndarray  # sorted int64 keys mentee * n_volunteers + volunteer
    groups: list[dict]
    served_elsewhere: frozenset[str]  # need keys a group or an appointment serves: never a pair's need
    urgent: Bitset  # mentees: urgent needs (among their sponsorship needs)
    one_off: np.ndarray  # volunteers: offered single tasks only (never proposed as a sponsor)
    hours_capacity: np.ndarray  # volunteers: sponsorships their free hours allow (UNLIMITED if not given)
    locked: list[tuple[int, int]] = field(default_factory=list)  # (mentee, volunteer)

    def pair_keys(self, mi: np.ndarray, vj: np.ndarray) -> np.ndarray:
        return np.asarray(mi, dtype=np.int64) * len(self.volunteers.ids) + vj


def _features(
    volunteers: list[dict], mentees: list[dict], terms: list[list[str]], served_elsewhere: frozenset[str]
) -> tuple[dict[str, np.ndarray | sp.csr_matrix], dict[str, list[str]]]:
    """Feature matrices for all people (volunteers first, then mentees) and their labels.

    scikit-learn does the encoding: DictVectorizer for language levels,
    MultiLabelBinarizer for offers/needs and slots, TfidfVectorizer for
    interests (each interest key is one term, so the analyzer passes them through).
    """
    people = volunteers + mentees
    n = len(people)
    if not n:  # scikit-learn rejects empty input
        return (
            {
                "levels": np.zeros((0, 0), np.uint8),
                "activities": np.zeros((0, 0), bool),
                "slots": np.zeros((0, len(SLOTS)), bool),
                "interests": sp.csr_matrix((0, 0)),
            },
            {"languages": [], "activities": [], "terms": []},
        )
    levels = DictVectorizer(sparse=False, dtype=np.uint8)
    level_matrix = _fit_transform_distinct(
        levels,
        (tuple(p["languages"].items()) for p in people),
        lambda languages: {code: LEVEL_CODES[level] for code, level in languages},
    )
    activities = MultiLabelBinarizer()
    activity_matrix = _fit_transform_distinct(
        activities,
        chain((tuple(v["offers"]) for v in volunteers), (tuple(m["needs"]) for m in mentees)),
        lambda keys: [key for key in keys if key not in served_elsewhere],
    )
    slots = MultiLabelBinarizer(classes=list(SLOTS))
    interests = TfidfVectorizer(analyzer=_as_is, norm="l2", dtype=np.float64)
    interest_matrix = interests.fit_transform(terms).tocsr() if any(terms) else sp.csr_matrix((n, 0))
    features = {
        "levels": level_matrix,
        "activities": activity_matrix,
        "slots": slots.fit_transform([p["availability"] for p in people]),
        "interests": interest_matrix,
    }
    labels = {
        "languages": list(levels.feature_names_),
        "activities": list(activities.classes_),
        "terms": list(interests.get_feature_names_out()) if any(terms) else [],
    }
    return features, labels


def _fit_transform_distinct(
    transformer: Any, keys: Iterable[Hashable], row: Callable[[Any], Any]
) -> np.ndarray | sp.csr_matrix:
    """*transformer* fitted on the distinct keys' rows only, its output repeated for everyone.

    scikit-learn's encoders loop in Python over every row they are given, and people share few language
    profiles and offer lists: at 70,000 people 1,000 distinct language maps (0.2 -> 0.06 s), 8,700 distinct
    lists of offers or needs (0.15 -> 0.1 s). The output is the same as encoding every row (the labels are
    sorted either way). Slots and interests are too varied to gain: the keys would cost what they save.
    """
    position: dict[Hashable, int] = {}
    inverse = np.fromiter((position.setdefault(key, len(position)) for key in keys), dtype=np.intp)
    return transformer.fit_transform([row(key) for key in position])[inverse]


def _padded_terms(interests: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's TF-IDF entries as fixed-width arrays (columns ascending) and as a 64-bit signature."""
    interests = interests.tocsr()
    interests.sort_indices()
    counts = np.diff(interests.indptr)
    width = int(counts.max(initial=0))
    rows = np.repeat(np.arange(len(counts)), counts)
    slot = np.arange(len(rows)) - np.repeat(interests.indptr[:-1], counts)
    index = np.full((len(counts), width), -1, dtype=np.int32)
    weight = np.zeros((len(counts), width))
    index[rows, slot] = interests.indices
    weight[rows, slot] = interests.data
    bits = np.left_shift(np.uint64(1), (interests.indices % 64).astype(np.uint64))
    signature = np.zeros(len(counts), dtype=np.uint64)
    np.bitwise_or.at(signature, rows, bits)
    return index, weight, signature


def _side(
    records: list[dict],
    rows: slice,
    terms: list[list[str]],
    features: dict,
    locality_index: dict[str, int],
    min_level: int,
) -> Side:
    levels = features["levels"][rows]
    interests = features["interests"][rows]
    term_index, term_weight, signature = _padded_terms(interests)
    return Side(
        ids=[r["id"] for r in records],
        index={r["id"]: i for i, r in enumerate(records)},
        gender=np.array([GENDERS.index(r["gender"]) for r in records], dtype=np.int8),
        age=np.array([r.get("age", np.nan) for r in records], dtype=float),
        locality=np.array([locality_index[r["locality"]] for r in records], dtype=np.int32),
        travel_km=np.array([r["travel_km"] for r in records], dtype=float),
        levels=levels,
        speaks=_bitset(levels >= min_level),
        activities=_bitset(features["activities"][rows]),
        slots=_bitset(features["slots"][rows])[0],
        terms=terms[rows],
        interests=interests,
        term_index=term_index,
        term_weight=term_weight,
        signature=signature,
        records=records,
    )


def _urgent(mentees: list[dict], labels: list[str], served_elsewhere: frozenset[str]) -> Bitset:
    """Urgent needs as bitsets over the activity labels (only needs a sponsor can meet count)."""
    index = {label: k for k, label in enumerate(labels)}
    matrix = np.zeros((len(mentees), len(labels)), dtype=bool)
    for row, mentee in enumerate(mentees):
        for key in set(mentee.get("urgent_needs", [])) & set(mentee["needs"]) - served_elsewhere:
            matrix[row, index[key]] = True
    return _bitset(matrix)


def _hours_capacity(volunteers: list[dict], hours_per_sponsorship: float) -> np.ndarray:
    """Sponsorships the hours a volunteer has left (given minus already committed) allow."""
    return np.array(
        [
            # At most UNLIMITED: a sponsorship may take a tiny fraction of an hour, and no int64 holds 744 / 1e-300.
            int(min(max(0.0, v["hours_per_month"] - v.get("committed_hours", 0)) // hours_per_sponsorship, UNLIMITED))
            if "hours_per_month" in v
            else UNLIMITED
            for v in volunteers
        ],
        dtype=np.int64,
    )


def _as_is(terms: list[str]) -> list[str]:
    return terms


def encode(problem: Problem) -> Encoded:
    """Turn a *validated* problem into arrays (people sorted by id)."""
    settings = {**DEFAULT_SETTINGS, **problem.get("settings", {})}
    # JSON Schema counts 3.0 as an integer, and the alternatives are a count the engine slices by.
    settings["alternatives"] = int(settings["alternatives"])
    localities = sorted(problem["localities"], key=lambda loc: loc["id"])
    locality_ids = [loc["id"] for loc in localities]
    min_level = level_code(settings["min_language_level"])
    volunteer_records = sorted(problem["volunteers"], key=lambda v: v["id"])
    mentee_records = sorted(problem["mentees"], key=lambda m: m["id"])
    n_v = len(volunteer_records)
    terms = [list(dict.fromkeys(r.get("interests", []))) for r in volunteer_records + mentee_records]
    served_elsewhere = frozenset(settings["served_elsewhere"])
    features, labels = _features(volunteer_records, mentee_records, terms, served_elsewhere)
    locality_index = {loc: i for i, loc in enumerate(locality_ids)}
    volunteers = _side(volunteer_records, slice(0, n_v), terms, features, locality_index, min_level)
    mentees = _side(mentee_records, slice(n_v, None), terms, features, locality_index, min_level)
    encoded = Encoded(
        settings=settings,
        locality_ids=locality_ids,
        distance_km=LocalityDistances([(loc["lat"], loc["lon"]) for loc in localities]),
        languages=labels["languages"],
        activities=labels["activities"],
        interest_terms=labels["terms"],
        volunteers=volunteers,
        mentees=mentees,
        capacity=np.array([v["capacity"] for v in volunteer_records], dtype=np.int64),
        clearance=np.array([v["clearance"] for v in volunteer_records], dtype=bool),
        accepts=np.array(
            [sum(1 << GENDERS.index(g) for g in set(v.get("accepts_genders", GENDERS))) for v in volunteer_records],
            dtype=np.uint8,
        ),
        preferred_gender=np.array(
            [
                GENDERS.index(m["preferred_mentor_gender"]) if m.get("preferred_mentor_gender") else -1
                for m in mentee_records
            ],
            dtype=np.int8,
        ),
        involves_minors=np.array([bool(m.get("involves_minors", False)) for m in mentee_records], dtype=bool),
        excluded_keys=np.zeros(0, dtype=np.int64),
        groups=problem.get("groups", []),
        served_elsewhere=served_elsewhere,
        urgent=_urgent(mentee_records, labels["activities"], served_elsewhere),
        one_off=np.array([v.get("commitment") == ONE_OFF for v in volunteer_records], dtype=bool),
        hours_capacity=_hours_capacity(volunteer_records, settings["hours_per_sponsorship"]),
    )
    pairs = problem.get("excluded", [])
    encoded.excluded_keys = np.unique(
        encoded.pair_keys(
            np.array([mentees.index[p["mentee"]] for p in pairs], dtype=np.int64),
            np.array([volunteers.index[p["volunteer"]] for p in pairs], dtype=np.int64),
        )
    )
    encoded.locked = sorted(
        (mentees.index[p["mentee"]], volunteers.index[p["volunteer"]]) for p in problem.get("locked", [])
    )
    return encoded
