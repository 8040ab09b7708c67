"""Volunteers for one appointment (interpreting, accompaniment, a ride …), ranked and explained.

A sponsorship pairs people for months (``engine.propose``); an appointment
needs one volunteer for a few hours. :func:`rank` checks every volunteer
against the appointment's hard rules and orders those who pass, fairest
first. It reuses the pair engine's pieces: language levels (``levels``), the
distance rule (``reach``), the weekly slots (``encoding.SLOTS``), the reason
representation (``records.Reason``) and its codes where one means the same.

Hard rules, in the order in which an excluded volunteer is counted (the first
rule that fails, :data:`EXCLUSIONS`):

1. ``no_matching_offer``: the volunteer offers the request's kind.
2. ``no_shared_language``: speaks every requested language at a useful
   level (:func:`useful_level`): for interpreting :data:`levels.INDEPENDENT_LEVEL`
   (B1, from which on one can interpret), else :data:`levels.MIN_SHARED_LEVEL`
   (A2, the contract's level for a shared language).
3. ``too_far``: the haversine distance from home to the place is at most
   ``max_distance_km`` (``reach.within_reach``; the place does not travel).
4. ``no_car``: a request with ``needs_car``, or of a ride kind (:data:`RIDES`),
   needs a volunteer with a car.
5. ``no_common_time``: free in every slot the appointment touches
   (:func:`slots_of`: morning before 12:00, afternoon 12:00–18:00, evening
   from 18:00, by weekday).
6. ``already_booked``: no busy interval overlaps ``[start, end)``; intervals
   are half-open, so one ending at 10:00 and one starting at 10:00 do not.
7. ``gender_preference``: if the request asks for a gender, the volunteer's
   is that one (a volunteer who stated none never meets a wish).
8. ``clearance_required``: children involved need a police clearance.
9. ``monthly_limit_reached``: ``assignments_this_month < monthly_limit``.

Order of those who pass — fairness first: fewer assignments in the last 30
days always ranks higher; among equals, nearness and language level (weights
:data:`WITHIN_BAND_WEIGHTS`), then id. The score expresses exactly that order:
a volunteer with ``r`` recent assignments scores in the band ``[1/(r+2),
1/(r+1)]`` (0 recent: 0.5–1, 1 recent: 0.33–0.5 …): ``1/(r+2)`` for fairness
(reason ``fewest_recent_assignments``, detail: r) plus the band's width times
the weighted nearness (``nearby``, detail: km) and language levels (one
``speaks_language`` per requested language, detail: its code). The reasons'
weights add up to the score, as the pair engine's do.

Speed: :class:`VolunteerPool` turns the volunteers into numpy arrays once
(ids sorted, so index order is id order and ties break by id), and ranks any
number of requests against them with array operations only. :func:`rank` is
the simple entry: a pool for one call. Figures in ``bench/README.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import chain, repeat
from operator import attrgetter, floordiv, sub

import numpy as np

from .encoding import DAYS, LEVEL_CODES, SLOTS, level_code
from .levels import INDEPENDENT_LEVEL, LEVELS, MIN_SHARED_LEVEL
from .reach import distances_from_km, within_reach
from .records import Reason
from .scoring import DISTANCE_SCALE_KM, REASON_CODES, SCORE_UNITS

INTERPRETING = "interpreting"
RIDES = frozenset({"ride", "driving"})
"""Kinds that always need a car: the issue's name and the key of the help categories (``driving``)."""

DAY_PARTS: tuple[tuple[str, time], ...] = (
    ("morning", time(0)),
    ("afternoon", time(12)),
    ("evening", time(18)),
)
"""Each part of the day with the time it starts; it lasts until the next one starts (the evening until
midnight). The slots of the contract name no hours: these are the everyday meanings (Vormittag,
Nachmittag, Abend), the early hours counting as the morning."""

