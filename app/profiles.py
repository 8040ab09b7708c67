"""What volunteer and refugee profiles have in common: saving their answers, and coordinators' look-ups."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app import audit, policies
from app.extensions import db
from app.interests import app_label_index, keys_in_text, normalised
from app.models import (
    LanguageLevel,
    RefugeeInterest,
    RefugeeProfile,
    User,
    VolunteerInterest,
    VolunteerProfile,
    utcnow,
)


def replace_languages(profile, row_class, levels: list[tuple[str, str]]) -> None:
    """Make ``profile.languages`` exactly ``levels``, keeping rows that stay."""
    wanted = dict(levels)
    for row in list(profile.languages):
        if row.code not in wanted:
            profile.languages.remove(row)
    existing = {row.code: row for row in profile.languages}
    for code, level in wanted.items():
        if code in existing:
            existing[code].level = LanguageLevel(level)
        else:
            profile.languages.append(row_class(code=code, level=LanguageLevel(level)))


def _replaced_rows(rows: list, column: str, row_class, values: Iterable[str]) -> list:
    """Rows with exactly ``values`` in ``column``: the rows that stay, and new ones for the rest."""
    wanted = set(values)
    kept = [row for row in rows if getattr(row, column) in wanted]
    return kept + [row_class(**{column: value}) for value in sorted(wanted - {getattr(row, column) for row in kept})]


def replace_slots(profile, row_class, slots: list[str]) -> None:
    """Make ``profile.availability`` exactly ``slots``, keeping rows that stay."""
    profile.availability = _replaced_rows(profile.availability, "slot", row_class, slots)


def replace_interests(profile, row_class, keys: Iterable[str]) -> None:
    """Make ``profile.interests`` exactly ``keys`` (validated against the vocabulary), keeping rows that stay."""
    profile.interests = _replaced_rows(profile.interests, "key", row_class, keys)


def finish_step(profile, step: int, step_count: int) -> None:
    """Record that ``step`` is answered and commit it with its answers; the questionnaire is complete after the last."""
    profile.steps_done = max(profile.steps_done, step)
    if profile.steps_done >= step_count and profile.completed_at is None:
        profile.completed_at = utcnow()
    db.session.commit()


def spoken_languages(row_class) -> list[str]:
    """ISO codes of the language rows ``row_class`` (one profile kind's), for a list's language filter."""
    return list(db.session.scalars(select(row_class.code).distinct().order_by(row_class.code)))


def open_for_coordinator(profile_class, profile_id: int, action: str, user: User):
    """A profile as ``user`` opens it, or None (also when it is outside their scope: it does not exist for them);
    the view is logged as ``action`` (personal data was seen)."""
    profile = db.session.get(profile_class, profile_id)
    if profile is not None and not policies.can(user, "view", profile):
        return None
    if profile is not None:
        audit.record(action, profile)
        db.session.commit()
    return profile


@dataclass
class ProfileFilters:
    """What both coordinators' lists filter by; each list adds its own filters."""

    q: str = ""
    locality: str = ""
    language: str = ""


def profile_search(profile_class, language_class, filters: ProfileFilters, *loads) -> Select:
    """Profiles by name in the filters' place and language; user, place, languages and ``loads`` come with them."""
    stmt = (
        select(profile_class)
        .join(profile_class.user)
        .options(
            selectinload(profile_class.user),
            selectinload(profile_class.locality),
            selectinload(profile_class.languages),
            *loads,
        )
        .order_by(User.full_name, profile_class.id)
    )
    if filters.locality:
        stmt = stmt.where(profile_class.locality_id == filters.locality)
    if filters.language:
        stmt = stmt.where(profile_class.languages.any(language_class.code == filters.language))
    return stmt


@dataclass
class NoteMapping:
    """What ``map_interest_notes`` did: keys added, and the note items that name no interest."""

    profiles_changed: int = 0
    keys_added: int = 0
    unmatched: Counter = field(default_factory=Counter)  # item as written (first spelling) -> notes naming it


def map_interest_notes(also: dict[str, str]) -> NoteMapping:
    """Add to every profile the interests its note names, and commit.

    An item of a note names an interest if it is the interest's label in any
    language, or one of ``also`` (item → key, for words the labels miss).
    Keys a person has are kept; the notes stay as they are.
    """
    index = {**app_label_index(), **{normalised(item): key for item, key in also.items()}}
    result, spellings = NoteMapping(), {}
    for profile_class, row_class in ((VolunteerProfile, VolunteerInterest), (RefugeeProfile, RefugeeInterest)):
        noted = select(profile_class).where(profile_class.interests_note != "")
        profiles = db.session.scalars(noted.options(selectinload(profile_class.interests)))
        for profile in profiles:
            keys, unmatched = keys_in_text(profile.interests_note, index)
            new = set(keys) - set(profile.interest_keys)
            if new:
                replace_interests(profile, row_class, [*profile.interest_keys, *new])
                result.profiles_changed += 1
                result.keys_added += len(new)
            for seen, item in {normalised(item): item for item in unmatched}.items():
                result.unmatched[spellings.setdefault(seen, item)] += 1
    db.session.commit()
    return result
