"""Appointments from request to allowance: offers, the first yes wins, no double booking, reports, payouts.

Every change is one transaction with its audit event and its messages
(``notify`` queues them into it). Booking a volunteer locks the appointment
and the volunteer's row (SELECT … FOR UPDATE on PostgreSQL) before it looks
for an overlapping appointment, so that two coordinators or two offers
accepted at the same moment are served one after the other and a volunteer
is never in two places at once.
"""

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.errors import DomainError
from app.exports import services as exports
from app.extensions import db
from app.matching_problem import rank_appointment, volunteer_profile_id
from app.models import (
    BOOKED_STATUSES,
    AllowanceRate,
    Appointment,
    AppointmentOffer,
    AppointmentStatus,
    Gender,
    HelpCategory,
    OfferStatus,
    Organisation,
    RefugeeProfile,
    StaffMembership,
    User,
    VolunteerProfile,
    VolunteerStatus,
    utcnow,
)
from app.models.organisation import area_places, membership_areas
from app.notifications.services import existing_keys, notify
from app.security.links import public_url_for
from app.staff.services import organisation_of

BERLIN = ZoneInfo("Europe/Berlin")
# Time to find someone, ask them and tell both sides; said in ``TooShortNotice``'s message.
MIN_NOTICE = timedelta(hours=24)


class AppointmentError(DomainError, abstract=True):
    """A change of an appointment that the rules refuse; nothing was changed."""


class InThePast(AppointmentError):
    message = _l("This time has already passed. Please choose a later date.")


class EndBeforeStart(AppointmentError):
    message = _l("The end must come after the start. Please check the duration.")


class TooShortNotice(AppointmentError):
    """Nobody can be found, asked and told in less time than ``MIN_NOTICE``."""

    message = _l("This is too soon: appointments must be requested at least 24 hours ahead.")


class TooFarAhead(AppointmentError):
    message = _l("This date is too far ahead. Please ask again closer to it.")


class NotBookable(AppointmentError):
    message = _l("This kind of help cannot be booked as an appointment.")


class NoLanguage(AppointmentError):
    message = _l("Please choose at least one language.")


class AlreadyTaken(AppointmentError):
    message = _l("Someone else has already taken this appointment. Thank you all the same!")


class AppointmentCancelled(AppointmentError):
    message = _l("This appointment has been cancelled. Nothing more to do.")


class OfferClosed(AppointmentError):
    message = _l("This offer is no longer open.")


class VolunteerBusy(AppointmentError):
    message = _l("This volunteer already has an appointment at that time.")


class VolunteerInactive(AppointmentError):
    message = _l("This volunteer is not active at the moment and cannot be booked.")


class WrongStatus(AppointmentError):
    message = _l("This appointment has changed in the meantime; please look at it again.")


class NotYet(AppointmentError):
    message = _l("You can report an appointment only once it has begun.")


class BadReport(AppointmentError):
    message = _l("Please give the time spent (at most 24 hours) and, for rides, the kilometres driven.")


class NoCandidates(AppointmentError):
    message = _l("Please choose at least one volunteer.")


@dataclass(frozen=True)
class RequestData:
    """What a request asks for, as the forms give it (local date and time in Europe/Berlin)."""

    category_key: str
    day: date
    at: time
    minutes: int
    locality_id: str
    languages: tuple[str, ...]
    address: str = ""
    meeting_point: str = ""
    gender_preference: Gender | None = None
    children: bool = False
    notes: str = ""
    special_notes: str = ""

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.day, self.at, tzinfo=BERLIN).astimezone(ZoneInfo("UTC"))


# --- asking ---------------------------------------------------------------------------------


# An appointment's page lists everyone asked with their name: their offers, profiles and accounts in one go.
WITH_THOSE_ASKED = (
    selectinload(Appointment.offers).joinedload(AppointmentOffer.volunteer).joinedload(VolunteerProfile.user),
)


