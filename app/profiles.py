"""Saving what volunteer and refugee questionnaires have in common."""

from app.extensions import db
from app.models import LanguageLevel, utcnow


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
    """Record that ``step`` is answered and commit; the questionnaire is complete after the last."""
    profile.steps_done = max(profile.steps_done, step)
    if profile.steps_done >= step_count and profile.completed_at is None:
        profile.completed_at = utcnow()
    db.session.commit()
