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

from sqlalchemy import String, func, literal, or_, select, type_coerce, union_all

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


def _volunteer_reach(localities: list[Locality], volunteers) -> tuple[_Reach, Counter[str], int]:
    """Who offers what and speaks which language well, by place, and how many volunteers there are
    (``volunteers``: their condition).

    One statement: the volunteers are selected once (a CTE) and grouped in the database per place and
    thing offered (the longest travel distance), so a large district gives a few hundred rows.
    """
    chosen = select(VolunteerProfile.id, VolunteerProfile.locality_id, VolunteerProfile.travel_km).where(volunteers)
    v = chosen.cte("chosen_volunteers")
    placed = v.c.locality_id.is_not(None)
    offers = (
        select(
            literal("offer"), v.c.locality_id, volunteer_offers.c.category_key, func.max(v.c.travel_km), func.count()
        )
        .join(volunteer_offers, volunteer_offers.c.profile_id == v.c.id)
        .where(placed)
        .group_by(v.c.locality_id, volunteer_offers.c.category_key)
    )
    languages = (
        select(literal("language"), v.c.locality_id, VolunteerLanguage.code, func.max(v.c.travel_km), func.count())
        .join(VolunteerLanguage, VolunteerLanguage.profile_id == v.c.id)
        .where(placed, VolunteerLanguage.level.in_(_independent_levels()))
        .group_by(v.c.locality_id, VolunteerLanguage.code)
    )
    everyone = select(literal("count"), literal(None), literal(None), literal(None), func.count()).select_from(v)
    reach, offered, total = _Reach(localities), Counter(), 0
    for kind, place, key, farthest, count in db.session.execute(union_all(offers, languages, everyone)):
        if kind == "offer":
            offered[key] += count
            reach.add(place, key, farthest)
        elif kind == "language":
            reach.add(place, f"lang:{key}", farthest)
        else:
            total = count
    return reach, offered, total


def overview(user: User) -> Overview:
    """Needs and gaps of the refugees in ``user``'s scope, against the volunteers in it."""
    localities = list(db.session.scalars(select(Locality).order_by(Locality.name)))
    categories = list(
        db.session.scalars(select(HelpCategory).where(HelpCategory.active).order_by(HelpCategory.position))
    )
    reach, offered, volunteer_count = _volunteer_reach(
        localities, matchable_volunteer(policies.volunteers_in_scope(user))
    )
    refugees = matchable_refugee(policies.refugees_in_scope(user) & RefugeeProfile.locality_id.is_not(None))
    r = (
        select(RefugeeProfile.id, RefugeeProfile.locality_id, RefugeeProfile.travel_km, RefugeeProfile.german_level)
        .where(refugees)
        .cte("chosen_refugees")
    )
    text = String()
    # Refugees who share place, travel distance and need share the answer: one row per group. People with
    # little German need someone within reach who speaks one of their languages well: one row per language.
    needs = (
        select(
            literal("need"),
            literal(0),
            r.c.locality_id,
            r.c.travel_km,
            RefugeeNeed.category_key,
            type_coerce(RefugeeNeed.urgency, text),
            func.count(),
        )
        .join(RefugeeNeed, RefugeeNeed.profile_id == r.c.id)
        .group_by(r.c.locality_id, r.c.travel_km, RefugeeNeed.category_key, RefugeeNeed.urgency)
    )
    little_german = or_(r.c.german_level.is_(None), r.c.german_level.not_in(_independent_levels()))
    spoken_rows = (
        select(
            literal("language"),
            r.c.id,
            r.c.locality_id,
            r.c.travel_km,
            RefugeeLanguage.code,
            type_coerce(RefugeeLanguage.level, text),
            literal(1),
        )
        .join(RefugeeLanguage, RefugeeLanguage.profile_id == r.c.id)
        .where(little_german)
    )
    everyone = select(
        literal("count"), literal(0), literal(None), literal(None), literal(None), literal(None), func.count()
    ).select_from(r)

    needed, urgent, uncovered = Counter(), Counter(), Counter()
    gaps: Counter[tuple[str, str, str]] = Counter()
    spoken: dict[int, tuple[str, int, list]] = {}
    refugee_count = 0
    for kind, profile_id, place, travel_km, key, level, count in db.session.execute(
        union_all(needs, spoken_rows, everyone)
    ):
        if kind == "need":
            needed[key] += count
            urgent[key] += count if level == Urgency.URGENT else 0
            if not reach.anyone(place, travel_km, key):
                uncovered[key] += count
                gaps[(place, "activity", key)] += count
        elif kind == "language":
            spoken.setdefault(profile_id, (place, travel_km, []))[2].append((key, level))
        else:
            refugee_count = count
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
    return Overview(balances, gap_list, refugee_count, volunteer_count)
