"""Database rows as the matching engine's problem (``CONTRACT.md``, version 1).

Only people who are active, answered every question and consented to
matching take part. The contract knows the genders f, m and d; someone who
did not state a gender is passed as d, so that a wish for a woman or a man is
never met by a person whose gender is unknown.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    ClearanceStatus,
    Consent,
    ConsentPurpose,
    Gender,
    Locality,
    RefugeeProfile,
    RefugeeStatus,
    User,
    VolunteerProfile,
    VolunteerStatus,
)
from app.volunteers.services import clearance_status

CONTRACT_VERSION = 1


def consented_to_matching():
    """A condition on ``User``: a current consent to matching."""
    return User.consents.any((Consent.purpose == ConsentPurpose.MATCHING) & Consent.withdrawn_at.is_(None))


def matchable_volunteers() -> list[VolunteerProfile]:
    return list(
        db.session.scalars(
            select(VolunteerProfile)
            .where(
                VolunteerProfile.status == VolunteerStatus.ACTIVE,
                VolunteerProfile.completed_at.is_not(None),
                VolunteerProfile.user.has(consented_to_matching()),
            )
            .options(
                selectinload(VolunteerProfile.offers),
                selectinload(VolunteerProfile.languages),
                selectinload(VolunteerProfile.availability),
            )
            .order_by(VolunteerProfile.id)
        )
    )


def matchable_refugees() -> list[RefugeeProfile]:
    return list(
        db.session.scalars(
            select(RefugeeProfile)
            .where(
                RefugeeProfile.status == RefugeeStatus.ACTIVE,
                RefugeeProfile.completed_at.is_not(None),
                RefugeeProfile.user.has(consented_to_matching()),
            )
            .options(
                selectinload(RefugeeProfile.needs),
                selectinload(RefugeeProfile.languages),
                selectinload(RefugeeProfile.availability),
                selectinload(RefugeeProfile.members),
            )
            .order_by(RefugeeProfile.id)
        )
    )


def volunteer_id(profile: VolunteerProfile) -> str:
    return f"v-{profile.id}"


def mentee_id(profile: RefugeeProfile) -> str:
    return f"r-{profile.id}"


def _gender(gender: Gender | None) -> str:
    return str(gender) if gender else str(Gender.DIVERSE)


def _age(birth_year: int | None) -> dict:
    return {"age": date.today().year - birth_year} if birth_year else {}


def locality_records() -> list[dict]:
    return [
        {"id": loc.id, "lat": loc.lat, "lon": loc.lon}
        for loc in db.session.scalars(select(Locality).order_by(Locality.id))
    ]


def volunteer_record(
    profile: VolunteerProfile, max_groups: int = 1, group_preferences: list[str] | None = None
) -> dict:
    return {
        "id": volunteer_id(profile),
        "gender": _gender(profile.gender),
        **_age(profile.birth_year),
        "languages": {row.code: str(row.level) for row in profile.languages},
        "offers": [category.key for category in profile.offers],
        "availability": sorted(profile.slots),
        "locality": profile.locality_id,
        "travel_km": profile.travel_km,
        "capacity": profile.capacity,
        "accepts_genders": [str(g) for g in profile.accepted_genders],
        "clearance": clearance_status(profile) == ClearanceStatus.VALID,
        "max_groups": max_groups,
        "group_preferences": group_preferences or [],
        "interests": profile.interests,
    }


def mentee_record(profile: RefugeeProfile) -> dict:
    languages = {row.code: str(row.level) for row in profile.languages}
    if profile.german_level:
        languages["de"] = str(profile.german_level)
    return {
        "id": mentee_id(profile),
        "gender": _gender(profile.gender),
        **_age(profile.birth_year),
        "household_size": profile.household_size,
        "involves_minors": profile.involves_minors,
        "languages": languages,
        "needs": [need.category_key for need in profile.needs],
        "availability": sorted(profile.slots),
        "locality": profile.locality_id,
        "travel_km": profile.travel_km,
        "preferred_mentor_gender": str(profile.preferred_mentor_gender) if profile.preferred_mentor_gender else None,
        "interests": profile.interests,
    }


def problem(
    volunteers: list[dict],
    mentees: list[dict] = (),
    groups: list[dict] = (),
    locked: list[dict] = (),
    excluded: list[dict] = (),
    alternatives: int = 3,
) -> dict:
    return {
        "version": CONTRACT_VERSION,
        "settings": {"min_language_level": "A2", "alternatives": alternatives, "min_score": 0.0},
        "localities": locality_records(),
        "volunteers": volunteers,
        "mentees": list(mentees),
        "locked": list(locked),
        "excluded": list(excluded),
        "groups": list(groups),
    }
