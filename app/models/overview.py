"""The coordinators' overview as last counted, per scope."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime


class OverviewSnapshot(db.Model):
    """The needs, gaps and counts of the overview for one scope (``Scope.key``), as counted at ``counted_at``.

    Counting them reads every refugee and volunteer of the scope (0.1 s for a district, several
    times that for a city); coordinators open the overview all day and the figures change slowly, so
    a page shows the last count while it is younger than ``OVERVIEW_MAX_AGE_MINUTES`` and says how old
    it is. Counts per place and activity only: no person can be read from it.
    """

    __tablename__ = "overview_snapshots"

    scope_key: Mapped[str] = mapped_column(Text, primary_key=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