def bookable_categories() -> list[HelpCategory]:
    """The activities that can be asked for as one appointment, in their order."""
    return list(
        db.session.scalars(
            select(HelpCategory).where(HelpCategory.active, HelpCategory.bookable).order_by(HelpCategory.position)
        )
    )


def check_times(starts_at: datetime, minutes: int, now: datetime | None = None) -> None:
    """Refuse a time in the past, an end before the start, a too short notice or a date too far ahead."""
    now = now or utcnow()
    if minutes <= 0:
        raise EndBeforeStart()
    if starts_at <= now:
        raise InThePast()
    if starts_at < now + MIN_NOTICE:
        raise TooShortNotice()
    if starts_at > now + timedelta(days=current_app.config["APPOINTMENT_MAX_DAYS_AHEAD"]):
        raise TooFarAhead()


def responsible_organisation(locality_id: str, actor: User | None) -> Organisation | None:
    """The organisation coordinating ``locality_id`` (its staff's areas hold the place), else the actor's."""
    found = db.session.scalar(
        select(Organisation)
        .join(StaffMembership, StaffMembership.organisation_id == Organisation.id)
        .join(membership_areas, membership_areas.c.membership_id == StaffMembership.id)
        .join(area_places, area_places.c.area_id == membership_areas.c.area_id)
        .where(area_places.c.locality_id == locality_id, StaffMembership.active)
        .order_by(Organisation.id)
        .limit(1)
    )
    return found or (organisation_of(actor) if actor is not None else None)


def request_appointment(refugee: RefugeeProfile, data: RequestData, actor: User) -> Appointment:
    """A new request; one a refugee makes waits for coordination's review, others are open at once."""
    if data.category_key not in {category.key for category in bookable_categories()}:
        raise NotBookable()
    if not data.languages:
        raise NoLanguage()
    starts_at = data.starts_at
    check_times(starts_at, data.minutes)
    by_refugee = actor.refugee_profile is not None and actor.refugee_profile.id == refugee.id
    appointment = Appointment(
        refugee=refugee,
        requested_by=actor,
        organisation=responsible_organisation(data.locality_id, actor),
        category_key=data.category_key,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=data.minutes),
        locality_id=data.locality_id,
        address=data.address.strip(),
        meeting_point=data.meeting_point.strip(),
        languages=list(dict.fromkeys(data.languages)),
        gender_preference=data.gender_preference,
        children=data.children,
        notes=data.notes.strip(),
        special_notes=data.special_notes.strip(),
        status=AppointmentStatus.REVIEW if by_refugee else AppointmentStatus.OPEN,
    )
    db.session.add(appointment)
    db.session.flush()
    audit.record("appointment.requested", appointment, actor=actor, kind=data.category_key)
    db.session.commit()
    return appointment


def review(appointment: Appointment, actor: User) -> None:
    """Coordination looked at a refugee's request: it is open for offers now."""
    _require(appointment, AppointmentStatus.REVIEW)
    appointment.status = AppointmentStatus.OPEN
    appointment.organisation = appointment.organisation or responsible_organisation(appointment.locality_id, actor)
    audit.record("appointment.reviewed", appointment, actor=actor)
    db.session.commit()


def _require(appointment: Appointment, *statuses: AppointmentStatus) -> None:
    if appointment.status == AppointmentStatus.CANCELLED and AppointmentStatus.CANCELLED not in statuses:
        raise AppointmentCancelled()
    if appointment.status not in statuses:
        raise WrongStatus()


# --- telling people -------------------------------------------------------------------------


def _page(appointment: Appointment) -> dict:
    return {"endpoint": "appointments.detail", "values": {"appointment_id": appointment.id}}


def _active_user(user: User | None) -> User | None:
    """Whom to tell: nobody for an erased or deactivated account."""
    return user if user is not None and user.active else None


def asking_side(appointment: Appointment) -> list[User]:
    """The refugee and whoever asked on their behalf (a sponsor), each once."""
    people = [appointment.refugee.user if appointment.refugee else None, appointment.requested_by]
    unique = {user.id: user for user in map(_active_user, people) if user is not None and not user.is_coordinator}
    return list(unique.values())


