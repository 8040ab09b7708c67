"""Finding a person who was registered twice, and folding the two records into one.

Names are compared by their stored key (``app.names``: the transliterated
consonant skeleton, so that Mohammed Al-Hassan, Muhammad Alhasan and
محمد الحسن are one name).
"""

import math
from dataclasses import dataclass

from sqlalchemy import func, select, union
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
from app.names import SIMILAR_NAME_RATIO, name_key_closeness
from app.profiles import replace_interests

# Two keys whose lengths differ more than this cannot reach SIMILAR_NAME_RATIO: the ratio is at most
# 2·shorter / (shorter + longer), so shorter / longer ≥ ratio / (2 − ratio). The database skips them.
LENGTH_RATIO = SIMILAR_NAME_RATIO / (2 - SIMILAR_NAME_RATIO)
# The records a refugee's page names as possible duplicates; the page says how many more there are. A common
# name and year of birth can have hundreds of similar records in a city (a load test's 1,200 registrations of
# one year under one name made the page 160–240 ms, all of them loaded and listed).
DUPLICATES_SHOWN = 10


def similar_lengths(length: int) -> tuple[int, int]:
    """The shortest and the longest key that can be similar to a key of ``length`` characters.

    Rounded outwards, since the window only spares the database work: in floating point 2 / (2/3) is
    2.9999999999999996, and a key of 3 characters can be similar to one of 2 ("bb" and "bbb": 0.8).
    """
    return math.floor(length * LENGTH_RATIO), math.ceil(length / LENGTH_RATIO)


@dataclass(frozen=True)
class PossibleDuplicates:
    shown: list[RefugeeProfile]  # the closest first: the same phone number, then the most similar name
    total: int


def possible_duplicates(profile: RefugeeProfile, user: User) -> PossibleDuplicates:
    """Other open records with the same phone number, or with a similar name and the same year of birth.

    Self-registration does not refuse a phone number that is registered already
    (that would tell anyone whose number it is), so a second registration may
    share the number; otherwise the name is what it shares. Only records in ``user``'s scope are named.

    The candidates come from the indexes (phone; year of birth, with a name key of a length that can
    be similar), as bare keys; only those are scored, and only the ``DUPLICATES_SHOWN`` closest matches are
    loaded as records.
    """
    phone, year, key = profile.user.phone, profile.birth_year, profile.user.name_key
    others = (
        select(RefugeeProfile.id, User.phone, User.name_key, RefugeeProfile.birth_year)
        .join(RefugeeProfile.user)
        .where(
            RefugeeProfile.id != profile.id,
            RefugeeProfile.status != RefugeeStatus.MERGED,
            policies.refugees_in_scope(user),
        )
    )
    # One query per index (a condition across both tables would make the database read them whole).
    lookups = [others.where(User.phone == phone)] if phone else []
    if year and key:
        lookups.append(
            others.where(
                RefugeeProfile.birth_year == year, func.length(User.name_key).between(*similar_lengths(len(key)))
            )
        )
    if not lookups:
        return PossibleDuplicates([], 0)
    candidates = db.session.execute(union(*lookups) if len(lookups) > 1 else lookups[0])
    ranked: dict[int, tuple[bool, float]] = {}  # id -> (the same phone number, how similar the name)
    for row in candidates:
        same_phone = bool(phone) and row.phone == phone
        closeness = name_key_closeness(key, row.name_key) if row.birth_year == year else None
        if same_phone or closeness is not None:
            ranked[row.id] = (same_phone, closeness or 0.0)
    closest = sorted(ranked, key=lambda id_: (*ranked[id_], -id_), reverse=True)[:DUPLICATES_SHOWN]
    if not closest:
        return PossibleDuplicates([], 0)
    records = {
        record.id: record
        for record in db.session.scalars(
            select(RefugeeProfile)
            .where(RefugeeProfile.id.in_(closest))
            .options(selectinload(RefugeeProfile.user), selectinload(RefugeeProfile.locality))
        )
    }
    return PossibleDuplicates([records[id_] for id_ in closest], len(ranked))


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