GENDERS = {"f": "f", "m": "m", "d": "d", "female": "f", "male": "m"}
"""Gender wishes and genders: the contract's codes (the app's ``Gender`` values), and the words."""

FEWEST_RECENT_ASSIGNMENTS = "fewest_recent_assignments"
SPEAKS_LANGUAGE = "speaks_language"
NEARBY = REASON_CODES["distance"]
APPOINTMENT_REASONS: tuple[str, ...] = (FEWEST_RECENT_ASSIGNMENTS, NEARBY, SPEAKS_LANGUAGE)
"""Every reason code of a candidate, in the order they are listed."""

NO_MATCHING_OFFER = "no_matching_offer"
EXCLUSIONS: tuple[str, ...] = (
    NO_MATCHING_OFFER,
    "no_shared_language",
    "too_far",
    "no_car",
    "no_common_time",
    "already_booked",
    "gender_preference",
    "clearance_required",
    "monthly_limit_reached",
)
"""Why a volunteer is not a candidate, in the order the rules are applied (the first failing one counts)."""

WITHIN_BAND_WEIGHTS = {"distance": 0.75, "language": 0.25}
"""How nearness and language level share the room a fairness band leaves: nearness first."""


@dataclass(frozen=True)
class AppointmentRequest:
    id: str
    kind: str  # activity key: "interpreting", "accompaniment", "ride" or another bookable pair-kind activity
    start: datetime  # naive local time
    end: datetime
    place: tuple[float, float]  # (lat, lon) of the locality
    languages: tuple[str, ...]  # ISO 639 codes the volunteer must all speak at a useful level
    gender: str | None = None  # "f" / "m" (or "female" / "male") wanted; None = anyone
    children: bool = False  # children involved -> police clearance required
    needs_car: bool = False  # rides (kind "ride" needs one anyway)


@dataclass(frozen=True)
class AppointmentVolunteer:
    id: str
    kinds: frozenset[str]
    languages: Mapping[str, str]  # code -> level (levels.LEVELS)
    home: tuple[float, float]  # (lat, lon)
    max_distance_km: float
    availability: frozenset[str]  # slots "mon-morning" … (encoding.SLOTS)
    has_car: bool = False
    gender: str | None = None  # "f" / "m" / "d"; None = not stated
    clearance: bool = False
    busy: tuple[tuple[datetime, datetime], ...] = ()  # other appointments, [start, end)
    assignments_last_30_days: int = 0
    assignments_this_month: int = 0  # in the appointment's month
    monthly_limit: int | None = None  # None: no limit


@dataclass(frozen=True)
class Candidate:
    volunteer: str
    score: float  # in [0, 1], non-increasing along the ranking
    reasons: tuple[Reason, ...]  # largest weight first; weights add up to the score


@dataclass(frozen=True)
class Ranking:
    candidates: tuple[Candidate, ...]  # best first, at most `limit`
    excluded: Mapping[str, int]  # exclusion code -> volunteers it excluded first (codes with none left out)


def useful_level(kind: str) -> str:
    """The level a volunteer needs in each requested language: interpreters must be independent users."""
    return INDEPENDENT_LEVEL if kind == INTERPRETING else MIN_SHARED_LEVEL


def slots_of(start: datetime, end: datetime) -> frozenset[str]:
    """The weekly slots the time ``[start, end)`` touches (all of them from a week on)."""
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("appointment times must be naive local times")
    if end <= start:
        raise ValueError("an appointment must end after it starts")
    if end - start >= timedelta(days=7):
        return frozenset(SLOTS)
    slots = set()
    day = datetime.combine(start.date(), time(0))
    while day < end:
        for k, (part, begins) in enumerate(DAY_PARTS):
            part_start = datetime.combine(day.date(), begins)
            part_end = (
                datetime.combine(day.date(), DAY_PARTS[k + 1][1]) if k + 1 < len(DAY_PARTS) else day + timedelta(1)
            )
            if part_start < end and start < part_end:
                slots.add(f"{DAYS[day.weekday()]}-{part}")
        day += timedelta(1)
    return frozenset(slots)