def _with_calendar(appointment: Appointment) -> dict:
    """The link of the appointment's calendar entry (.ics), for the messages that confirm a time."""
    return {"calendar": public_url_for("appointments.calendar", token=calendar_token(appointment.id))}


def _tell(users: Iterable[User], kind: str, appointment: Appointment, **params) -> None:
    if kind in ("appointment_confirmed", "appointment_moved", "appointment_reminder"):
        params |= _with_calendar(appointment)
    for user in users:
        notify(user, kind, appointment=appointment.id, when=appointment.starts_at, **_page(appointment), **params)


def _offer_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="appointment-offer")


def offer_token(offer: AppointmentOffer) -> str:
    """The signed link's token for answering ``offer`` without logging in; it names only the offer."""
    return _offer_serializer().dumps(offer.id)


def offer_from_token(token: str) -> AppointmentOffer | None:
    try:
        offer_id = _offer_serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(AppointmentOffer, offer_id) if isinstance(offer_id, int) else None


def calendar_token(appointment_id: int) -> str:
    """The token of an appointment's .ics download, sent in the confirmation (no account needed to import it)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="appointment-calendar").dumps(appointment_id)


def appointment_from_calendar_token(token: str) -> Appointment | None:
    try:
        appointment_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="appointment-calendar").loads(token)
    except BadSignature:
        return None
    return db.session.get(Appointment, appointment_id) if isinstance(appointment_id, int) else None


def calendar_entry(appointment: Appointment, locale: str) -> bytes:
    """The appointment as an .ics file: kind, time, place and meeting point; no names."""
    place = ", ".join(
        part for part in (appointment.locality.label(locale), appointment.address, appointment.meeting_point) if part
    )
    return exports.event_calendar(
        f"appointment-{appointment.id}@brueckenbau",
        appointment.category.label(locale),
        place,
        appointment.starts_at,
        appointment.minutes,
    )


def _send_offer(offer: AppointmentOffer) -> None:
    offer.status, offer.offered_at = OfferStatus.OFFERED, utcnow()
    user = _active_user(offer.volunteer.user)
    if user is not None:
        appointment = offer.appointment
        notify(
            user,
            "appointment_offer",
            appointment=appointment.id,
            when=appointment.starts_at,
            endpoint="appointments.answer",
            values={"token": offer_token(offer)},
        )


# --- offers and booking ---------------------------------------------------------------------


def offer(appointment: Appointment, volunteer_ids: list[int], in_order: bool, actor: User) -> list[AppointmentOffer]:
    """Offer the appointment to volunteers: all at once, or one after the other (the next when one says no)."""
    _require(appointment, AppointmentStatus.OPEN)
    already = {existing.volunteer_id for existing in appointment.offers}
    chosen = [vid for vid in dict.fromkeys(volunteer_ids) if vid not in already]
    volunteers = [db.session.get(VolunteerProfile, vid) for vid in chosen]
    if not chosen or any(volunteer is None for volunteer in volunteers):
        raise NoCandidates()
    if any(not bookable(volunteer) for volunteer in volunteers):
        raise VolunteerInactive()
    someone_asked = any(o.status == OfferStatus.OFFERED for o in appointment.offers)
    position = max((o.position for o in appointment.offers), default=-1) + 1
    created = []
    for index, volunteer in enumerate(volunteers):
        new = AppointmentOffer(
            appointment=appointment, volunteer=volunteer, position=position + index, status=OfferStatus.WAITING
        )
        db.session.add(new)
        created.append(new)
    db.session.flush()
    now_asked = created if not in_order else ([] if someone_asked else created[:1])
    for new in now_asked:
        _send_offer(new)
    audit.record("appointment.offered", appointment, actor=actor, volunteers=chosen, in_order=in_order)
    db.session.commit()
    return created


def bookable(volunteer: VolunteerProfile) -> bool:
    """An active volunteer with an active account."""
    return volunteer.status == VolunteerStatus.ACTIVE and volunteer.user is not None and volunteer.user.active


def overlapping(volunteer_id: int, starts_at: datetime, ends_at: datetime, other_than: int | None = None):
    """A condition on ``Appointment``: booked for ``volunteer_id`` at a time that overlaps the given one."""
    return and_(
        Appointment.volunteer_id == volunteer_id,
        Appointment.status.in_(BOOKED_STATUSES),
        Appointment.starts_at < ends_at,
        Appointment.ends_at > starts_at,
        Appointment.id != (other_than or 0),
    )


def _lock_volunteer(volunteer_id: int) -> VolunteerProfile:
    """Lock the volunteer's row: whoever books them next waits until this transaction ends."""
    return db.session.get(VolunteerProfile, volunteer_id, with_for_update=True, populate_existing=True)


