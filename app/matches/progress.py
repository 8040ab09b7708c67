"""A matching run as its progress page and the page's script show it, in the viewer's language."""

from flask_babel import gettext as _

from app.models import JobRun, JobStatus, utcnow

# A run still queued after this long gets a hint that no worker may be running.
WORKER_HINT_SECONDS = 30


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
