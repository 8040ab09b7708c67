"""The daily tasks, recorded as a run so that operators (and /readyz) see when they last ran."""

from datetime import date

from flask import current_app

from app.agreements import services as agreements
from app.appointments import services as appointments
from app.extensions import db
from app.jobs import services as runs
from app.jobs.queue import task
from app.outbox import services as outbox
from app.privacy import services as privacy

KIND = "daily"
TIMEOUT_SECONDS = 1800


def run_daily(today: date | None = None) -> dict[str, int] | None:
    """Start and remind sponsorships, remind tomorrow's appointments, clear out delivered messages, apply the
    retention periods; None if a daily run is going on already."""
    run, created = runs.start(KIND, None, {}, TIMEOUT_SECONDS)
    db.session.commit()
    if not created or runs.begin(run.id) is None:
        return None
    try:
        result = agreements.daily(today)
        result["appointment_reminders"] = appointments.send_reminders(today or date.today())
        result["messages_deleted"] = outbox.purge_sent(current_app.config["OUTBOX_KEEP_DAYS"])
        db.session.commit()
        # The retention periods: each item commits on its own, so a run that stops resumes on the next.
        done = privacy.purge(today)
        result |= {f"privacy_{reason}": count for reason, count in sorted(done.items())}
        privacy.tell_admins(done, today or date.today())
    except Exception:
        db.session.rollback()
        runs.fail(run.id, "unexpected")
        raise  # with Redis, RQ retries it and then keeps it among the failed jobs
    runs.finish(run.id, result)
    return result


@task(timeout=TIMEOUT_SECONDS, retries=(60, 300, 900))
def daily_tasks() -> dict[str, int] | None:
    return run_daily()