def _book(appointment: Appointment, volunteer: VolunteerProfile) -> None:
    """Give ``appointment`` to ``volunteer`` if it is still open and they are free; in the caller's transaction."""
    appointment = db.session.get(Appointment, appointment.id, with_for_update=True, populate_existing=True)
    if appointment.status == AppointmentStatus.CANCELLED:
        raise AppointmentCancelled()
    if appointment.status != AppointmentStatus.OPEN or appointment.volunteer_id is not None:
        raise AlreadyTaken()
    volunteer = _lock_volunteer(volunteer.id)
    if not bookable(volunteer):
        raise VolunteerInactive()
    busy = db.session.scalar(
        select(Appointment.id).where(overlapping(volunteer.id, appointment.starts_at, appointment.ends_at)).limit(1)
    )
    if busy is not None:
        raise VolunteerBusy()
    appointment.volunteer, appointment.assigned_at = volunteer, utcnow()
    appointment.status = AppointmentStatus.ASSIGNED
    db.session.flush()


def _settle_offers(appointment: Appointment, winner_id: int) -> None:
    """Everyone else asked is told it is taken; those still waiting in line are not asked any more."""
    for other in appointment.offers:
        if other.volunteer_id == winner_id:
            other.status, other.answered_at = OfferStatus.ACCEPTED, other.answered_at or utcnow()
        elif other.status == OfferStatus.OFFERED:
            other.status = OfferStatus.TAKEN
            _tell([u for u in [_active_user(other.volunteer.user)] if u], "appointment_taken", appointment)
        elif other.status == OfferStatus.WAITING:
            other.status = OfferStatus.WITHDRAWN


def _confirm(appointment: Appointment) -> None:
    _tell(asking_side(appointment), "appointment_confirmed", appointment)
    _tell([u for u in [_active_user(appointment.volunteer.user)] if u], "appointment_confirmed", appointment)


def _booking(appointment: Appointment, volunteer: VolunteerProfile) -> None:
    try:
        _book(appointment, volunteer)
    except AppointmentError:
        db.session.rollback()
        raise
    except OperationalError as error:  # SQLite's lock refused the concurrent writer
        db.session.rollback()
        raise AlreadyTaken() from error


def accept(offer: AppointmentOffer, actor: User | None = None) -> Appointment:
    """The volunteer says yes: the first one gets the appointment, the others are told it is taken."""
    appointment = offer.appointment
    if appointment.status == AppointmentStatus.CANCELLED:
        raise AppointmentCancelled()
    if offer.status != OfferStatus.OFFERED:
        taken = appointment.volunteer_id not in (None, offer.volunteer_id)
        raise AlreadyTaken() if taken or offer.status == OfferStatus.TAKEN else OfferClosed()
    _booking(appointment, offer.volunteer)
    offer = db.session.get(AppointmentOffer, offer.id)
    offer.status, offer.answered_at = OfferStatus.ACCEPTED, utcnow()
    _settle_offers(appointment, offer.volunteer_id)
    audit.record("appointment.accepted", appointment, actor=actor or offer.volunteer.user)
    _confirm(appointment)
    db.session.commit()
    return appointment


