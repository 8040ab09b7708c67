"""Where help is missing: needs of refugees against what volunteers within reach offer.

A need is covered when at least one active volunteer who offers it lives
close enough: the distance between their places is at most the volunteer's
and the refugee's travel distances together (the matching contract's rule).
A language is covered for a refugee with little German when a volunteer
within reach speaks it well (B1 or better).
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from sklearn.metrics.pairwise import haversine_distances
from sqlalchemy import select

from app.extensions import db
from app.matching_problem import matchable_refugees, matchable_volunteers
from app.models import (
    HelpCategory,
    LanguageLevel,
    Locality,
    Urgency,
)
from matching.encoding import EARTH_RADIUS_KM

LITTLE_GERMAN = {None, LanguageLevel.A1, LanguageLevel.A2}
GOOD_ENOUGH = LanguageLevel.B1.rank


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
    """Volunteers' travel distances grouped by place and by what they offer, for quick 'anyone within reach?'."""

    def __init__(self, localities: list[Locality]):
        self.index = {loc.id: i for i, loc in enumerate(localities)}
        coordinates = np.radians([[loc.lat, loc.lon] for loc in localities]) if localities else np.zeros((0, 2))
        self.km = haversine_distances(coordinates) * EARTH_RADIUS_KM
        self.travel: dict[tuple[str, str], list[int]] = defaultdict(list)  # (place, offer) -> sorted travel km

    def add(self, locality_id: str, key: str, travel_km: int) -> None:
        self.travel[(locality_id, key)].append(travel_km)

    def finish(self) -> None:
        for distances in self.travel.values():
            distances.sort()

    def anyone(self, locality_id: str, travel_km: int, key: str) -> bool:
        here = self.index[locality_id]
        for (place, offer), distances in self.travel.items():
            if offer == key:
                needed = self.km[here, self.index[place]] - travel_km
                if bisect_left(distances, needed) < len(distances):
                    return True
        return False


def overview() -> Overview:
    localities = list(db.session.scalars(select(Locality).order_by(Locality.name)))
    categories = list(
        db.session.scalars(select(HelpCategory).where(HelpCategory.active).order_by(HelpCategory.position))
    )
    refugees, volunteers = matchable_refugees(), matchable_volunteers()
    reach = _Reach(localities)
    offered: Counter[str] = Counter()
    for volunteer in volunteers:
        for category in volunteer.offers:
            offered[category.key] += 1
            reach.add(volunteer.locality_id, category.key, volunteer.travel_km)
        for row in volunteer.languages:
            if row.level.rank >= GOOD_ENOUGH:
                reach.add(volunteer.locality_id, f"lang:{row.code}", volunteer.travel_km)
    reach.finish()

    needed, urgent, uncovered = Counter(), Counter(), Counter()
    gaps: Counter[tuple[str, str, str]] = Counter()
    for refugee in refugees:
        for need in refugee.needs:
            needed[need.category_key] += 1
            urgent[need.category_key] += need.urgency == Urgency.URGENT
            if not reach.anyone(refugee.locality_id, refugee.travel_km, need.category_key):
                uncovered[need.category_key] += 1
                gaps[(refugee.locality_id, "activity", need.category_key)] += 1
        if refugee.german_level in LITTLE_GERMAN and refugee.languages:
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
