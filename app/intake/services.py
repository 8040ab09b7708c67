"""Registering refugees and households, and their access codes."""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.services import AccountTaken, offer_email
from app.consents import set_consent
from app.extensions import db
from app.models import (
    ConsentPurpose,
    Gender,
    HelpCategory,
    HouseholdMember,
    LanguageLevel,
    RefugeeAvailability,
    RefugeeInterest,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    Relation,
    ResidenceStatus,
    Role,
    Urgency,
    User,
    utcnow,
)
from app.profiles import replace_interests, replace_languages, replace_slots
from app.security.keys import keyed_digest

# Letters and digits that cannot be mistaken for each other when read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4


class PersonAlreadyRegistered(AccountTaken):
    """Coordination registers someone whose phone number has an account: they should find that record."""

    field = "phone"
    message = _l("This phone number is already registered. Search for the person in the list.")


def _new_refugee(full_name: str, phone: str | None, username: str | None, language: str) -> User:
    user = User(
        full_name=full_name,
        phone=phone,
        username=username.lower() if username else None,
        role=Role.REFUGEE,
        preferred_language=language,
    )
    user.refugee_profile = RefugeeProfile()
    db.session.add(user)
    return user


def register_self(
    full_name: str, phone: str | None, username: str | None, email: str | None, password: str, language: str
) -> User:
    """A refugee creates an account on their own phone; the matching consent is given with it.

    A phone number or user name that another account has already is not refused:
    refusing would tell anyone whose number is registered. The password picks the
    account at login, and coordination sees the two records as possible
    duplicates. An e-mail address becomes a login once its owner confirms it.
    """
    user = _new_refugee(full_name, phone, username, language)
    user.set_password(password)
    set_consent(user, ConsentPurpose.MATCHING, True)
    db.session.flush()
    audit.record("refugee.registered", user.refugee_profile, actor=user)
    db.session.commit()
    if email:
        offer_email(user, email)
    return user


def register_on_behalf(full_name: str, phone: str | None, language: str, coordinator: User) -> RefugeeProfile:
    """Coordination registers a person (e.g. at a welcome café); they log in later with an access code."""
    if phone and db.session.scalar(select(User.id).where(User.phone == phone).limit(1)) is not None:
        raise PersonAlreadyRegistered()
    user = _new_refugee(full_name, phone, None, language)
    # No password anyone knows: the person logs in with the code on their slip.
    user.set_password(secrets.token_urlsafe(32))
    user.refugee_profile.registered_by = coordinator
    set_consent(user, ConsentPurpose.MATCHING, True, recorded_by=coordinator)
    db.session.flush()
    audit.record("refugee.registered_on_behalf", user.refugee_profile, actor=coordinator)
    db.session.commit()
    return user.refugee_profile


# One function a step of the registration (app/intake/steps.py); each writes its answers, and
# app.questionnaire commits them with the step's progress.
def save_household(profile: RefugeeProfile, gender: str, birth_year: int, members: list[tuple[str, int]]) -> None:
    profile.gender = Gender(gender) if gender else None
    profile.birth_year = birth_year
    profile.members = [HouseholdMember(relation=Relation(relation), age=age) for relation, age in members]


def save_languages(profile: RefugeeProfile, levels: list[tuple[str, str]], german_level: str) -> None:
    replace_languages(profile, RefugeeLanguage, levels)
    profile.german_level = LanguageLevel(german_level) if german_level else None


def save_needs(profile: RefugeeProfile, chosen: dict[str, bool]) -> None:
    known = set(db.session.scalars(select(HelpCategory.key).where(HelpCategory.key.in_(chosen))))
    profile.needs = [
        RefugeeNeed(category_key=key, urgency=Urgency.URGENT if urgent else Urgency.NEEDED)
        for key, urgent in chosen.items()
        if key in known
    ]


def save_time_place(profile: RefugeeProfile, locality_id: str, travel_km: int, slots: list[str]) -> None:
    profile.locality_id = locality_id
    profile.travel_km = travel_km
    replace_slots(profile, RefugeeAvailability, slots)


def save_preferences(profile: RefugeeProfile, data: dict, recorded_by: User | None = None) -> None:
    """Preferences and the voluntary special-category notes, each kept only with its consent."""
    profile.preferred_mentor_gender = (
        Gender(data["preferred_mentor_gender"]) if data["preferred_mentor_gender"] else None
    )
    replace_interests(profile, RefugeeInterest, data["interests"])
    profile.interests_note = (data["interests_note"] or "").strip()
    user = profile.user
    keep_status = bool(data["residence_status"]) and data["consent_residence_status"]
    set_consent(user, ConsentPurpose.RESIDENCE_STATUS, keep_status, recorded_by=recorded_by)
    profile.residence_status = ResidenceStatus(data["residence_status"]) if keep_status else None
    notes = (data["protection_notes"] or "").strip()
    keep_notes = bool(notes) and data["consent_protection_needs"]
    set_consent(user, ConsentPurpose.PROTECTION_NEEDS, keep_notes, recorded_by=recorded_by)
    profile.protection_notes = notes if keep_notes else ""


def normalise_code(code: str) -> str:
    """What people type from a slip (lower case, spaces, missing dashes) as the printed code."""
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH))


def access_code_digest(code: str) -> str:
    # Keyed, so that a leaked database does not reveal codes; deterministic, so that it can be looked up.
    return keyed_digest(normalise_code(code))


def issue_access_code(profile: RefugeeProfile, coordinator: User) -> str:
    """A new personal access code for the slip; any earlier code stops working."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    code = normalise_code(letters)
    profile.access_code_digest = access_code_digest(code)
    profile.access_code_issued_at = utcnow()
    audit.record("refugee.access_code_issued", profile, actor=coordinator)
    db.session.commit()
    return code


def access_code_expires(profile: RefugeeProfile):
    """When the code on the person's latest slip stops working."""
    return profile.access_code_issued_at + timedelta(days=current_app.config["ACCESS_CODE_MAX_AGE_DAYS"])


def user_for_access_code(code: str) -> User | None:
    """The active person whose current, unexpired code this is."""
    profile = db.session.scalar(
        select(RefugeeProfile).where(RefugeeProfile.access_code_digest == access_code_digest(code))
    )
    if profile is None or not profile.user.active or access_code_expires(profile) <= utcnow():
        return None
    return profile.user