def _gender(value: str | None, where: str) -> str | None:
    if value is None:
        return None
    if value not in GENDERS:
        raise ValueError(f'{where}: unknown gender "{value}"')
    return GENDERS[value]


_SLOT_BITS = {slot: 1 << k for k, slot in enumerate(SLOTS)}
_GENDER_CODES = {None: 0, "f": 1, "m": 2, "d": 3}
_NO_LIMIT = np.iinfo(np.int64).max
_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def _microseconds(moments: list[datetime]) -> np.ndarray:
    """Naive datetimes as microseconds since 1970 (exact: comparisons of intervals stay exact)."""
    since = map(sub, moments, repeat(_EPOCH))  # C-level maps: no Python frame per moment
    return np.fromiter(map(floordiv, since, repeat(_MICROSECOND)), dtype=np.int64, count=len(moments))


_FIELD_NAMES = (
    "id",
    "kinds",
    "languages",
    "home",
    "max_distance_km",
    "availability",
    "has_car",
    "gender",
    "clearance",
    "busy",
    "assignments_last_30_days",
    "assignments_this_month",
    "monthly_limit",
)
_FIELDS = attrgetter(*_FIELD_NAMES)


def _level_columns(languages: Sequence[Mapping[str, str]], people: list[AppointmentVolunteer]) -> dict[str, np.ndarray]:
    """Per language code, everyone's level code (``encoding.level_code``; 0: not spoken)."""
    rows: dict[str, list[int]] = {}
    levels: dict[str, list[str]] = {}
    for i, spoken in enumerate(languages):
        for code, level in spoken.items():
            if code in rows:
                rows[code].append(i)
                levels[code].append(level)
            else:
                rows[code], levels[code] = [i], [level]
    columns = {}
    for code, holders in rows.items():
        try:
            values = [LEVEL_CODES[level] for level in levels[code]]
        except KeyError as error:
            holder = next(people[i].id for i in holders if people[i].languages[code] == error.args[0])
            raise ValueError(f'volunteers[{holder}].languages.{code}: unknown level "{error.args[0]}"') from None
        columns[code] = np.zeros(len(people), dtype=np.int8)
        columns[code][holders] = values
    return columns


def _slot_bits(slots: frozenset[str], people: list[AppointmentVolunteer]) -> int:
    """The slots as bits of :data:`_SLOT_BITS`; an unknown slot is reported for the first person with that set."""
    try:
        return sum(map(_SLOT_BITS.__getitem__, slots))  # distinct powers of two: the sum is the union
    except KeyError as error:
        holder = next(v.id for v in people if v.availability == slots)
        raise ValueError(f'volunteers[{holder}].availability: unknown slot "{error.args[0]}"') from None


