"""Database rows as the matching engine's problem (``matching/CONTRACT.md``, version 1), and its ids back as rows.

The one adapter between the database and the engine: who takes part, how
a profile becomes a contract record, the settings, and how the engine's ids
encode the rows' ids.

Only people who are active, answered every question and consented to
matching take part. The contract knows the genders f, m and d; someone who
did not state a gender is passed as d, so that a wish for a woman or a man is
never met by a person whose gender is unknown.

What the questionnaires ask counts (the contract's optional fields): needs
marked urgent come first (``urgent_needs``); a volunteer who offered help
now and then, for single tasks, is never proposed as a sponsor
(``commitment``); the hours a volunteer gives per month, less the hours of
their current commitments outside the problem (pending agreements as
agreed, working groups' meetings), limit how many sponsorships they can
take on, each counted as an agreement's usual meetings
(``hours_per_month``, ``committed_hours``, ``settings.hours_per_sponsorship``);
needs that a working group serves (the activities of kind group:
interpreting, driving, bicycle workshop, sport, clothing store, ...) are
never a reason to propose a sponsor (``settings.served_elsewhere``).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, and_, any_, bindparam, exists, func, select, true
from sqlalchemy.orm import selectinload

from app.clearance import clearance_condition, clearance_status
from app.extensions import db
from app.jobs.services import stage
from app.models import (
    BOOKED_STATUSES,
    DEFAULT_HOURS_PER_MEETING,
    DEFAULT_MEETINGS_PER_MONTH,
    HOLDING_STATUSES,
    Agreement,
    AgreementStatus,
    Appointment,
    CategoryKind,
    ClearanceStatus,
    Consent,
    ConsentPurpose,
    Gender,
    GroupMembership,
    HelpCategory,
    HouseholdMember,
    Locality,
    MembershipStatus,
    Proposal,
    ProposalStatus,
    QuotaKind,
    RefugeeAvailability,
    RefugeeInterest,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    RefugeeStatus,
    Urgency,
    User,
    VolunteerAvailability,
    VolunteerInterest,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    WorkingGroup,
    household_size,
    involves_minors,
    volunteer_offers,
)
from matching import (
    APPOINTMENT_EXCLUSIONS,
    NO_MATCHING_OFFER,
    AppointmentRequest,
    AppointmentVolunteer,
    Group,
    Mentee,
    PairRef,
    Problem,
    Ranking,
    Settings,
    Volunteer,
)
from matching import rank_appointment as rank_volunteers
from matching.levels import MIN_SHARED_LEVEL

CONTRACT_VERSION = 1
HOURS_PER_SPONSORSHIP = DEFAULT_MEETINGS_PER_MONTH * DEFAULT_HOURS_PER_MEETING
"""Hours per month a sponsorship takes: an agreement's usual meetings."""
SETTINGS: Settings = {
    "min_language_level": MIN_SHARED_LEVEL,
    "alternatives": 3,  # shown with each proposal, for the coordinator or the refugee to choose
    "min_score": 0.0,
    "hours_per_sponsorship": HOURS_PER_SPONSORSHIP,
}
"""The settings of every run (besides ``served_elsewhere``, read from the activities); stored with the run."""
WEEKS_PER_MONTH = 52 / 12

VOLUNTEER_PREFIX, MENTEE_PREFIX = "v-", "r-"


def volunteer_ref(profile_id: int) -> str:
    """The engine's id of the volunteer profile ``profile_id``."""
    return f"{VOLUNTEER_PREFIX}{profile_id}"


def mentee_ref(profile_id: int) -> str:
    """The engine's id of the refugee profile ``profile_id``."""
    return f"{MENTEE_PREFIX}{profile_id}"


def _row_id(ref: str, prefix: str) -> int:
    number = ref.removeprefix(prefix)
    if number == ref or not (number.isascii() and number.isdecimal()):
        raise ValueError(f"not an id made by {prefix}…: {ref!r}")
    return int(number)


def volunteer_profile_id(ref: str) -> int:
    """The volunteer profile behind the engine's id ``ref``; ValueError if it is not a volunteer's id."""
    return _row_id(ref, VOLUNTEER_PREFIX)


def refugee_profile_id(ref: str) -> int:
    """The refugee profile behind the engine's id ``ref``; ValueError if it is not a mentee's id."""
    return _row_id(ref, MENTEE_PREFIX)