def assign(appointment: Appointment, volunteer: VolunteerProfile, actor: User) -> None:
    """Coordination books a volunteer directly (agreed by phone), with the same checks as an acceptance."""
    _booking(appointment, volunteer)
    _settle_offers(appointment, volunteer.id)
    audit.record("appointment.assigned", appointment, actor=actor, volunteer=volunteer.id)
    _confirm(appointment)
    db.session.commit()


def decline(offer: AppointmentOffer, actor: User | None = None) -> None:
    """The volunteer says no; offered in order, the next in line is asked now."""
    if offer.appointment.status == AppointmentStatus.CANCELLED:
        raise AppointmentCancelled()
    if offer.status != OfferStatus.OFFERED:
        raise OfferClosed()
    offer.status, offer.answered_at = OfferStatus.DECLINED, utcnow()
    appointment = offer.appointment
    if appointment.status == AppointmentStatus.OPEN and not any(
        o.status == OfferStatus.OFFERED for o in appointment.offers
    ):
        waiting = [o for o in appointment.offers if o.status == OfferStatus.WAITING]
        if waiting:
            _send_offer(waiting[0])
    audit.record("appointment.declined", appointment, actor=actor or offer.volunteer.user)
    db.session.commit()


def everyone_involved(appointment: Appointment, besides: User | None = None) -> list[User]:
    """The asking side, the volunteer booked, and the volunteers asked; not ``besides`` (who acts)."""
    people = asking_side(appointment)
    if appointment.volunteer is not None:
        people.append(appointment.volunteer.user)
    people += [o.volunteer.user for o in appointment.offers if o.status == OfferStatus.OFFERED]
    unique = {user.id: user for user in map(_active_user, people) if user is not None}
    unique.pop(besides.id if besides else None, None)
    return list(unique.values())


def _withdraw_offers(appointment: Appointment) -> None:
    for existing in appointment.offers:
        if existing.status in (OfferStatus.OFFERED, OfferStatus.WAITING):
            existing.status = OfferStatus.WITHDRAWN


def cancel(appointment: Appointment, actor: User) -> None:
    """Either side or coordination cancels; everyone involved is told, open offers are withdrawn."""
    _require(appointment, AppointmentStatus.REVIEW, AppointmentStatus.OPEN, AppointmentStatus.ASSIGNED)
    told = everyone_involved(appointment, besides=actor)
    appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, utcnow()
    _withdraw_offers(appointment)
    _tell(told, "appointment_cancelled", appointment)
    audit.record("appointment.cancelled", appointment, actor=actor)
    db.session.commit()


def end_for_erased(profile: RefugeeProfile | VolunteerProfile) -> None:
    """The appointments of a person whose data is erased (app.privacy), without a commit (erasure commits once).

    The free texts go; kind, place, time, hours and allowance stay for the statistics and the payout lists.
    A refugee's open appointments are cancelled and everyone involved is told; a volunteer's open offers are
    withdrawn and the appointments they had taken are open again, for coordination to find someone else.
    """
    if isinstance(profile, RefugeeProfile):
        for appointment in requests_of(profile):
            appointment.address = appointment.meeting_point = appointment.notes = appointment.special_notes = ""
            if appointment.status in (AppointmentStatus.REVIEW, AppointmentStatus.OPEN, AppointmentStatus.ASSIGNED):
                told = everyone_involved(appointment, besides=profile.user)
                appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, utcnow()
                _withdraw_offers(appointment)
                _tell(told, "appointment_cancelled", appointment)
        return
    for offer in db.session.scalars(
        select(AppointmentOffer).where(
            AppointmentOffer.volunteer_id == profile.id,
            AppointmentOffer.status.in_([OfferStatus.OFFERED, OfferStatus.WAITING]),
        )
    ):
        offer.status = OfferStatus.WITHDRAWN
    for appointment in db.session.scalars(
        select(Appointment).where(
            Appointment.volunteer_id == profile.id, Appointment.status == AppointmentStatus.ASSIGNED
        )
    ):
        appointment.status, appointment.volunteer, appointment.assigned_at = AppointmentStatus.OPEN, None, None


