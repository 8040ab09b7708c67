"""Language levels and the thresholds the engine and its users compare them with.

Levels are the CEFR's, plus ``native``, lowest first. A threshold is a level:
someone reaches it when their level is the same or higher.
"""

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
"""Language levels, lowest first."""

MIN_SHARED_LEVEL = "A2"
"""Default ``settings.min_language_level``: a shared language needs this level on both sides."""
INDEPENDENT_LEVEL = "B1"
"""The CEFR's "independent user": below it in German a person needs interpreting; from it on
a volunteer can interpret in a language."""
QUOTA_LEVEL = "B2"
"""A group member counts towards a language quota from this level on."""


def rank(level: str) -> int:
    """Position of ``level`` in :data:`LEVELS` (A1 = 0 ... native = 6); ValueError if unknown."""
    return LEVELS.index(level)


def reaches(level: str | None, threshold: str) -> bool:
    """Whether ``level`` (None: not spoken) is ``threshold`` or higher."""
    return level is not None and rank(level) >= rank(threshold)
