"""Finding a person who was registered twice, and folding the two records into one.

Names of people from Syria, Afghanistan or Eritrea reach German offices in
many spellings (Mohammed, Muhammad, Mohamad; Al-Hassan, Alhasan) and scripts
(محمد الحسن). Names are compared by their consonant skeleton after
transliteration: vowels, doubled letters, articles and punctuation are where
the spellings differ, consonants rarely do.
"""

import re
from difflib import SequenceMatcher

from anyascii import anyascii
from sqlalchemy import false, or_, select
from sqlalchemy.orm import selectinload

from app import audit, policies
from app.consents import has_consent
from app.extensions import db
from app.models import (
    HouseholdMember,
    RefugeeAvailability,
    RefugeeInterest,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    RefugeeStatus,
    Urgency,
    User,
)
from app.profiles import replace_interests

SIMILAR_NAME_RATIO = 0.8
ARTICLES = ("al", "el", "ul", "ad", "ar", "as", "at", "az", "an", "ash")


def name_skeleton(name: str) -> str:
    """``Muhammad Al-Hassan`` and ``محمد الحسن`` both become ``mhmd hsn``."""
    words = re.findall(r"[a-z]+", anyascii(name).lower().replace("-", " "))
    skeletons = []
    for word in words:
        if word in ARTICLES:
            continue
        for article in ARTICLES:
            if word.startswith(article) and len(word) > len(article) + 2:
                word = word[len(article) :]
                break
        consonants = word[0] + re.sub(r"[aeiouy]", "", word[1:])
        skeletons.append(re.sub(r"(.)\1+", r"\1", consonants.replace("kh", "h").replace("ph", "f")))
    return " ".join(skeletons)


def similar_names(first: str, second: str) -> bool:
    a, b = sorted(name_skeleton(first).split()), sorted(name_skeleton(second).split())
    return bool(a and b) and SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= SIMILAR_NAME_RATIO


def possible_duplicates(profile: RefugeeProfile, user: User) -> list[RefugeeProfile]:
    """Other open records with the same phone number, or with a similar name and the same year of birth.

    Self-registration does not refuse a phone number that is registered already
    (that would tell anyone whose number it is), so a second registration may
    share the number; otherwise the name is what it shares. Only records in ``user``'s scope are named.
    """
    same_phone = RefugeeProfile.user.has(User.phone == profile.user.phone) if profile.user.phone else false()
    same_year = RefugeeProfile.birth_year == profile.birth_year if profile.birth_year else false()
    candidates = db.session.scalars(
        select(RefugeeProfile)
        .where(
            or_(same_phone, same_year),
            RefugeeProfile.id != profile.id,
            RefugeeProfile.status != RefugeeStatus.MERGED,
            policies.refugees_in_scope(user),
        )
        .options(selectinload(RefugeeProfile.user), selectinload(RefugeeProfile.locality))
        .order_by(RefugeeProfile.id)
    )
    return [
        other
        for other in candidates
        if (profile.user.phone and other.user.phone == profile.user.phone)
        or (other.birth_year == profile.birth_year and similar_names(profile.user.full_name, other.user.full_name))
    ]


def merge(keep: RefugeeProfile, duplicate: RefugeeProfile, coordinator: User) -> None:
    """Fold ``duplicate`` into ``keep``: nothing is lost, the duplicate stays as a closed, linked record."""
    if keep.id == duplicate.id or duplicate.status == RefugeeStatus.MERGED:
        raise ValueError("cannot merge a record into itself or merge a merged record")
    for column in (
        "gender",
        "birth_year",
        "german_level",
        "locality_id",
        "preferred_mentor_gender",
        "residence_status",
    ):
        if getattr(keep, column) is None:
            setattr(keep, column, getattr(duplicate, column))
    keep.travel_km = max(keep.travel_km, duplicate.travel_km)
    keep.interests_note = _joined(keep.interests_note, duplicate.interests_note)
    replace_interests(keep, RefugeeInterest, {*keep.interest_keys, *duplicate.interest_keys})
    keep.protection_notes = _joined(keep.protection_notes, duplicate.protection_notes)
    _merge_members(keep, duplicate)
    _merge_languages(keep, duplicate)
    _merge_needs(keep, duplicate)
    known_slots = keep.slots
    keep.availability += [RefugeeAvailability(slot=s) for s in sorted(duplicate.slots - known_slots)]
    _merge_contact(keep.user, duplicate.user)
    _merge_consents(keep.user, duplicate.user)
    keep.steps_done = max(keep.steps_done, duplicate.steps_done)
    keep.completed_at = keep.completed_at or duplicate.completed_at
    duplicate.status = RefugeeStatus.MERGED
    duplicate.merged_into = keep
    duplicate.user.active = False
    audit.record("refugee.merged", keep, actor=coordinator, duplicate=duplicate.id)
    db.session.commit()


def _joined(first: str, second: str) -> str:
    return first if not second or second in first else (f"{first}\n{second}" if first else second)


def _merge_members(keep: RefugeeProfile, duplicate: RefugeeProfile) -> None:
    known = {(m.relation, m.age) for m in keep.members}
    keep.members += [
        HouseholdMember(relation=m.relation, age=m.age) for m in duplicate.members if (m.relation, m.age) not in known
    ]


def _merge_languages(keep: RefugeeProfile, duplicate: RefugeeProfile) -> None:
    levels = {row.code: row for row in keep.languages}
    for row in duplicate.languages:
        if row.code not in levels:
            keep.languages.append(RefugeeLanguage(code=row.code, level=row.level))
        elif row.level.rank > levels[row.code].level.rank:
            levels[row.code].level = row.level


def _merge_needs(keep: RefugeeProfile, duplicate: RefugeeProfile) -> None:
    needs = {need.category_key: need for need in keep.needs}
    for need in duplicate.needs:
        if need.category_key not in needs:
            keep.needs.append(RefugeeNeed(category_key=need.category_key, urgency=need.urgency))
        elif need.urgency == Urgency.URGENT:
            needs[need.category_key].urgency = Urgency.URGENT


def _merge_contact(keep: User, duplicate: User) -> None:
    """Login details the kept account lacks move over, so the person can log in either way."""
    for column in ("phone", "username", "email"):
        if getattr(keep, column) is None and getattr(duplicate, column) is not None:
            value = getattr(duplicate, column)
            setattr(duplicate, column, None)
            db.session.flush()  # the unique value must leave the duplicate before the kept account takes it
            setattr(keep, column, value)


def _merge_consents(keep: User, duplicate: User) -> None:
    """A consent the person gave on the duplicate holds for the kept record: the row moves over
    unchanged (its date and text version are the proof); withdrawn ones stay with the duplicate."""
    for consent in list(duplicate.consents):
        if consent.is_current and not has_consent(keep, consent.purpose):
            consent.user = keep