def move(appointment: Appointment, day: date, at: time, minutes: int, actor: User) -> None:
    """A new time; the booked volunteer keeps it if they are free then, everyone involved is told."""
    _require(appointment, AppointmentStatus.REVIEW, AppointmentStatus.OPEN, AppointmentStatus.ASSIGNED)
    starts_at = datetime.combine(day, at, tzinfo=BERLIN).astimezone(ZoneInfo("UTC"))
    check_times(starts_at, minutes)
    ends_at = starts_at + timedelta(minutes=minutes)
    if appointment.volunteer_id is not None:
        _lock_volunteer(appointment.volunteer_id)
        clash = select(Appointment.id).where(overlapping(appointment.volunteer_id, starts_at, ends_at, appointment.id))
        if db.session.scalar(clash.limit(1)) is not None:
            db.session.rollback()
            raise VolunteerBusy()
    appointment.starts_at, appointment.ends_at = starts_at, ends_at
    _tell(everyone_involved(appointment, besides=actor), "appointment_moved", appointment)
    audit.record("appointment.moved", appointment, actor=actor)
    db.session.commit()


# --- after the appointment ------------------------------------------------------------------

MAX_REPORTED_MINUTES = 24 * 60
MAX_REPORTED_KM = 2000


def report(appointment: Appointment, took_place: bool, minutes: int | None, km: int | None, actor: User) -> None:
    """The volunteer says whether it took place, how long it took and, for rides, how far they drove."""
    _require(appointment, AppointmentStatus.ASSIGNED)
    if appointment.starts_at > utcnow():
        raise NotYet()
    minutes, km = (minutes or 0, km or 0) if took_place else (0, 0)
    if not (0 <= minutes <= MAX_REPORTED_MINUTES and 0 <= km <= MAX_REPORTED_KM) or (took_place and minutes == 0):
        raise BadReport()
    appointment.took_place, appointment.minutes_spent, appointment.km = took_place, minutes, km
    appointment.status, appointment.reported_at = AppointmentStatus.REPORTED, utcnow()
    audit.record("appointment.reported", appointment, actor=actor, took_place=took_place)
    db.session.commit()


@dataclass(frozen=True)
class Rates:
    per_assignment_cents: int
    per_km_cents: int

    def allowance(self, took_place: bool, km: int) -> int:
        return self.per_assignment_cents + self.per_km_cents * km if took_place else 0


def rates_for(organisation_id: int | None, category_key: str) -> Rates:
    """The organisation's own rates for the kind, else the installation's (config), else none."""
    own = db.session.scalar(
        select(AllowanceRate).where(
            AllowanceRate.organisation_id == organisation_id, AllowanceRate.category_key == category_key
        )
    )
    if own is not None:
        return Rates(own.per_assignment_cents, own.per_km_cents)
    default = current_app.config["APPOINTMENT_ALLOWANCES"].get(category_key, {})
    return Rates(default.get("per_assignment_cents", 0), default.get("per_km_cents", 0))


def set_rates(organisation: Organisation, category_key: str, rates: Rates, actor: User) -> None:
    """An organisation's own allowance for a kind; approved appointments keep the rates they were approved with."""
    row = db.session.scalar(
        select(AllowanceRate).where(
            AllowanceRate.organisation_id == organisation.id, AllowanceRate.category_key == category_key
        )
    ) or AllowanceRate(organisation=organisation, category_key=category_key)
    row.per_assignment_cents, row.per_km_cents = rates.per_assignment_cents, rates.per_km_cents
    db.session.add(row)
    audit.record("appointment.rates_changed", organisation, actor=actor, kind=category_key)
    db.session.commit()


