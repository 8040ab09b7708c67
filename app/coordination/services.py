"""Where help is missing: needs of refugees against what volunteers within reach offer.

A need is covered when at least one active volunteer who offers it lives
close enough: the distance between their places is at most the volunteer's
and the refugee's travel distances together (the matching contract's rule).
A language is covered for a refugee with little German when a volunteer
within reach speaks it well enough to interpret (``INDEPENDENT_LEVEL``, B1,
or better).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import String, func, or_, select, type_coerce

from app import policies
from app.extensions import db
from app.matching_problem import matchable_refugee, matchable_volunteer
from app.models import (
    HelpCategory,
    LanguageLevel,
    Locality,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    Urgency,
    User,
    VolunteerLanguage,
    VolunteerProfile,
)
from app.models.volunteer import volunteer_offers
from matching.levels import INDEPENDENT_LEVEL, reaches
from matching.reach import distances_km, within_reach


@dataclass
class CategoryBalance:
    category: HelpCategory
    needed: int  # refugees who need it
    urgent: int
    offered: int  # volunteers who offer it
    uncovered: int  # refugees who need it with no volunteer within reach


@dataclass(frozen=True)
class Gap:
    locality: Locality
    kind: str  # "activity" or "language"
    key: str  # help category key or ISO language code
    people: int  # refugees affected


@dataclass
class Overview:
    balances: list[CategoryBalance]
    gaps: list[Gap]
    refugees: int
    volunteers: int


class _Reach:
    """Per thing offered and place, the longest travel distance of the volunteers there.

    Some volunteer of a place is within reach of a refugee when the one who travels farthest is.
    """

    def __init__(self, localities: list[Locality]):
        self.index = {loc.id: i for i, loc in enumerate(localities)}
        self.km = distances_km([(loc.lat, loc.lon) for loc in localities])
        self.farthest: dict[str, dict[str, int]] = defaultdict(dict)  # offer -> place -> longest travel km
        self.answers: dict[tuple[str, int, str], bool] = {}

    def add(self, locality_id: str, key: str, travel_km: int) -> None:
        places = self.farthest[key]
        places[locality_id] = max(travel_km, places.get(locality_id, travel_km))

    def anyone(self, locality_id: str, travel_km: int, key: str) -> bool:
        """Whether some volunteer offering ``key`` reaches a refugee of this place and travel distance
        (remembered: many refugees share place, distance and language)."""
        asked = (locality_id, travel_km, key)
        if asked not in self.answers:
            here = self.index[locality_id]
            self.answers[asked] = any(
                within_reach(self.km[here, self.index[place]], travel_km, farthest)
                for place, farthest in self.farthest.get(key, {}).items()
            )
        return self.answers[asked]


def _independent_levels() -> list[LanguageLevel]:
    return [level for level in LanguageLevel if reaches(level, INDEPENDENT_LEVEL)]


def _volunteer_reach(localities: list[Locality], volunteers) -> tuple[_Reach, Counter[str]]:
    """Who offers what and speaks which language well, grouped by place: ``volunteers`` is their condition.

    Grouped in the database (per place and thing offered, the longest travel distance), so the overview
    of a large district reads a few hundred rows, not every volunteer.
    """
    reach = _Reach(localities)
    offer_rows = db.session.execute(
        select(
            VolunteerProfile.locality_id,
            volunteer_offers.c.category_key,
            func.max(VolunteerProfile.travel_km),
            func.count(),
        )
        .join(volunteer_offers, volunteer_offers.c.profile_id == VolunteerProfile.id)
        .where(volunteers, VolunteerProfile.locality_id.is_not(None))
        .group_by(VolunteerProfile.locality_id, volunteer_offers.c.category_key)
    )
    offered: Counter[str] = Counter()
    for place, key, farthest, count in offer_rows:
        offered[key] += count
        reach.add(place, key, farthest)
    language_rows = db.session.execute(
        select(VolunteerProfile.locality_id, VolunteerLanguage.code, func.max(VolunteerProfile.travel_km))
        .join(VolunteerLanguage, VolunteerLanguage.profile_id == VolunteerProfile.id)
        .where(
            volunteers,
            VolunteerProfile.locality_id.is_not(None),
            VolunteerLanguage.level.in_(_independent_levels()),
        )
        .group_by(VolunteerProfile.locality_id, VolunteerLanguage.code)
    )
    for place, code, farthest in language_rows:
        reach.add(place, f"lang:{code}", farthest)
    return reach, offered


def overview(user: User) -> Overview:
    """Needs and gaps of the refugees in ``user``'s scope, against the volunteers in it."""
    localities = list(db.session.scalars(select(Locality).order_by(Locality.name)))
    categories = list(
        db.session.scalars(select(HelpCategory).where(HelpCategory.active).order_by(HelpCategory.position))
    )
    refugees = matchable_refugee(policies.refugees_in_scope(user) & RefugeeProfile.locality_id.is_not(None))
    volunteers = matchable_volunteer(policies.volunteers_in_scope(user))
    reach, offered = _volunteer_reach(localities, volunteers)

    needed, urgent, uncovered = Counter(), Counter(), Counter()
    gaps: Counter[tuple[str, str, str]] = Counter()
    # Refugees who share place, travel distance and need share the answer: one row per group.
    need_rows = db.session.execute(
        select(
            RefugeeProfile.locality_id,
            RefugeeProfile.travel_km,
            RefugeeNeed.category_key,
            RefugeeNeed.urgency,
            func.count(),
        )
        .join(RefugeeNeed, RefugeeNeed.profile_id == RefugeeProfile.id)
        .where(refugees)
        .group_by(RefugeeProfile.locality_id, RefugeeProfile.travel_km, RefugeeNeed.category_key, RefugeeNeed.urgency)
    )
    for place, travel_km, key, urgency, count in need_rows:
        needed[key] += count
        urgent[key] += count if urgency == Urgency.URGENT else 0
        if not reach.anyone(place, travel_km, key):
            uncovered[key] += count
            gaps[(place, "activity", key)] += count
    # People with little German need someone within reach who speaks one of their languages well.
    little_german = or_(
        RefugeeProfile.german_level.is_(None), RefugeeProfile.german_level.not_in(_independent_levels())
    )
    spoken: dict[int, tuple[str, int, list]] = {}
    for profile_id, place, travel_km, code, level in db.session.execute(
        select(
            RefugeeProfile.id,
            RefugeeProfile.locality_id,
            RefugeeProfile.travel_km,
            RefugeeLanguage.code,
            type_coerce(RefugeeLanguage.level, String),  # read as text: thousands of rows, no enum objects
        )
        .join(RefugeeLanguage, RefugeeLanguage.profile_id == RefugeeProfile.id)
        .where(refugees, little_german)
    ):
        spoken.setdefault(profile_id, (place, travel_km, []))[2].append((code, level))
    for place, travel_km, languages in spoken.values():
        if not any(reach.anyone(place, travel_km, f"lang:{code}") for code, _ in languages):
            best = max(languages, key=lambda row: LanguageLevel(row[1]).rank)
            gaps[(place, "language", best[0])] += 1

    by_id = {loc.id: loc for loc in localities}
    balances = [
        CategoryBalance(c, needed[c.key], urgent[c.key], offered[c.key], uncovered[c.key])
        for c in categories
        if needed[c.key] or offered[c.key]
    ]
    gap_list = sorted(
        (Gap(by_id[place], kind, key, people) for (place, kind, key), people in gaps.items()),
        key=lambda gap: (-gap.people, gap.locality.name, gap.key),
    )
    counts = (
        db.session.scalar(select(func.count(RefugeeProfile.id)).where(refugees)),
        db.session.scalar(select(func.count(VolunteerProfile.id)).where(volunteers)),
    )
    return Overview(balances, gap_list, *counts)
