"""The contract's records (``CONTRACT.md``, version 1) as typed dictionaries.

A problem and its proposals are plain JSON objects; these types name their
fields for whoever builds or reads them (the app's adapter, the command
line, tests). Keys the contract marks optional are ``NotRequired``; the
engine ignores keys it does not know, so a caller may pass more.
"""

from typing import Literal, NotRequired, TypedDict

Gender = Literal["f", "m", "d"]


class Settings(TypedDict, total=False):
    min_language_level: str  # a shared language needs this level on both sides (levels.LEVELS)
    alternatives: int  # alternatives listed per mentee
    min_score: float  # pairs scoring below are never proposed
    hours_per_sponsorship: float  # hours per month one sponsorship takes
    served_elsewhere: list[str]  # need keys a working group or an appointment serves: never a sponsorship need


class Locality(TypedDict):
    id: str
    lat: float
    lon: float


class Volunteer(TypedDict):
    id: str
    gender: Gender
    age: NotRequired[int]
    languages: dict[str, str]  # ISO 639-1 code -> level
    offers: list[str]
    availability: list[str]  # slots "mon-evening"
    locality: str
    travel_km: float
    capacity: int  # mentees at most; 0 = no mentoring
    accepts_genders: NotRequired[list[Gender]]
    clearance: bool  # valid extended police clearance
    max_groups: NotRequired[int]
    group_preferences: NotRequired[list[str]]  # group ids, most wanted first
    interests: NotRequired[list[str]]  # interest keys, e.g. "football"
    commitment: NotRequired[Literal["one_off", "3_months", "6_months", "12_months"]]  # one_off: never a sponsor
    hours_per_month: NotRequired[float]  # hours the volunteer can give per month
    committed_hours: NotRequired[float]  # of those, already taken by current commitments outside the problem


class Mentee(TypedDict):
    id: str
    gender: Gender  # of the contact person
    age: NotRequired[int]
    household_size: NotRequired[int]
    involves_minors: NotRequired[bool]
    languages: dict[str, str]
    needs: list[str]
    availability: list[str]
    locality: str
    travel_km: float
    preferred_mentor_gender: NotRequired[Gender | None]
    interests: NotRequired[list[str]]  # interest keys, e.g. "football"
    urgent_needs: NotRequired[list[str]]  # those of the needs that are urgent


class PairRef(TypedDict):
    """A pair in ``locked`` or ``excluded``."""

    volunteer: str
    mentee: str


class Group(TypedDict):
    id: str
    requires_offer: str
    capacity: int
    language_quota: NotRequired[dict[str, int]]  # language code -> members at QUOTA_LEVEL or above
    locality_quota: NotRequired[dict[str, int]]  # locality id -> members living there


class Problem(TypedDict):
    version: int
    settings: NotRequired[Settings]
    localities: list[Locality]
    volunteers: list[Volunteer]
    mentees: list[Mentee]
    locked: NotRequired[list[PairRef]]
    excluded: NotRequired[list[PairRef]]
    groups: NotRequired[list[Group]]


class Reason(TypedDict):
    """Why a pair scores as it does (``PAIR_REASONS``): one block's share of the score."""

    code: str
    detail: str
    weight: float


class GroupReason(TypedDict):
    """Why a volunteer is proposed for a group (``GROUP_REASONS``)."""

    code: str
    detail: str


class Pair(TypedDict):
    volunteer: str
    mentee: str
    score: float
    locked: bool
    reasons: list[Reason]


class Alternative(TypedDict):
    volunteer: str
    score: float


class Unmatched(TypedDict):
    mentee: str
    reason: str  # one of UNMATCHED_REASONS


class GroupAssignment(TypedDict):
    volunteer: str
    group: str
    reasons: list[GroupReason]


class Metrics(TypedDict):
    mentees: int
    volunteers: int
    matched: int
    total_score: float
    proven_gap: float | None  # the optimum's value is at most this share above the result's; 0: proven optimal
    solver: str
    rounds: int  # fast: pricing rounds
    candidate_pairs: int  # pairs scored exactly
    seconds: float
    seconds_by_stage: dict[str, float]


class Proposals(TypedDict):
    version: int
    pairs: list[Pair]
    alternatives: dict[str, list[Alternative]]  # mentee id -> best other volunteers
    unmatched: list[Unmatched]
    group_assignments: list[GroupAssignment]
    group_shortfall: dict[str, dict[str, int]]  # group id -> {"language:fa": 1}
    metrics: Metrics
