"""A year of demo appointments in the district: interpreting, accompaniment and rides, as the field reports them.

About 400 over the past twelve months and the next six weeks (one county logged some 800 a year with 100
interpreters). Past ones were mostly done and paid (approved with the installation's allowances), a few
cancelled or not yet approved; coming ones are open, waiting for review or confirmed; a few requests in
rare languages found nobody. A volunteer is never booked twice at the same time, and interpreters speak the
person's language, so the result is what the app itself would allow.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.models import (
    Appointment,
    AppointmentStatus,
    LanguageLevel,
    Organisation,
    RefugeeProfile,
    User,
    VolunteerProfile,
    utcnow,
)

BERLIN = ZoneInfo("Europe/Berlin")
COUNT = 400
DAYS_BACK, DAYS_AHEAD = 365, 42
KINDS = (("interpreting", 0.6), ("authority_accompaniment", 0.25), ("driving", 0.15))
PLACES = ("Jobcenter", "Ausländerbehörde", "Kinderarztpraxis", "Grundschule", "Rathaus", "Krankenhaus")
INTERPRETING_LEVELS = {LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1, LanguageLevel.C2, LanguageLevel.NATIVE}


def _fits(volunteer: VolunteerProfile, kind: str, language: str | None) -> bool:
    if kind not in {category.key for category in volunteer.offers}:
        return False
    if kind == "driving" and not volunteer.travels_by_car:
        return False
    return language is None or any(r.code == language and r.level in INTERPRETING_LEVELS for r in volunteer.languages)


def demo_appointments(
    rng: random.Random,
    volunteers: list[VolunteerProfile],
    refugees: list[RefugeeProfile],
    coordinator: User,
    organisation: Organisation | None,
    allowances: dict,
    count: int = COUNT,
) -> list[Appointment]:
    now = utcnow()
    today = now.astimezone(BERLIN).date()
    booked: dict[int, list[tuple[datetime, datetime]]] = {}
    people = [r for r in refugees if r.completed_at is not None and r.locality_id]
    appointments = []
    for _ in range(count):
        refugee = rng.choice(people)
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        own = [row.code for row in refugee.languages if row.code != "de"]
        language = own[0] if own else None
        day = today + timedelta(days=rng.randint(-DAYS_BACK, DAYS_AHEAD))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        starts_at = datetime.combine(day, time(rng.choice((8, 9, 10, 11, 13, 14, 15)), rng.choice((0, 30))), BERLIN)
        starts_at = starts_at.astimezone(ZoneInfo("UTC"))
        ends_at = starts_at + timedelta(minutes=rng.choice((60, 90, 120)))
        appointment = Appointment(
            refugee=refugee,
            requested_by=coordinator if rng.random() < 0.7 else refugee.user,
            organisation=organisation,
            category_key=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            locality_id=refugee.locality_id,
            address=rng.choice(PLACES),
            meeting_point="Haupteingang" if rng.random() < 0.5 else "",
            languages=[language, "de"] if kind == "interpreting" and language else ["de"],
            gender_preference=refugee.preferred_mentor_gender if kind == "interpreting" else None,
            children=refugee.has_children and rng.random() < 0.3,
            created_at=starts_at - timedelta(days=rng.randint(3, 20)),
        )
        free = [
            v
            for v in volunteers
            if _fits(v, kind, language if kind == "interpreting" else None)
            and not any(s < ends_at and starts_at < e for s, e in booked.get(v.id, []))
        ]
        upcoming = starts_at > now
        if not free or (upcoming and rng.random() < 0.45):
            appointment.status = AppointmentStatus.REVIEW if upcoming and rng.random() < 0.2 else AppointmentStatus.OPEN
            if not free:
                appointment.candidates_found, appointment.excluded = 0, {"no_shared_language": len(volunteers)}
                appointment.ranked_at = now
            if not upcoming:
                appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, starts_at
            appointments.append(appointment)
            continue
        volunteer = rng.choice(free)
        booked.setdefault(volunteer.id, []).append((starts_at, ends_at))
        appointment.volunteer, appointment.assigned_at = volunteer, appointment.created_at + timedelta(days=1)
        appointment.status = AppointmentStatus.ASSIGNED
        if not upcoming:
            _after(rng, appointment, coordinator, allowances.get(kind, {}))
        appointments.append(appointment)
    return appointments


def _after(rng: random.Random, appointment: Appointment, coordinator: User, rates: dict) -> None:
    """A past appointment: reported by its volunteer and, unless very recent, approved and paid."""
    took_place = rng.random() > 0.06
    appointment.took_place = took_place
    appointment.minutes_spent = appointment.minutes + rng.choice((0, 15, 30)) if took_place else 0
    appointment.km = rng.randint(4, 60) if took_place and appointment.category_key == "driving" else 0
    appointment.reported_at = appointment.ends_at + timedelta(hours=rng.randint(2, 48))
    appointment.status = AppointmentStatus.REPORTED
    if appointment.reported_at < utcnow() - timedelta(days=3):
        per_assignment, per_km = rates.get("per_assignment_cents", 0), rates.get("per_km_cents", 0)
        appointment.rate_per_assignment_cents, appointment.rate_per_km_cents = per_assignment, per_km
        appointment.allowance_cents = per_assignment + per_km * appointment.km if took_place else 0
        appointment.status, appointment.approved_by = AppointmentStatus.APPROVED, coordinator
        appointment.approved_at = appointment.reported_at + timedelta(days=1)
