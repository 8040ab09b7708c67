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
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import String, delete, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import policies
from app.agreements.services import inactive, last_sign_of_life_sql
from app.extensions import db
from app.matching_problem import matchable_refugee, matchable_volunteer
from app.models import (
    Agreement,
    AgreementStatus,
    HelpCategory,
    LanguageLevel,
    Locality,
    OverviewSnapshot,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    Urgency,
    User,
    VolunteerLanguage,
    VolunteerProfile,
    utcnow,
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
    counted_at: datetime

    def gaps_by_place(self) -> list[tuple[Locality, list[Gap]]]:
        """The gaps per place, the places with the most people affected first."""
        places: dict[str, list[Gap]] = defaultdict(list)
        for gap in self.gaps:
            places[gap.locality.id].append(gap)
        grouped = [(gaps[0].locality, gaps) for gaps in places.values()]
        return sorted(grouped, key=lambda item: (-sum(g.people for g in item[1]), item[0].name))


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


def _count(user: User) -> dict[str, Any]:
    """Needs and gaps of the refugees in ``user``'s scope, against the volunteers in it (as stored in an
    ``OverviewSnapshot``: counts by activity key, gaps as [place id, kind, key, people])."""
    localities = list(db.session.scalars(select(Locality).order_by(Locality.name)))
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
    # Refugees who share place, travel distance and need share the answer: one row per group.
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
    # Everyone with little German needs someone within reach who speaks one of their languages well; people
    # who share place, travel distance and languages (with levels) share the answer: one row per such group.
    little_german = or_(r.c.german_level.is_(None), r.c.german_level.not_in(_independent_levels()))
    spoken = (
        select(
            r.c.locality_id,
            r.c.travel_km,
            func.aggregate_strings(RefugeeLanguage.code + ":" + type_coerce(RefugeeLanguage.level, text), " ").label(
                "languages"
            ),
        )
        .join(RefugeeLanguage, RefugeeLanguage.profile_id == r.c.id)
        .where(little_german)
        .group_by(r.c.id, r.c.locality_id, r.c.travel_km)
        .subquery()
    )
    spoken_rows = select(
        literal("language"),
        literal(0),
        spoken.c.locality_id,
        spoken.c.travel_km,
        spoken.c.languages,
        literal(None),
        func.count(),
    ).group_by(spoken.c.locality_id, spoken.c.travel_km, spoken.c.languages)
    everyone = select(
        literal("count"), literal(0), literal(None), literal(None), literal(None), literal(None), func.count()
    ).select_from(r)

    needed, urgent, uncovered = Counter(), Counter(), Counter()
    gaps: Counter[tuple[str, str, str]] = Counter()
    refugee_count = 0
    for kind, _zero, place, travel_km, key, level, count in db.session.execute(
        union_all(needs, spoken_rows, everyone)
    ).all():
        if kind == "need":
            needed[key] += count
            urgent[key] += count if level == Urgency.URGENT else 0
            if not reach.anyone(place, travel_km, key):
                uncovered[key] += count
                gaps[(place, "activity", key)] += count
        elif kind == "language":
            languages = [entry.split(":") for entry in key.split(" ")]
            if not any(reach.anyone(place, travel_km, f"lang:{code}") for code, _ in languages):
                best = max(languages, key=lambda row: LanguageLevel(row[1]).rank)
                gaps[(place, "language", best[0])] += count
        else:
            refugee_count = count

    return {
        "needed": needed,
        "urgent": urgent,
        "offered": offered,
        "uncovered": uncovered,
        "gaps": [[place, kind, key, people] for (place, kind, key), people in gaps.items()],
        "refugees": refugee_count,
        "volunteers": volunteer_count,
    }


def overview(user: User) -> Overview:
    """Needs and gaps of the refugees in ``user``'s scope, against the volunteers in it: the scope's last
    count while it is younger than ``OVERVIEW_MAX_AGE_MINUTES``, else counted now and kept."""
    key = policies.scope_of(user).key
    now = utcnow()
    snapshot = db.session.get(OverviewSnapshot, key)
    max_age = timedelta(minutes=current_app.config["OVERVIEW_MAX_AGE_MINUTES"])
    if snapshot is not None and snapshot.counted_at > now - max_age:
        return _overview(snapshot)
    figures = _count(user)
    if snapshot is None:
        snapshot = OverviewSnapshot(scope_key=key, counted_at=now, figures=figures)
        try:
            with db.session.begin_nested():
                db.session.add(snapshot)
        except IntegrityError:
            pass  # another request counted the same scope at the same moment and kept its count: as fresh
    else:
        snapshot.counted_at, snapshot.figures = now, figures
    db.session.commit()
    return _overview(snapshot)


def recount(user: User) -> None:
    """Forget the last count of ``user``'s scope: the overview counts afresh (after a large change)."""
    db.session.execute(delete(OverviewSnapshot).where(OverviewSnapshot.scope_key == policies.scope_of(user).key))
    db.session.commit()


def _overview(snapshot: OverviewSnapshot) -> Overview:
    figures = snapshot.figures
    needed, urgent, offered, uncovered = (
        Counter(figures[name]) for name in ("needed", "urgent", "offered", "uncovered")
    )
    by_id = {loc.id: loc for loc in db.session.scalars(select(Locality))}
    categories = db.session.scalars(select(HelpCategory).where(HelpCategory.active).order_by(HelpCategory.position))
    balances = [
        CategoryBalance(c, needed[c.key], urgent[c.key], offered[c.key], uncovered[c.key])
        for c in categories
        if needed[c.key] or offered[c.key]
    ]
    gap_list = sorted(
        (Gap(by_id[place], kind, key, people) for place, kind, key, people in figures["gaps"] if place in by_id),
        key=lambda gap: (-gap.people, gap.locality.name, gap.key),
    )
    return Overview(balances, gap_list, figures["refugees"], figures["volunteers"], snapshot.counted_at)


@dataclass(frozen=True)
class Headlines:
    waiting: int  # refugees who can be matched and have no sponsorship, not even a draft
    matched_this_month: int  # sponsorships drafted since the first of the month (not cancelled)
    active: int
    lapsing: int  # active, but no check-in for CHECK_IN_WEEKS


# Statuses in which a refugee is not waiting any more: a sponsorship is agreed or being agreed.
_TAKEN = (AgreementStatus.DRAFT, AgreementStatus.CONFIRMED, AgreementStatus.ACTIVE)


def headlines(user: User, today: date | None = None) -> Headlines:
    """The numbers the overview opens with, for ``user``'s scope: one statement, which reads the refugees once
    for the waiting and the sponsorships once for the other three counts (``FILTER``), not once per count."""
    today = today or date.today()
    month_start = datetime(today.year, today.month, 1, tzinfo=UTC)
    taken = select(Agreement.id).where(Agreement.refugee_id == RefugeeProfile.id, Agreement.status.in_(_TAKEN)).exists()
    waiting = (
        select(func.count(RefugeeProfile.id))
        .where(matchable_refugee(policies.refugees_in_scope(user)), ~taken)
        .scalar_subquery()
    )
    counts = (
        select(
            func.count(Agreement.id).filter(
                Agreement.created_at >= month_start, Agreement.status != AgreementStatus.CANCELLED
            ),
            func.count(Agreement.id).filter(Agreement.status == AgreementStatus.ACTIVE),
            func.count(Agreement.id).filter(inactive(today)),
        )
        .where(policies.agreements_in_scope(user))
        .subquery()
    )
    row = db.session.execute(select(waiting, *counts.c)).one()
    return Headlines(*row)


def lapsing_sponsorships(user: User, limit: int, today: date | None = None) -> list[tuple[Agreement, date]]:
    """The ``limit`` longest silent lapsing sponsorships in ``user``'s scope with their last sign of life,
    their parties' names loaded with them (the headline numbers count them all)."""
    last = last_sign_of_life_sql()
    rows = db.session.execute(
        select(Agreement, last)
        .where(inactive(today), policies.agreements_in_scope(user))
        # Loaded in statements of their own: joined in, the parties and their accounts made a join of seven tables
        # that PostgreSQL took about 10 ms to plan on every view for a list of 20 (1 ms to run); now three small joins.
        .options(
            selectinload(Agreement.refugee).joinedload(RefugeeProfile.user),
            selectinload(Agreement.volunteer).joinedload(VolunteerProfile.user),
            selectinload(Agreement.second_volunteer).joinedload(VolunteerProfile.user),
        )
        .order_by(last, Agreement.id)
        .limit(limit)
    )
    return [(agreement, last_date) for agreement, last_date in rows]
