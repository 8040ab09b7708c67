"""Matching runs as jobs: started by a coordinator, performed by a worker, watched on a page."""

import logging

from flask import current_app
from flask_babel import gettext as _

import matching
from app.extensions import db
from app.jobs import services as runs
from app.jobs.queue import defer, task
from app.matches.services import run_matching
from app.models import JobRun, JobStatus, User, utcnow

log = logging.getLogger("brueckenbau.matching")

KIND = "matching"
# Where a run stands when it enters a stage, from the stages' shares of a district-size run (bench/README.md).
PERCENT_AT = {"loading": 5, "building": 35, "solving": 50, "storing": 65}
# A run still queued after this long gets a hint that no worker may be running.
WORKER_HINT_SECONDS = 30


def start(actor: User | None, solver: str = "auto", queue: bool = True) -> tuple[JobRun, bool]:
    """Queue a matching run, or return the one queued or running already (then False).

    ``queue=False`` only reserves the run, for a caller that performs it itself (the command line).
    """
    run, created = runs.start(KIND, actor, {"solver": solver}, current_app.config["MATCHING_TIMEOUT_SECONDS"])
    if created and queue:
        defer(matching_run, run.id)
    db.session.commit()
    return run, created


def latest_id() -> int | None:
    latest = runs.latest(KIND)
    return latest.id if latest else None


@task(timeout=1800)  # RQ stops a run after this; MATCHING_TIMEOUT_SECONDS then lets the next one start
def matching_run(run_id: int) -> str:
    """Perform a queued run; a failure is recorded on the run and changes nothing else."""
    run = runs.begin(run_id)
    if run is None:
        return "skipped"
    try:
        with runs.tracking(run_id, PERCENT_AT):
            match_run = run_matching(run.started_by, solver=run.settings.get("solver", "auto"))
    except matching.ProblemError as error:
        db.session.rollback()
        log.exception("matching run %s: the engine refused the problem", run_id)
        runs.fail(run_id, "engine_refused", field=error.path)
        return "failed"
    except Exception:
        db.session.rollback()
        log.exception("matching run %s failed", run_id)
        runs.fail(run_id, "unexpected")
        return "failed"
    metrics = match_run.metrics
    runs.finish(
        run_id,
        {"match_run": match_run.id, "proposed": metrics["proposed"], "unmatched": metrics["unmatched"]},
    )
    return "finished"


def _stage_labels() -> dict[str, str]:
    return {
        "": _("Waiting for a worker"),
        "loading": _("Loading everyone who can be matched"),
        "building": _("Preparing the data for the engine"),
        "solving": _("Finding the best pairs"),
        "storing": _("Storing the proposals"),
    }


def _error_text(run: JobRun) -> str:
    if run.error == "engine_refused":
        return _(
            "The matching engine refused the data (at %(field)s). Nothing was changed. Please tell your administrator.",
            field=run.result.get("field", "?"),
        )
    if run.error == "timed_out":
        return _("The run did not finish; perhaps its worker stopped. Nothing was changed. Please start it again.")
    return _(
        "An unexpected error stopped the run. Nothing was changed. Please tell your administrator (run %(id)d).",
        id=run.id,
    )


def view(run: JobRun) -> dict:
    """The run as the progress page and its script show it, in the viewer's language."""
    end = run.finished_at or utcnow()
    elapsed = (end - (run.started_at or run.created_at)).total_seconds()
    if run.status == JobStatus.FINISHED:
        text = _(
            "Matching finished: %(proposed)d proposals, %(unmatched)d people without a match.",
            proposed=run.result.get("proposed", 0),
            unmatched=run.result.get("unmatched", 0),
        )
    elif run.status == JobStatus.FAILED:
        text = _error_text(run)
    else:
        text = _stage_labels().get(run.stage, run.stage)
    waiting = run.status == JobStatus.QUEUED and (utcnow() - run.created_at).total_seconds() > WORKER_HINT_SECONDS
    return {
        "status": str(run.status),
        "active": run.active,
        "stage": run.stage,
        "percent": run.percent,
        "elapsed_seconds": round(elapsed),
        "elapsed": _("Elapsed time: %(time)s", time=f"{int(elapsed) // 60}:{int(elapsed) % 60:02d}"),
        "text": text,
        "hint": _("No worker has taken the run yet. If this stays so, the job worker is not running.")
        if waiting
        else "",
    }