class VolunteerPool:
    """Volunteers as arrays, prepared once and ranked against many requests.

    Building costs a pass over the volunteers in Python (their attributes
    into arrays, their busy intervals into one flat list); :meth:`rank` then
    needs only array operations over the pool. Unknown levels, slots or
    genders and duplicate ids raise ValueError naming the volunteer.
    """

    def __init__(self, volunteers: Sequence[AppointmentVolunteer]):
        people = sorted(volunteers, key=attrgetter("id"))
        n = len(people)
        # One pass over the people (attrgetter and zip work in C), then a column per field.
        columns = zip(*map(_FIELDS, people), strict=True) if n else ((),) * len(_FIELD_NAMES)
        ids, kinds, languages, homes, max_km, availability, car, gender, clearance, busy, recent, month, limit = columns
        self.ids = list(ids)
        if len(set(self.ids)) != n:
            raise ValueError("volunteer ids must be unique")
        self.home = np.radians(np.fromiter(chain.from_iterable(homes), dtype=float, count=2 * n).reshape(n, 2))
        self.max_km = np.array(max_km, dtype=float)
        self.has_car = np.array(car, dtype=bool)
        self.clearance = np.array(clearance, dtype=bool)
        self.recent = _counts(recent)
        self.this_month = _counts(month)
        self.limit = _counts([_NO_LIMIT if x is None else x for x in limit])
        if n and (self.recent.min() < 0 or self.this_month.min() < 0):
            raise ValueError("assignment counts cannot be negative")
        unknown = set(gender) - _GENDER_CODES.keys() - GENDERS.keys()
        if unknown:
            bad = next(v for v in people if v.gender in unknown)
            raise ValueError(f'volunteers[{bad.id}].gender: unknown gender "{bad.gender}"')
        self.gender = np.array([_GENDER_CODES[GENDERS.get(g, g)] for g in gender], dtype=np.int8)
        # Sets of kinds and of slots repeat across people (a handful of offers, common
        # weekly patterns): each distinct set is looked at once, people get its number.
        kind_sets: dict[frozenset[str], int] = {}
        self._kind_set = np.array([kind_sets.setdefault(k, len(kind_sets)) for k in kinds], dtype=np.int64)
        self._kind_sets = list(kind_sets)
        slot_sets: dict[frozenset[str], int] = {}
        slot_set = np.array([slot_sets.setdefault(a, len(slot_sets)) for a in availability], dtype=np.int64)
        self.slots = np.array([_slot_bits(slots, people) for slots in slot_sets] or [0], dtype=np.int64)[slot_set]
        self._levels = _level_columns(languages, people)
        counts = np.fromiter(map(len, busy), dtype=np.int64, count=n)
        intervals = list(chain.from_iterable(busy))
        self.busy_owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        self.busy_start = _microseconds([begins for begins, _ in intervals])
        self.busy_end = _microseconds([ends for _, ends in intervals])

    def __len__(self) -> int:
        return len(self.ids)

    def offers(self, kind: str) -> np.ndarray:
        """Who offers ``kind``."""
        return (
            np.array([kind in kinds for kinds in self._kind_sets], dtype=bool)[self._kind_set]
            if len(self)
            else np.zeros(0, dtype=bool)
        )

    def levels(self, code: str) -> np.ndarray:
        """Level codes (encoding.level_code, 0 = not spoken) of one language."""
        return self._levels.get(code, np.zeros(len(self), dtype=np.int8))

    def rank(self, request: AppointmentRequest, limit: int = 20) -> Ranking:
        """The best ``limit`` candidates for ``request`` and why everyone else is excluded."""
        if limit < 0:
            raise ValueError("limit cannot be negative")
        needed = 0
        for slot in slots_of(request.start, request.end):
            needed |= _SLOT_BITS[slot]
        wanted = _GENDER_CODES[_gender(request.gender, "request.gender")]
        threshold = level_code(useful_level(request.kind))
        levels = np.stack([self.levels(code) for code in request.languages]) if request.languages else None
        km = distances_from_km(request.place, self.home)
        if len(self.busy_owner):
            start, end = _microseconds([request.start, request.end])
            overlapping = self.busy_owner[(self.busy_start < end) & (start < self.busy_end)]
        else:
            overlapping = self.busy_owner
        booked = np.zeros(len(self), dtype=bool)
        booked[overlapping] = True
        needs_car = request.needs_car or request.kind in RIDES
        rules = (
            self.offers(request.kind),
            (levels >= threshold).all(axis=0) if levels is not None else np.ones(len(self), dtype=bool),
            within_reach(km, self.max_km, 0.0),
            self.has_car | (not needs_car),
            (self.slots & needed) == needed,
            ~booked,
            (self.gender == wanted) | (wanted == 0),
            self.clearance | (not request.children),
            self.this_month < self.limit,
        )
        passed = np.stack(rules)
        first_failure = np.argmin(passed, axis=0)  # the first False; 0 also when all pass
        ok = passed.all(axis=0)
        counts = np.bincount(first_failure[~ok], minlength=len(EXCLUSIONS))
        excluded = {code: int(c) for code, c in zip(EXCLUSIONS, counts.tolist(), strict=True) if c}

        chosen = np.flatnonzero(ok)
        recent = self.recent[chosen]
        closeness = np.exp(-km[chosen] / DISTANCE_SCALE_KM)
        language = levels[:, chosen].mean(axis=0) / len(LEVELS) if levels is not None else np.zeros(len(chosen))
        within = WITHIN_BAND_WEIGHTS["distance"] * closeness + WITHIN_BAND_WEIGHTS["language"] * language
        units = np.rint(within * SCORE_UNITS).astype(np.int64)
        # One integer per candidate, ordered as the ranking: recent assignments, then
        # nearness and language (higher first), then index (= id order); unique, so
        # a partial selection of the best `limit` is exact.
        index_bits = max(1, len(self).bit_length())
        unit_bits = SCORE_UNITS.bit_length()
        recent_cap = (1 << (62 - index_bits - unit_bits)) - 1  # beyond, fairness can no longer tell
        key = (
            (np.minimum(recent, recent_cap) << (unit_bits + index_bits))
            | ((SCORE_UNITS - units) << index_bits)
            | chosen
        )
        if limit < len(key):
            top = np.argpartition(key, limit)[:limit] if limit else np.zeros(0, dtype=np.int64)
        else:
            top = np.arange(len(key))
        top = top[np.argsort(key[top])]
        candidates = tuple(
            self._candidate(request, int(chosen[k]), int(recent[k]), float(km[chosen[k]]), int(units[k]), levels)
            for k in top.tolist()
        )
        return Ranking(candidates=candidates, excluded=excluded)

    def _candidate(
        self, request: AppointmentRequest, i: int, recent: int, km: float, units: int, levels: np.ndarray | None
    ) -> Candidate:
        band = 1.0 / (recent + 2)
        width = 1.0 / ((recent + 1) * (recent + 2))
        score = round(band + width * units / SCORE_UNITS, 6)
        reasons: list[Reason] = [{"code": FEWEST_RECENT_ASSIGNMENTS, "detail": str(recent), "weight": round(band, 6)}]
        near = width * WITHIN_BAND_WEIGHTS["distance"] * float(np.exp(-km / DISTANCE_SCALE_KM))
        reasons.append({"code": NEARBY, "detail": f"{km:.1f}", "weight": round(near, 6)})
        if levels is not None:
            share = width * WITHIN_BAND_WEIGHTS["language"] / len(request.languages) / len(LEVELS)
            for row, code in enumerate(request.languages):
                weight = round(share * int(levels[row, i]), 6)
                reasons.append({"code": SPEAKS_LANGUAGE, "detail": code, "weight": weight})
        reasons.sort(key=lambda reason: -reason["weight"])  # stable: ties keep the listed order
        return Candidate(volunteer=self.ids[i], score=score, reasons=tuple(reasons))