def approve(appointment: Appointment, actor: User) -> None:
    """Coordination approves the report; the allowance is fixed with today's rates."""
    _require(appointment, AppointmentStatus.REPORTED)
    rates = rates_for(appointment.organisation_id, appointment.category_key)
    appointment.rate_per_assignment_cents = rates.per_assignment_cents
    appointment.rate_per_km_cents = rates.per_km_cents
    appointment.allowance_cents = rates.allowance(bool(appointment.took_place), appointment.km or 0)
    appointment.status, appointment.approved_by, appointment.approved_at = AppointmentStatus.APPROVED, actor, utcnow()
    audit.record("appointment.approved", appointment, actor=actor, cents=appointment.allowance_cents)
    db.session.commit()


# --- payouts --------------------------------------------------------------------------------


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """ "2026-11" → the first moment of the month and of the next, in German time (as UTC); ValueError if bad."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    after = first + timedelta(days=calendar.monthrange(year, number)[1])
    return (
        datetime.combine(first, time(), tzinfo=BERLIN).astimezone(ZoneInfo("UTC")),
        datetime.combine(after, time(), tzinfo=BERLIN).astimezone(ZoneInfo("UTC")),
    )


@dataclass
class PayoutRow:
    """One volunteer's approved appointments of a month and what they are owed."""

    volunteer: VolunteerProfile | None
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def cents(self) -> int:
        return sum(a.allowance_cents or 0 for a in self.appointments)

    @property
    def minutes(self) -> int:
        return sum(a.minutes_spent or 0 for a in self.appointments)

    @property
    def km(self) -> int:
        return sum(a.km or 0 for a in self.appointments)


def payout(organisation_id: int | None, month: str, within: ColumnElement[bool] | None = None) -> list[PayoutRow]:
    """The approved appointments of ``month`` of an organisation, one row per volunteer, by name."""
    start, end = month_bounds(month)
    found = db.session.scalars(
        select(Appointment)
        .where(
            Appointment.status == AppointmentStatus.APPROVED,
            Appointment.organisation_id == organisation_id,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
            within if within is not None else and_(),
        )
        .order_by(Appointment.starts_at)
    )
    rows: dict[int | None, PayoutRow] = {}
    for appointment in found:
        rows.setdefault(appointment.volunteer_id, PayoutRow(appointment.volunteer)).appointments.append(appointment)
    return sorted(rows.values(), key=lambda row: row.volunteer.user.full_name.casefold() if row.volunteer else "")


def record_payout_export(organisation: Organisation, month: str, fmt: str, rows: list[PayoutRow], actor: User):
    audit.record("appointment.payout_exported", organisation, actor=actor, month=month, format=fmt, people=len(rows))
    db.session.commit()


def own_appointments(volunteer: VolunteerProfile) -> list[Appointment]:
    """A volunteer's booked and past appointments, newest first."""
    return list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.volunteer_id == volunteer.id, Appointment.status.in_(BOOKED_STATUSES))
            .order_by(Appointment.starts_at.desc())
        )
    )


def open_offers(volunteer: VolunteerProfile) -> list[AppointmentOffer]:
    return list(
        db.session.scalars(
            select(AppointmentOffer)
            .join(Appointment)
            .where(AppointmentOffer.volunteer_id == volunteer.id, AppointmentOffer.status == OfferStatus.OFFERED)
            .order_by(Appointment.starts_at)
        )
    )


def requests_of(refugee: RefugeeProfile) -> list[Appointment]:
    return list(
        db.session.scalars(
            select(Appointment).where(Appointment.refugee_id == refugee.id).order_by(Appointment.starts_at.desc())
        )
    )


# --- the day before -------------------------------------------------------------------------