def group_ref(group: WorkingGroup) -> str:
    """The engine's id of a working group: its slug, short and permanent."""
    return group.slug


def consented_to_matching(profile_class):
    """A condition on ``profile_class`` (a profile): its person's current consent to matching.

    Asked of the consents by the profile's user id directly, without the users table.
    """
    return exists().where(
        Consent.user_id == profile_class.user_id,
        Consent.purpose == ConsentPurpose.MATCHING,
        Consent.withdrawn_at.is_(None),
    )


def matchable_volunteer(within: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """A condition on ``VolunteerProfile``: can be matched now (and ``within``, e.g. a coordinator's scope)."""
    return and_(
        within if within is not None else true(),
        VolunteerProfile.status == VolunteerStatus.ACTIVE,
        VolunteerProfile.completed_at.is_not(None),
        consented_to_matching(VolunteerProfile),
    )


def matchable_refugee(within: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """A condition on ``RefugeeProfile``: can be matched now (and ``within``, e.g. a coordinator's scope)."""
    return and_(
        within if within is not None else true(),
        RefugeeProfile.status == RefugeeStatus.ACTIVE,
        RefugeeProfile.completed_at.is_not(None),
        consented_to_matching(RefugeeProfile),
    )


def matchable_volunteers(within: ColumnElement[bool] | None = None) -> list[VolunteerProfile]:
    """Volunteers who can be matched now (``within``: a condition on them, a coordinator's scope), with
    their offers (a group needs their kinds); ``volunteer_answers`` reads the rest of their answers."""
    return list(
        db.session.scalars(
            select(VolunteerProfile)
            .where(matchable_volunteer(within))
            .options(selectinload(VolunteerProfile.offers))
            .order_by(VolunteerProfile.id)
        )
    )


@dataclass
class Answers:
    """What a person answered in rows of their own: languages, needs or offers, times, interests, household.

    Read for a whole problem at once by ``volunteer_answers``/``refugee_answers``, one query per kind
    of row, as plain tuples: 7,000 people have some 56,000 such rows, and loading them as ORM
    objects took most of a district's matching run.
    """

    languages: dict[str, str] = field(default_factory=dict)  # code -> level
    categories: list[str] = field(default_factory=list)  # needs (refugees) or offers (volunteers), keys
    urgent: list[str] = field(default_factory=list)  # the urgent needs' keys
    slots: set[str] = field(default_factory=set)
    interests: list[str] = field(default_factory=list)
    member_ages: list[int] = field(default_factory=list)


def _answers(profile_ids: Select | list[int], queries: dict[str, Select]) -> defaultdict[int, Answers]:
    """Profile id -> ``Answers``; every query's first column is the profile id, and ``profile_ids`` narrows them."""
    answers: defaultdict[int, Answers] = defaultdict(Answers)
    for kind, query in queries.items():
        profile_column = query.selected_columns[0]
        for profile_id, *values in db.session.execute(query.where(_among(profile_column, profile_ids))):
            person = answers[profile_id]
            match kind:
                case "languages":
                    person.languages[values[0]] = str(values[1])
                case "categories":
                    person.categories.append(values[0])
                    if len(values) > 1 and values[1] == Urgency.URGENT:
                        person.urgent.append(values[0])
                case "slots":
                    person.slots.add(values[0])
                case "interests":
                    person.interests.append(values[0])
                case "member_ages":
                    person.member_ages.append(values[0])
    return answers


def _among(column: ColumnElement[int], ids: Select | list[int]) -> ColumnElement[bool]:
    """``column IN ids``. Thousands of ids as one bound parameter each cost more to send and plan than the
    rows they select (20 ms a statement for a city's drivers): PostgreSQL gets them as one array, other
    databases written into the statement (safe: they are ints)."""
    if isinstance(ids, Select):
        return column.in_(ids)
    ids = [int(id_) for id_ in ids]
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    return column.in_(bindparam("ids", ids, expanding=True, literal_execute=True))


def _profiles(model, profile_ids: Select) -> dict:
    """Profile id -> the profile (``model``) of the ids ``profile_ids`` selects, by id, without their rows
    (``volunteer_answers``/``refugee_answers`` read those)."""
    return {p.id: p for p in db.session.scalars(select(model).where(model.id.in_(profile_ids)).order_by(model.id))}


def volunteer_answers(profile_ids: Select | list[int]) -> defaultdict[int, Answers]:
    """The ``Answers`` of the volunteer profiles ``profile_ids`` (a query of their ids, or the ids)."""
    return _answers(
        profile_ids,
        {
            "languages": select(VolunteerLanguage.profile_id, VolunteerLanguage.code, VolunteerLanguage.level),
            "categories": select(volunteer_offers.c.profile_id, volunteer_offers.c.category_key)
            .join(HelpCategory, HelpCategory.key == volunteer_offers.c.category_key)
            .order_by(volunteer_offers.c.profile_id, HelpCategory.position),
            "slots": select(VolunteerAvailability.profile_id, VolunteerAvailability.slot),
            "interests": select(VolunteerInterest.profile_id, VolunteerInterest.key).order_by(
                VolunteerInterest.profile_id, VolunteerInterest.key
            ),
        },
    )


def refugee_answers(profile_ids: Select | list[int]) -> defaultdict[int, Answers]:
    """The ``Answers`` of the refugee profiles ``profile_ids`` (a query of their ids, or the ids)."""
    return _answers(
        profile_ids,
        {
            "languages": select(RefugeeLanguage.profile_id, RefugeeLanguage.code, RefugeeLanguage.level),
            "categories": select(RefugeeNeed.profile_id, RefugeeNeed.category_key, RefugeeNeed.urgency).order_by(
                RefugeeNeed.profile_id, RefugeeNeed.category_key
            ),
            "slots": select(RefugeeAvailability.profile_id, RefugeeAvailability.slot),
            "interests": select(RefugeeInterest.profile_id, RefugeeInterest.key).order_by(
                RefugeeInterest.profile_id, RefugeeInterest.key
            ),
            "member_ages": select(HouseholdMember.profile_id, HouseholdMember.age),
        },
    )


def _gender(gender: Gender | None) -> str:
    return str(gender) if gender else str(Gender.DIVERSE)


def _age(birth_year: int | None) -> dict:
    return {"age": date.today().year - birth_year} if birth_year else {}


def _hours(profile: VolunteerProfile, committed_hours: float) -> dict:
    if profile.hours_per_month is None:
        return {}
    return {"hours_per_month": profile.hours_per_month, "committed_hours": round(committed_hours, 2)}


def _volunteer_record(
    profile: VolunteerProfile,
    answers: Answers,
    capacity: int,
    max_groups: int = 1,
    group_preferences: Iterable[str] = (),
    committed_hours: float = 0.0,
) -> Volunteer:
    return {
        "id": volunteer_ref(profile.id),
        "gender": _gender(profile.gender),
        **_age(profile.birth_year),
        "languages": dict(sorted(answers.languages.items())),
        "offers": answers.categories,
        "availability": sorted(answers.slots),
        "locality": profile.locality_id,
        "travel_km": profile.travel_km,
        "capacity": capacity,
        "accepts_genders": [str(g) for g in profile.accepted_genders],
        "clearance": clearance_status(profile) == ClearanceStatus.VALID,
        "max_groups": max_groups,
        "group_preferences": list(group_preferences),
        "interests": answers.interests,
        **({"commitment": str(profile.commitment)} if profile.commitment else {}),
        **_hours(profile, committed_hours),
    }


def _mentee_record(profile: RefugeeProfile, answers: Answers) -> Mentee:
    languages = dict(sorted(answers.languages.items()))
    if profile.german_level:
        languages["de"] = str(profile.german_level)
    return {
        "id": mentee_ref(profile.id),
        "gender": _gender(profile.gender),
        **_age(profile.birth_year),
        "household_size": household_size(len(answers.member_ages)),
        "involves_minors": involves_minors(profile.birth_year, answers.member_ages),
        "languages": languages,
        "needs": answers.categories,
        "availability": sorted(answers.slots),
        "locality": profile.locality_id,
        "travel_km": profile.travel_km,
        "preferred_mentor_gender": str(profile.preferred_mentor_gender) if profile.preferred_mentor_gender else None,
        "interests": answers.interests,
        "urgent_needs": answers.urgent,
    }


def _problem(
    volunteers: list[Volunteer],
    mentees: list[Mentee] = (),
    groups: list[Group] = (),
    locked: list[PairRef] = (),
    excluded: list[PairRef] = (),
) -> Problem:
    return {
        "version": CONTRACT_VERSION,
        "settings": {**SETTINGS, "served_elsewhere": served_elsewhere()},
        "localities": [
            {"id": loc.id, "lat": loc.lat, "lon": loc.lon}
            for loc in db.session.scalars(select(Locality).order_by(Locality.id))
        ],
        "volunteers": volunteers,
        "mentees": list(mentees),
        "locked": list(locked),
        "excluded": list(excluded),
        "groups": list(groups),
    }


def served_elsewhere() -> list[str]:
    """Need keys a working group serves, never a sponsorship's: the activities of kind group."""
    return list(db.session.scalars(select(HelpCategory.key).where(HelpCategory.kind == CategoryKind.GROUP)))


def _agreement_pairs(statuses) -> list[tuple[int, int, int | None, int]]:
    """(volunteer, refugee, second volunteer, hours per month) of the agreements in ``statuses``."""
    return list(
        db.session.execute(
            select(
                Agreement.volunteer_id,
                Agreement.refugee_id,
                Agreement.second_volunteer_id,
                Agreement.meetings_per_month * Agreement.hours_per_meeting,
            ).where(Agreement.status.in_(statuses))
        )
    )


def _group_hours_per_month(minutes: int, every_weeks: int | None) -> float:
    """Hours per month a member spends in a group's meetings (once a month if it has no schedule)."""
    return minutes / 60 * (WEEKS_PER_MONTH / every_weeks if every_weeks else 1)


def _hours_in_groups() -> Counter:
    """Volunteer profile id -> hours per month in the meetings of the groups they are active in."""
    hours = Counter()
    for profile_id, minutes, every_weeks in db.session.execute(
        select(GroupMembership.profile_id, WorkingGroup.meeting_minutes, WorkingGroup.meeting_every_weeks)
        .join(WorkingGroup, GroupMembership.group_id == WorkingGroup.id)
        .where(GroupMembership.status == MembershipStatus.ACTIVE)
    ):
        hours[profile_id] += _group_hours_per_month(minutes, every_weeks)
    return hours


def sponsorship_problem(
    refugees_within: ColumnElement[bool] | None = None, volunteers_within: ColumnElement[bool] | None = None
) -> Problem:
    """The problem of everyone (in a scope: the refugees ``refugees_within`` and the volunteers
    ``volunteers_within``) who can be matched to a sponsor now.

    Confirmed and active sponsorships are locked; pairs that coordination
    rejected or a party declined are excluded. People in a draft agreement are
    being asked: the refugee is left out and the volunteers' place is kept.
    A volunteer's capacity is shared between scopes: their sponsorships and
    the open proposals of other scopes hold places outside the problem.
    """
    volunteer_ids = select(VolunteerProfile.id).where(matchable_volunteer(volunteers_within))
    refugee_ids = select(RefugeeProfile.id).where(matchable_refugee(refugees_within))
    volunteers, refugees = _profiles(VolunteerProfile, volunteer_ids), _profiles(RefugeeProfile, refugee_ids)
    volunteers_said, refugees_said = volunteer_answers(volunteer_ids), refugee_answers(refugee_ids)
    stage("building")  # a matching run's progress: everyone is loaded
    pending = Counter()  # volunteer profile id -> places held outside the problem
    committed = _hours_in_groups()  # volunteer profile id -> hours per month taken outside the problem

    def hold(first: int, second: int | None, hours: float) -> None:
        for volunteer in (first, second):
            if volunteer:
                pending[volunteer] += 1
                committed[volunteer] += hours

    for volunteer, refugee in db.session.execute(
        select(Proposal.volunteer_id, Proposal.refugee_id).where(Proposal.status == ProposalStatus.PROPOSED)
    ):
        if refugee not in refugees:  # another scope's proposal, left alone by this run: it holds a place
            hold(volunteer, None, HOURS_PER_SPONSORSHIP)
    for first, refugee, second, hours in _agreement_pairs([AgreementStatus.DRAFT]):
        refugees.pop(refugee, None)
        hold(first, second, hours)
    locked: list[PairRef] = []
    cared_for, locked_refugees = set(), set()
    for first, refugee, second, hours in _agreement_pairs(HOLDING_STATUSES):
        cared_for.add(refugee)
        for volunteer in (first, second):
            if volunteer in volunteers and refugee in refugees:
                locked.append({"volunteer": volunteer_ref(volunteer), "mentee": mentee_ref(refugee)})
                locked_refugees.add(refugee)
                break
        else:
            hold(first, second, hours)  # holds a place, but cannot be written as locked
            refugees.pop(refugee, None)
    for refugee in cared_for - locked_refugees:
        refugees.pop(refugee, None)
    excluded: list[PairRef] = [
        {"volunteer": volunteer_ref(v), "mentee": mentee_ref(r)}
        for v, r in db.session.execute(
            select(Proposal.volunteer_id, Proposal.refugee_id)
            .where(Proposal.status.in_([ProposalStatus.REJECTED, ProposalStatus.DECLINED]))
            .distinct()
        )
        if v in volunteers and r in refugees
    ]
    return _problem(
        [
            _volunteer_record(
                p,
                volunteers_said[p.id],
                capacity=max(0, p.capacity - pending[p.id]),
                committed_hours=committed[p.id],
            )
            for p in volunteers.values()
        ],
        mentees=[_mentee_record(p, refugees_said[p.id]) for p in refugees.values()],
        locked=locked,
        excluded=excluded,
    )


def _max_groups(profile: VolunteerProfile) -> int:
    """A volunteer joins as many groups as they offer group activities, at least one."""
    return max(1, sum(1 for category in profile.offers if category.kind == CategoryKind.GROUP))


def _open_quotas(group: WorkingGroup, kind: QuotaKind) -> dict[str, int]:
    """Members still missing per quota of ``kind``, after the current members."""
    missing = {quota.key: quota.minimum - quota.members_counted for quota in group.quotas if quota.kind == kind}
    return {key: count for key, count in missing.items() if count > 0}


def groups_problem(groups: list[WorkingGroup], volunteers: list[VolunteerProfile]) -> Problem:
    """The problem of proposing ``volunteers`` to ``groups``, on top of the current members.

    What current members already cover is taken off the groups' capacities
    and quotas, and their groups off their allowance; groups a volunteer asked
    to join are their preferences.
    """
    memberships = Counter()
    wishes: dict[int, list[str]] = {}
    for group in groups:
        for m in group.memberships:
            if m.status == MembershipStatus.ACTIVE:
                memberships[m.profile_id] += 1
            elif m.status == MembershipStatus.REQUESTED:
                wishes.setdefault(m.profile_id, []).append(group_ref(group))
    answers = volunteer_answers([p.id for p in volunteers])
    return _problem(
        [
            _volunteer_record(
                p,
                answers[p.id],
                capacity=p.capacity,
                max_groups=max(0, _max_groups(p) - memberships[p.id]),
                group_preferences=wishes.get(p.id, ()),
            )
            for p in volunteers
        ],
        groups=[
            {
                "id": group_ref(g),
                "requires_offer": g.requires_offer,
                "capacity": max(0, g.capacity - len(g.active_members)),
                "language_quota": _open_quotas(g, QuotaKind.LANGUAGE),
                "locality_quota": _open_quotas(g, QuotaKind.LOCALITY),
            }
            for g in groups
        ],
    )


# --- appointments (matching/appointments.py) ---------------------------------------------------

HOURS_PER_APPOINTMENT = 2
"""What an appointment takes with the way there and back, for a volunteer's monthly limit."""
BERLIN = ZoneInfo("Europe/Berlin")


def _local(moment: datetime) -> datetime:
    """The engine reads times as naive German local time (its weekly slots are local)."""
    return moment.astimezone(BERLIN).replace(tzinfo=None)


def appointment_request(appointment: Appointment) -> AppointmentRequest:
    place = appointment.locality
    return AppointmentRequest(
        id=str(appointment.id),
        kind=appointment.category_key,  # the activity's key: the engine knows "interpreting" and the rides
        start=_local(appointment.starts_at),
        end=_local(appointment.ends_at),
        place=(place.lat, place.lon),
        # German is the coordination's language, not a need: every volunteer is asked for the person's languages.
        languages=tuple(code for code in appointment.languages if code != "de") or ("de",),
        gender=str(appointment.gender_preference) if appointment.gender_preference else None,
        children=appointment.children,
        needs_car=False,  # rides need a car anyway (the engine knows their kinds)
    )


def _appointment_counts(since: datetime, month_start: datetime, month_end: datetime) -> tuple[Counter, Counter]:
    """Per volunteer profile: booked appointments since ``since``, and in the month of the request."""
    rows = db.session.execute(
        select(Appointment.volunteer_id, Appointment.starts_at).where(
            Appointment.volunteer_id.is_not(None),
            Appointment.status.in_(BOOKED_STATUSES),
            Appointment.starts_at >= min(since, month_start),
        )
    )
    recent, in_month = Counter(), Counter()
    for volunteer_id, starts_at in rows:
        if since <= starts_at:
            recent[volunteer_id] += 1
        if month_start <= starts_at < month_end:
            in_month[volunteer_id] += 1
    return recent, in_month


def _busy_times(appointment: Appointment) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each volunteer's booked appointments on the request's days (others cannot overlap it)."""
    rows = db.session.execute(
        select(Appointment.volunteer_id, Appointment.starts_at, Appointment.ends_at).where(
            Appointment.volunteer_id.is_not(None),
            Appointment.status.in_(BOOKED_STATUSES),
            Appointment.id != appointment.id,
            Appointment.starts_at < appointment.ends_at,
            Appointment.ends_at > appointment.starts_at - timedelta(days=1),
        )
    )
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for volunteer_id, starts_at, ends_at in rows:
        busy.setdefault(volunteer_id, []).append((_local(starts_at), _local(ends_at)))
    return busy


def appointment_volunteers(
    appointment: Appointment, within: ColumnElement[bool] | None = None
) -> tuple[list[AppointmentVolunteer], int]:
    """Everyone who could be asked (active, questionnaire done, consented; ``within`` a scope) and offers the
    appointment's kind, as the engine's records, and how many others could be asked but do not offer it.

    The engine's first rule excludes those others anyway (``no_matching_offer``); counting them in the
    database instead of loading them keeps a city's ranking to the few hundred who offer the kind.
    Nobody states a monthly number of appointments, so the hours a volunteer gives per month,
    at two hours an appointment, are their monthly limit.
    """
    local = appointment.starts_at.astimezone(BERLIN)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    recent, in_month = _appointment_counts(appointment.starts_at - timedelta(days=30), month_start, month_end)
    busy = _busy_times(appointment)
    places = {row.id: (row.lat, row.lon) for row in db.session.execute(select(Locality.id, Locality.lat, Locality.lon))}
    askable = (
        select(VolunteerProfile.id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(matchable_volunteer(within), User.active, VolunteerProfile.locality_id.in_(list(places)))
    )
    offering = select(volunteer_offers.c.profile_id).where(volunteer_offers.c.category_key == appointment.category_key)
    ids = askable.where(VolunteerProfile.id.in_(offering))
    others = db.session.scalar(
        select(func.count()).select_from(askable.where(VolunteerProfile.id.not_in(offering)).subquery())
    )
    profiles = db.session.execute(
        select(
            VolunteerProfile.id,
            VolunteerProfile.locality_id,
            VolunteerProfile.travel_km,
            VolunteerProfile.travels_by_car,
            VolunteerProfile.gender,
            VolunteerProfile.hours_per_month,
            clearance_condition(ClearanceStatus.VALID).label("cleared"),
        )
        .where(VolunteerProfile.id.in_(ids))
        .order_by(VolunteerProfile.id)
    ).all()
    # The answers of the ids found: with ``ids`` itself each of their statements would choose them anew.
    answers = volunteer_answers([profile.id for profile in profiles])
    records = []
    for profile in profiles:
        said = answers[profile.id]
        records.append(
            AppointmentVolunteer(
                id=volunteer_ref(profile.id),
                kinds=frozenset(said.categories),
                languages=said.languages,
                home=places[profile.locality_id],
                max_distance_km=float(profile.travel_km),
                availability=frozenset(said.slots),
                has_car=profile.travels_by_car,
                gender=str(profile.gender) if profile.gender else None,
                clearance=bool(profile.cleared),
                busy=tuple(busy.get(profile.id, ())),
                assignments_last_30_days=recent[profile.id],
                assignments_this_month=in_month[profile.id],
                monthly_limit=profile.hours_per_month // HOURS_PER_APPOINTMENT if profile.hours_per_month else None,
            )
        )
    return records, others


def rank_appointment(appointment: Appointment, within: ColumnElement[bool] | None = None, limit: int = 20) -> Ranking:
    """The engine's ranking of the volunteers ``within`` (a scope) for ``appointment``."""
    volunteers, without_offer = appointment_volunteers(appointment, within)
    ranking = rank_volunteers(appointment_request(appointment), volunteers, limit=limit)
    if not without_offer:
        return ranking
    excluded = Counter(ranking.excluded)
    excluded[NO_MATCHING_OFFER] += without_offer
    return replace(ranking, excluded={code: excluded[code] for code in APPOINTMENT_EXCLUSIONS if excluded[code]})
