"""Runs of jobs that people wait for: one at a time per kind and scope, with their stage and outcome."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ACTIVE_JOB_STATUSES, JobRun, JobStatus, User, utcnow

INSTALLATION = "installation"


def running_key(kind: str, scope: str) -> str:
    return f"{kind}:{scope}"


def active_run(kind: str, scope: str = INSTALLATION) -> JobRun | None:
    return db.session.scalar(select(JobRun).where(JobRun.running_key == running_key(kind, scope)))


def _give_up_if_stale(run: JobRun, timeout_seconds: int) -> bool:
    """A run whose worker went away (killed, restarted) must not block the next one for ever."""
    if utcnow() - run.updated_at < timedelta(seconds=timeout_seconds):
        return False
    run.status, run.error, run.running_key, run.finished_at = JobStatus.FAILED, "timed_out", None, utcnow()
    db.session.flush()
    return True


def start(
    kind: str, started_by: User | None, settings: dict, timeout_seconds: int, scope: str = INSTALLATION
) -> tuple[JobRun, bool]:
    """A new queued run, or the one of this kind and scope that is queued or running already (then False).

    The caller defers the job and commits.
    """
    current = active_run(kind, scope)
    if current is not None and not _give_up_if_stale(current, timeout_seconds):
        return current, False
    run = JobRun(kind=kind, scope=scope, running_key=running_key(kind, scope), started_by=started_by, settings=settings)
    db.session.add(run)
    try:
        db.session.flush()
    except IntegrityError:  # started by someone else in this very moment
        db.session.rollback()
        current = active_run(kind, scope)
        if current is None:
            raise
        return current, False
    return run, True


def begin(run_id: int) -> JobRun | None:
    """Mark a queued run as running; None if it is not queued (a repeated or late delivery of the job)."""
    now = utcnow()
    changed = db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return db.session.get(JobRun, run_id, populate_existing=True) if changed else None


def finish(run_id: int, result: dict) -> None:
    _end(run_id, JobStatus.FINISHED, result=result, percent=100, stage="")


def fail(run_id: int, error: str, **detail) -> None:
    _end(run_id, JobStatus.FAILED, error=error, result=detail)


def _end(run_id: int, status: JobStatus, **values) -> None:
    now = utcnow()
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.status.in_(ACTIVE_JOB_STATUSES))
        .values(status=status, running_key=None, finished_at=now, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def latest(kind: str, status: JobStatus | None = None) -> JobRun | None:
    query = select(JobRun).where(JobRun.kind == kind)
    if status is not None:
        query = query.where(JobRun.status == status)
    return db.session.scalar(query.order_by(JobRun.id.desc()).limit(1))


def failed_runs(limit: int = 50) -> list[JobRun]:
    return list(
        db.session.scalars(
            select(JobRun).where(JobRun.status == JobStatus.FAILED).order_by(JobRun.id.desc()).limit(limit)
        )
    )


# Progress: a run's code says which stage it is in; the run being tracked in this context records it.
_tracked: ContextVar[tuple[int, dict[str, int]] | None] = ContextVar("tracked_job_run", default=None)


@contextmanager
def tracking(run_id: int, percent_at: dict[str, int]) -> Iterator[None]:
    """Record the stages reported with ``stage()`` on run ``run_id``; ``percent_at`` maps stages to percentages."""
    token = _tracked.set((run_id, percent_at))
    try:
        yield
    finally:
        _tracked.reset(token)


def stage(name: str) -> None:
    """Report that the tracked run (if any) has reached stage ``name``.

    In a worker the stage is committed at once on a connection of its own, so
    the page watching the run sees it while the run's own transaction goes on;
    a run performed in the web process is watched by nobody and writes it with
    its own transaction.
    """
    tracked = _tracked.get()
    if tracked is None:
        return
    run_id, percent_at = tracked
    statement = (
        update(JobRun)
        .where(JobRun.id == run_id)
        .values(stage=name, percent=percent_at.get(name, 0), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if current_app.config["JOBS_IN_WORKER"]:
        with db.engine.begin() as connection:
            connection.execute(statement)
    else:
        db.session.execute(statement)