def rank(request: AppointmentRequest, volunteers: Sequence[AppointmentVolunteer], limit: int = 20) -> Ranking:
    """Rank ``volunteers`` for ``request``: the best ``limit`` candidates and the exclusion counts.

    A :class:`VolunteerPool` for this one call; to rank many requests among
    the same volunteers, build the pool once and call its ``rank``.
    """
    return VolunteerPool(volunteers).rank(request, limit)


_REQUIRED = object()


def _field(data: Mapping, name: str, where: str, convert, default=_REQUIRED):
    """``convert(data[name])``, or ``default`` if absent; ValueError naming ``where.name`` otherwise."""
    if name not in data:
        if default is _REQUIRED:
            raise ValueError(f"{where}.{name}: missing")
        return default
    value = data[name]
    try:
        return convert(value)
    except (TypeError, ValueError, OverflowError) as error:  # OverflowError: an int no float holds
        raise ValueError(f"{where}.{name}: {error}") from None


def _moment(value) -> datetime:
    if not isinstance(value, str):
        raise TypeError("an ISO 8601 date and time is needed")
    return datetime.fromisoformat(value)


def _intervals(value) -> tuple[tuple[datetime, datetime], ...]:
    if isinstance(value, str | Mapping):
        raise TypeError("a list of [start, end] pairs is needed")
    intervals = []
    for k, pair in enumerate(value):
        try:
            begins, ends = pair
            intervals.append((_moment(begins), _moment(ends)))
        except (TypeError, ValueError) as error:
            raise ValueError(f"item {k}: {error}") from None
    return tuple(intervals)


