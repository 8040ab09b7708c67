"""Background work that people wait for or operators watch: matching runs and the daily tasks."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobRun(db.Model):
    """One run of a job whose progress and outcome are shown: a matching run, the daily tasks.

    ``running_key`` is set while the run is queued or running and is unique,
    so the database itself refuses a second run of the same kind and scope
    (two coordinators starting matching at the same moment get one run).
    """

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # "matching", "daily"
    scope: Mapped[str] = mapped_column(String(80), default="installation")
    running_key: Mapped[str | None] = mapped_column(String(130), unique=True)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus), default=JobStatus.QUEUED)
    stage: Mapped[str] = mapped_column(String(20), default="")
    percent: Mapped[int] = mapped_column(default=0)
    # Settings the run was started with, and what it produced (ids and counts only, never personal data).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What went wrong, in words for the person who started it; the log has the traceback.
    error: Mapped[str] = mapped_column(Text, default="")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    started_by: Mapped["User | None"] = relationship()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES
