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

from sqlalchemy import select

from app import policies
from app.extensions import db
from app.matching_problem import matchable_refugees, matchable_volunteers
from app.models import HelpCategory, Locality, Urgency, User
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

    def add(self, locality_id: str, key: str, travel_km: int) -> None:
        places = self.farthest[key]
        places[locality_id] = max(travel_km, places.get(locality_id, travel_km))

    def anyone(self, locality_id: str, travel_km: int, key: str) -> bool:
        here = self.index[locality_id]
        return any(
            within_reach(self.km[here, self.index[place]], travel_km, farthest)
            for place, farthest in self.farthest.get(key, {}).items()
        )


def overview(user: User) -> Overview:
    """Needs and gaps of the refugees in ``user``'s scope, against the volunteers in it."""
    localities = list(db.session.scalars(select(Locality).order_by(Locality.name)))
    categories = list(
        db.session.scalars(select(HelpCategory).where(HelpCategory.active).order_by(HelpCategory.position))
    )
    refugees = matchable_refugees(policies.refugees_in_scope(user))
    volunteers = matchable_volunteers(policies.volunteers_in_scope(user))
    reach = _Reach(localities)
    offered: Counter[str] = Counter()
    for volunteer in volunteers:
        for category in volunteer.offers:
            offered[category.key] += 1
            reach.add(volunteer.locality_id, category.key, volunteer.travel_km)
        for row in volunteer.languages:
            if reaches(row.level, INDEPENDENT_LEVEL):
                reach.add(volunteer.locality_id, f"lang:{row.code}", volunteer.travel_km)

    needed, urgent, uncovered = Counter(), Counter(), Counter()
    gaps: Counter[tuple[str, str, str]] = Counter()
    for refugee in refugees:
        for need in refugee.needs:
            needed[need.category_key] += 1
            urgent[need.category_key] += need.urgency == Urgency.URGENT
            if not reach.anyone(refugee.locality_id, refugee.travel_km, need.category_key):
                uncovered[need.category_key] += 1
                gaps[(refugee.locality_id, "activity", need.category_key)] += 1
        if refugee.has_little_german and refugee.languages:
            if not any(
                reach.anyone(refugee.locality_id, refugee.travel_km, f"lang:{row.code}") for row in refugee.languages
            ):
                best = max(refugee.languages, key=lambda row: row.level.rank)
                gaps[(refugee.locality_id, "language", best.code)] += 1

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
    return Overview(balances, gap_list, len(refugees), len(volunteers))
