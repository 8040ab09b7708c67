"""What volunteer and refugee profiles share: genders, language levels, weekly time slots, interests."""

import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.types import str_enum
from matching import levels


class Gender(enum.StrEnum):
    FEMALE = "f"
    MALE = "m"
    DIVERSE = "d"


class LanguageLevel(enum.StrEnum):
    """CEFR levels plus native, lowest first: ``matching.levels.LEVELS``."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"
    NATIVE = "native"

    @property
    def rank(self) -> int:
        """Position from A1 (0) to native (6), for comparing levels."""
        return levels.rank(self)

    @classmethod
    def at_least(cls, threshold: str) -> list["LanguageLevel"]:
        """The levels that reach ``threshold`` (``matching.levels.reaches``), for conditions the database decides."""
        return [level for level in cls if levels.reaches(level, threshold)]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS = ("morning", "afternoon", "evening")
TIME_SLOTS = tuple(f"{day}-{part}" for day in WEEKDAYS for part in DAY_PARTS)


class LanguageRowMixin:
    """A language someone speaks (ISO 639-1) and how well; the table adds its profile key."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3))
    level: Mapped[LanguageLevel] = mapped_column(str_enum(LanguageLevel))


class SlotRowMixin:
    """One weekly time slot someone is free, e.g. ``tue-evening``; the table adds its profile key."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[str] = mapped_column(String(16))


class InterestRowMixin:
    """An interest someone ticked, by its key (app/interests.py, e.g. ``football``); the table adds its profile key."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32))
