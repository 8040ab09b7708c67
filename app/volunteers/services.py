"""Volunteer profiles: saving the questionnaire, status changes, search for coordinators."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app import audit, policies, profiles
from app.clearance import clearance_condition
from app.extensions import db
from app.models import (
    DAY_PARTS,
    WEEKDAYS,
    ClearanceStatus,
    Commitment,
    Gender,
    HelpCategory,
    Resilience,
    User,
    VolunteerAvailability,
    VolunteerInterest,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
)
from app.phones import normalise_phone
from app.profiles import replace_interests, replace_languages, replace_slots


# One function a step of the questionnaire (app/volunteers/steps.py); each writes its answers, and
# app.questionnaire commits them with the step's progress.
def save_personal(profile: VolunteerProfile, data: dict) -> None:
    profile.phone = normalise_phone(data["phone"]) if data["phone"] else None
    profile.gender = Gender(data["gender"]) if data["gender"] else None
    profile.birth_year = data["birth_year"]
    profile.locality_id = data["locality_id"]
    profile.travel_km = data["travel_km"]
    profile.travels_by_car = data["travels_by_car"]
    profile.travels_by_bicycle = data["travels_by_bicycle"]
    profile.travels_by_public_transport = data["travels_by_public_transport"]


def save_languages(profile: VolunteerProfile, levels: list[tuple[str, str]]) -> None:
    replace_languages(profile, VolunteerLanguage, levels)


def save_giving(profile: VolunteerProfile, data: dict) -> None:
    profile.offers = list(db.session.scalars(select(HelpCategory).where(HelpCategory.key.in_(data["offers"]))))
    replace_slots(profile, VolunteerAvailability, data["slots"])
    profile.hours_per_month = data["hours_per_month"]
    profile.commitment = Commitment(data["commitment"])
    profile.capacity = data["capacity"]


def save_mentoring(profile: VolunteerProfile, data: dict) -> None:
    accepted = set(data["accepted_genders"])
    profile.mentors_women = Gender.FEMALE in accepted
    profile.mentors_men = Gender.MALE in accepted
    profile.mentors_diverse = Gender.DIVERSE in accepted
    profile.works_with_children = data["works_with_children"]
    if data["clearance_issued_on"] != profile.clearance_issued_on:
        # A new date means a new certificate, which coordination has not seen yet.
        profile.clearance_issued_on = data["clearance_issued_on"]
        profile.clearance_checked_on = None
        profile.clearance_checked_by_id = None
    profile.physical_resilience = Resilience(data["physical_resilience"])
    profile.emotional_resilience = Resilience(data["emotional_resilience"])
    profile.profession = (data["profession"] or "").strip()
    replace_interests(profile, VolunteerInterest, data["interests"])
    profile.interests_note = (data["interests_note"] or "").strip()


def pause(profile: VolunteerProfile, until: date | None) -> None:
    profile.status = VolunteerStatus.PAUSED
    profile.paused_until = until
    audit.record("volunteer.paused", profile)
    db.session.commit()


def resume(profile: VolunteerProfile) -> None:
    profile.status = VolunteerStatus.ACTIVE
    profile.paused_until = None
    audit.record("volunteer.resumed", profile)
    db.session.commit()


def withdraw(profile: VolunteerProfile) -> None:
    """Stop volunteering: no more proposals. The data stays until deletion is asked for."""
    profile.status = VolunteerStatus.WITHDRAWN
    profile.paused_until = None
    audit.record("volunteer.withdrawn", profile)
    db.session.commit()


def record_clearance_check(profile: VolunteerProfile, issued_on: date, coordinator: User) -> None:
    profile.clearance_issued_on = issued_on
    profile.clearance_checked_on = date.today()
    profile.clearance_checked_by = coordinator
    audit.record("volunteer.clearance_checked", profile, issued_on=issued_on.isoformat())
    db.session.commit()


@dataclass
class VolunteerFilters(profiles.ProfileFilters):
    offer: str = ""
    day: str = ""
    part: str = ""
    status: str = ""
    clearance: str = ""


def volunteer_search(filters: VolunteerFilters, user: User) -> Select:
    """Volunteers in ``user``'s scope matching every given filter, by name."""
    stmt = profiles.profile_search(
        VolunteerProfile, VolunteerLanguage, filters, selectinload(VolunteerProfile.offers)
    ).where(policies.volunteers_in_scope(user))
    if filters.q:
        text = filters.q.strip()  # trigram indexes serve both on PostgreSQL
        in_name, in_email = (column.icontains(text, autoescape=True) for column in (User.full_name, User.email))
        stmt = stmt.where(or_(in_name, in_email))
    if filters.offer:
        stmt = stmt.where(VolunteerProfile.offers.any(HelpCategory.key == filters.offer))
    if filters.day or filters.part:
        days = [filters.day] if filters.day else WEEKDAYS
        parts = [filters.part] if filters.part else DAY_PARTS
        slots = [f"{day}-{part}" for day in days for part in parts]
        stmt = stmt.where(VolunteerProfile.availability.any(VolunteerAvailability.slot.in_(slots)))
    if filters.status:
        stmt = stmt.where(VolunteerProfile.status == VolunteerStatus(filters.status))
    if filters.clearance:
        stmt = stmt.where(clearance_condition(ClearanceStatus(filters.clearance)))
    return stmt


def spoken_languages() -> list[str]:
    """ISO codes that at least one volunteer speaks, for the language filter."""
    return profiles.spoken_languages(VolunteerLanguage)


def profile_for_coordinator(profile_id: int, user: User) -> VolunteerProfile | None:
    """A profile as ``user`` opens it (None outside their scope); the view is logged (personal data was seen)."""
    return profiles.open_for_coordinator(VolunteerProfile, profile_id, "volunteer.viewed", user)


def profile_in_scope(profile_id: int, user: User, action: str = "view") -> VolunteerProfile | None:
    """The profile if ``user`` may do ``action`` with it; None if it does not exist for them."""
    return policies.record_for(user, action, VolunteerProfile, profile_id)


def volunteers_by_id(ids) -> dict[int, VolunteerProfile]:
    """The profiles (with their users) of the given ids, in one query; unknown ids are left out."""
    ids = set(ids)
    if not ids:
        return {}
    return {
        p.id: p
        for p in db.session.scalars(
            select(VolunteerProfile).where(VolunteerProfile.id.in_(ids)).options(selectinload(VolunteerProfile.user))
        )
    }
