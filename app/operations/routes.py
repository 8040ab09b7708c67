"""Admins see what failed in the background (messages, runs, queued jobs) and send it again."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.access import admin_required
from app.forms import ButtonForm
from app.jobs import queue
from app.jobs import services as runs
from app.models import JobStatus
from app.operations.daily import KIND as DAILY
from app.outbox import services as outbox

bp = Blueprint("jobs", __name__)


@bp.route("/")
@admin_required
def index():
    return render_template(
        "jobs/index.html",
        counts=outbox.counts(),
        messages=outbox.failed_messages(),
        runs=runs.failed_runs(),
        failed_jobs=queue.failed_jobs(),
        last_daily=runs.latest(DAILY, JobStatus.FINISHED),
        redis=queue.rq_queue() is not None,
        form=ButtonForm(),
    )


@bp.route("/messages/<int:message_id>/retry", methods=["POST"])
@admin_required
def retry_message(message_id: int):
    if ButtonForm().validate_on_submit():
        if outbox.retry(message_id):
            flash(_("The message is queued again."), "success")
        else:
            flash(_("This message is not failed (any more)."), "error")
    return redirect(url_for("jobs.index"))


@bp.route("/queue/<job_id>/retry", methods=["POST"])
@admin_required
def retry_job(job_id: str):
    if ButtonForm().validate_on_submit():
        if queue.retry_failed_job(job_id):
            flash(_("The job is queued again."), "success")
        else:
            flash(_("This job is not failed (any more)."), "error")
    return redirect(url_for("jobs.index"))