def send_reminders(today: date) -> int:
    """Remind both sides of tomorrow's appointments; run twice a day, it reminds nobody twice."""
    start = datetime.combine(today + timedelta(days=1), time(), tzinfo=BERLIN).astimezone(ZoneInfo("UTC"))
    tomorrow = db.session.scalars(
        select(Appointment).where(
            Appointment.status == AppointmentStatus.ASSIGNED,
            Appointment.starts_at >= start,
            Appointment.starts_at < start + timedelta(days=1),
        )
    )
    due = [
        (f"appointment-reminder:{appointment.id}:{user.id}", user, appointment)
        for appointment in tomorrow
        for user in [*asking_side(appointment), appointment.volunteer.user]
        if _active_user(user) is not None
    ]
    sent = existing_keys([key for key, _user, _a in due])
    for key, user, appointment in due:
        if key not in sent:
            notify(
                user,
                "appointment_reminder",
                dedupe_key=key,
                appointment=appointment.id,
                when=appointment.starts_at,
                **_page(appointment),
            )
    db.session.commit()
    return len([key for key, _user, _a in due if key not in sent])


# --- the overview ---------------------------------------------------------------------------


def waiting(within: ColumnElement[bool]) -> list[Appointment]:
    """Requests still without a volunteer (in review or open), soonest first."""
    return list(
        db.session.scalars(
            select(Appointment)
            .where(within, Appointment.status.in_((AppointmentStatus.REVIEW, AppointmentStatus.OPEN)))
            .order_by(Appointment.starts_at)
        )
    )


def is_urgent(appointment: Appointment, now: datetime | None = None) -> bool:
    """Without a volunteer and close to its date."""
    soon = (now or utcnow()) + timedelta(days=current_app.config["APPOINTMENT_URGENT_DAYS"])
    return appointment.volunteer_id is None and appointment.starts_at <= soon


def monthly_counts(within: ColumnElement[bool], months: int = 12) -> dict[str, dict[str, Counter]]:
    """Booked appointments of the last ``months`` months by month, counted by kind, language and place."""
    since = utcnow() - timedelta(days=31 * months)
    counts: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {"kind": Counter(), "language": Counter(), "place": Counter()}
    )
    rows = db.session.execute(
        select(Appointment.starts_at, Appointment.category_key, Appointment.languages, Appointment.locality_id).where(
            within, Appointment.status.in_(BOOKED_STATUSES), Appointment.starts_at >= since
        )
    )
    for starts_at, kind, languages, place in rows:
        month = starts_at.astimezone(BERLIN).strftime("%Y-%m")
        counts[month]["kind"][kind] += 1
        counts[month]["place"][place] += 1
        for code in languages or []:
            if code != "de":
                counts[month]["language"][code] += 1
    return dict(sorted(counts.items(), reverse=True))


def found_nobody(within: ColumnElement[bool]) -> list[Appointment]:
    """Open requests whose last ranking found nobody, with why (``Appointment.excluded``)."""
    return list(
        db.session.scalars(
            select(Appointment)
            .where(
                within,
                Appointment.status == AppointmentStatus.OPEN,
                Appointment.candidates_found == 0,
            )
            .order_by(Appointment.starts_at)
        )
    )


# --- candidates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A ranked volunteer with the engine's reasons, and whether they were asked already."""

    volunteer: VolunteerProfile
    score: float
    reasons: tuple[dict, ...]
    offer: AppointmentOffer | None


def candidates(appointment: Appointment, within: ColumnElement[bool], limit: int = 20) -> list[Suggestion]:
    """The engine's best volunteers ``within`` a coordinator's scope; the outcome is kept for the overview."""
    ranking = rank_appointment(appointment, within, limit=limit)
    appointment.candidates_found, appointment.excluded = len(ranking.candidates), dict(ranking.excluded)
    appointment.ranked_at = utcnow()
    db.session.commit()
    offers = {o.volunteer_id: o for o in appointment.offers}
    ids = [volunteer_profile_id(candidate.volunteer) for candidate in ranking.candidates]
    profiles = {
        profile.id: profile
        for profile in db.session.scalars(
            select(VolunteerProfile).where(VolunteerProfile.id.in_(ids)).options(joinedload(VolunteerProfile.user))
        )
    }
    return [
        Suggestion(profiles[id_], candidate.score, tuple(candidate.reasons), offers.get(id_))
        for id_, candidate in zip(ids, ranking.candidates, strict=True)
    ]
