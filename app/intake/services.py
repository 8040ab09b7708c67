"""Registering refugees and households, and their access codes."""

import hashlib
import hmac
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth.services import AccountTaken
from app.consents import set_consent
from app.extensions import db
from app.models import (
    ConsentPurpose,
    Gender,
    HelpCategory,
    HouseholdMember,
    LanguageLevel,
    RefugeeAvailability,
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
from app.profiles import replace_languages, replace_slots

# Letters and digits that cannot be mistaken for each other when read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4


class PhoneTaken(AccountTaken):
    field = "phone"
    message = _l("This phone number is already registered. Please log in, or ask the coordination office.")


class UsernameTaken(AccountTaken):
    field = "username"
    message = _l("This user name is taken. Please choose another one.")


class RefugeeEmailTaken(AccountTaken):
    """The refugee's shorter version of ``EmailTaken``."""

    field = "email"
    message = _l("This e-mail address is already registered. Please log in.")


class PersonAlreadyRegistered(AccountTaken):
    """Coordination registers someone whose phone number has an account: they should find that record."""

    field = "phone"
    message = _l("This phone number is already registered. Search for the person in the list.")


SELF_REGISTRATION_CONFLICTS = {"phone": PhoneTaken, "username": UsernameTaken, "email": RefugeeEmailTaken}
ASSISTED_CONFLICTS = {"phone": PersonAlreadyRegistered}


def _taken_field(phone: str | None, username: str | None, email: str | None) -> str | None:
    checks = [("phone", User.phone, phone), ("username", User.username, username), ("email", User.email, email)]
    for field, column, value in checks:
        if value and db.session.scalar(select(User.id).where(column == value)) is not None:
            return field
    return None


def _new_refugee(
    full_name: str,
    phone: str | None,
    username: str | None,
    email: str | None,
    language: str,
    conflicts: dict[str, type[AccountTaken]],
) -> User:
    username = username.lower() if username else None
    email = email.lower() if email else None
    taken = _taken_field(phone, username, email)
    if taken:
        raise conflicts[taken]()
    user = User(
        full_name=full_name, phone=phone, username=username, email=email, role=Role.REFUGEE, preferred_language=language
    )
    user.refugee_profile = RefugeeProfile()
    return user


def _commit_new(user: User, on_conflict: type[AccountTaken]) -> None:
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:  # registered at the same moment by someone else
        db.session.rollback()
        raise on_conflict() from error


def register_self(
    full_name: str, phone: str | None, username: str | None, email: str | None, password: str, language: str
) -> User:
    """A refugee creates an account on their own phone; the matching consent is given with it."""
    user = _new_refugee(full_name, phone, username, email, language, SELF_REGISTRATION_CONFLICTS)
    user.set_password(password)
    set_consent(user, ConsentPurpose.MATCHING, True)
    _commit_new(user, PhoneTaken if phone else UsernameTaken)
    audit.record("refugee.registered", user.refugee_profile, actor=user)
    db.session.commit()
    return user


def register_on_behalf(full_name: str, phone: str | None, language: str, coordinator: User) -> RefugeeProfile:
    """Coordination registers a person (e.g. at a welcome café); they log in later with an access code."""
    user = _new_refugee(full_name, phone, None, None, language, ASSISTED_CONFLICTS)
    # No password anyone knows: the person logs in with the code on their slip.
    user.set_password(secrets.token_urlsafe(32))
    user.refugee_profile.registered_by = coordinator
    set_consent(user, ConsentPurpose.MATCHING, True, recorded_by=coordinator)
    _commit_new(user, PersonAlreadyRegistered)
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
    profile.interests = (data["interests"] or "").strip()
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
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def issue_access_code(profile: RefugeeProfile, coordinator: User) -> str:
    """A new personal access code for the slip; any earlier code stops working."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    code = normalise_code(letters)
    profile.access_code_digest = access_code_digest(code)
    profile.access_code_issued_at = utcnow()
    audit.record("refugee.access_code_issued", profile, actor=coordinator)
    db.session.commit()
    return code


def user_for_access_code(code: str) -> User | None:
    profile = db.session.scalar(
        select(RefugeeProfile).where(RefugeeProfile.access_code_digest == access_code_digest(code))
    )
    if profile is None or not profile.user.active:
        return None
    return profile.user