def _point(value) -> tuple[float, float]:
    lat, lon = (float(x) for x in value)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError("not a finite point")
    return lat, lon


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(x, str) for x in value):
        raise TypeError("a list of strings is needed")
    return tuple(value)


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("a string is needed")
    return value


def _optional_text(value) -> str | None:
    return None if value is None else _text(value)


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true or false is needed")
    return value


def _counts(values: Sequence[int]) -> np.ndarray:
    """Counts as int64, or ValueError for one that no int64 holds (no real count comes near)."""
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        raise ValueError("assignment counts and limits must be below 2**63") from None


def _count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("a whole number is needed")
    return value


def _km(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError("a finite number is needed")
    return float(value)


def _levels_of(value) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise TypeError("an object of language code to level is needed")
    return dict(value)


def request_from_json(data: Mapping) -> AppointmentRequest:
    """A request from its JSON form (``CONTRACT.md``, *Appointments*); ValueError naming the field."""
    if not isinstance(data, Mapping):
        raise ValueError("request: an object is needed")
    return AppointmentRequest(
        id=_field(data, "id", "request", _text),
        kind=_field(data, "kind", "request", _text),
        start=_field(data, "start", "request", _moment),
        end=_field(data, "end", "request", _moment),
        place=_field(data, "place", "request", _point),
        languages=_field(data, "languages", "request", _strings, ()),
        gender=_field(data, "gender", "request", _optional_text, None),
        children=_field(data, "children", "request", _flag, False),
        needs_car=_field(data, "needs_car", "request", _flag, False),
    )


def volunteer_from_json(data: Mapping, where: str) -> AppointmentVolunteer:
    """A volunteer from its JSON form; ``where`` names it in errors (``volunteers[3]``)."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: an object is needed")
    return AppointmentVolunteer(
        id=_field(data, "id", where, _text),
        kinds=frozenset(_field(data, "kinds", where, _strings)),
        languages=_field(data, "languages", where, _levels_of),
        home=_field(data, "home", where, _point),
        max_distance_km=_field(data, "max_distance_km", where, _km),
        availability=frozenset(_field(data, "availability", where, _strings)),
        has_car=_field(data, "has_car", where, _flag, False),
        gender=_field(data, "gender", where, _optional_text, None),
        clearance=_field(data, "clearance", where, _flag, False),
        busy=_field(data, "busy", where, _intervals, ()),
        assignments_last_30_days=_field(data, "assignments_last_30_days", where, _count, 0),
        assignments_this_month=_field(data, "assignments_this_month", where, _count, 0),
        monthly_limit=_field(data, "monthly_limit", where, lambda x: None if x is None else _count(x), None),
    )


def ranking_to_json(ranking: Ranking) -> dict:
    """The JSON form of a ranking: ``{"candidates": [{"volunteer", "score", "reasons"}], "excluded": {...}}``."""
    return {
        "candidates": [
            {"volunteer": c.volunteer, "score": c.score, "reasons": [dict(r) for r in c.reasons]}
            for c in ranking.candidates
        ],
        "excluded": dict(ranking.excluded),
    }
