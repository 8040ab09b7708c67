"""What volunteer and refugee profiles have in common: saving their answers, and coordinators' look-ups."""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app import audit, policies
from app.extensions import db
from app.models import LanguageLevel, User, utcnow


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


def replace_slots(profile, row_class, slots: list[str]) -> None:
    """Make ``profile.availability`` exactly ``slots``, keeping rows that stay."""
    wanted = set(slots)
    kept = [row for row in profile.availability if row.slot in wanted]
    profile.availability = kept + [row_class(slot=slot) for slot in sorted(wanted - {row.slot for row in kept})]


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
