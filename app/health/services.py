"""What /readyz checks: the database, the schema's migrations, the job queue, the daily tasks."""

from functools import lru_cache
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from app.extensions import db
from app.jobs import services as runs
from app.jobs.queue import redis_connection
from app.models import JobStatus, utcnow
from app.operations.daily import KIND as DAILY

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def _database() -> dict:
    db.session.execute(text("SELECT 1"))
    return {"ok": True}


def _migrations() -> dict:
    current = frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    return {"ok": current == migration_heads(), "current": sorted(current), "head": sorted(migration_heads())}


def _queue() -> dict:
    connection = redis_connection()
    if connection is None:
        return {"ok": True, "mode": "in-process"}
    connection.ping()
    return {"ok": True, "mode": "redis"}


def _daily() -> dict:
    last = runs.latest(DAILY, JobStatus.FINISHED)
    if last is None:
        return {"ok": True, "last_run": None}  # a new installation: the first run is still to come
    age_hours = (utcnow() - last.finished_at).total_seconds() / 3600
    return {
        "ok": age_hours <= current_app.config["DAILY_MAX_AGE_HOURS"],
        "last_run": last.finished_at.isoformat(),
        "age_hours": round(age_hours, 1),
    }


CHECKS = {"database": _database, "migrations": _migrations, "queue": _queue, "daily": _daily}


def readiness() -> dict:
    """Every check's outcome; a check that raises is failed with the error's kind (never its text)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # an unreachable service is exactly what this reports
            db.session.rollback()
            results[name] = {"ok": False, "error": type(error).__name__}
    return results
