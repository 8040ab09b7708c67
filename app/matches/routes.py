"""Coordinators run the matching engine and decide on its proposals."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.agreements import services as agreements
from app.auth.decorators import coordinator_required
from app.extensions import db
from app.filters import activity_options, language_options, place_options, read_filters
from app.forms import ButtonForm
from app.jobs.services import active_run
from app.languages import language_names
from app.matches import jobs, services
from app.matches.explain import reason_text, unmatched_hint
from app.matches.forms import ProposalFilterForm, RejectForm, SwapForm
from app.models import JobRun, JobStatus

bp = Blueprint("matches", __name__)

PROPOSAL_MESSAGES = {
    "decided": lambda: _("This proposal was decided already (perhaps in another window). Nothing was changed."),
    "not_alternative": lambda: _("This volunteer is not among the alternatives of the proposal."),
    "refugee_taken": lambda: _("This person already has a sponsorship or one being agreed."),
}


@bp.app_template_global()
def explain(reason: dict) -> str:
    return reason_text(reason)


def _filter_form() -> ProposalFilterForm:
    form = ProposalFilterForm(request.args)
    form.locality.choices = place_options()
    form.need.choices = activity_options(_("any need"))
    form.language.choices = language_options(language_names(str(get_locale())))
    return form


@bp.route("/")
@coordinator_required
def index():
    run = services.latest_run()
    form = _filter_form()
    filters = read_filters(form, services.ProposalFilters)
    proposals = services.open_proposals(run, filters) if run else []
    unmatched = services.unmatched_of(run) if run else []
    alternative_ids = {alt["volunteer"] for p in proposals for alt in p.alternatives}
    return render_template(
        "matches/index.html",
        run=run,
        running=active_run(jobs.KIND),
        form=form,
        proposals=proposals,
        unmatched=unmatched,
        alternatives=services.volunteers_by_id(alternative_ids),
        hint=unmatched_hint,
        run_form=ButtonForm(),
        decision_form=ButtonForm(),
        reject_form=RejectForm(),
        swap_form=SwapForm(),
    )


@bp.route("/run", methods=["POST"])
@coordinator_required
def run():
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("matches.index"))
    job, created = jobs.start(current_user._get_current_object())
    if not created:
        flash(_("A matching run is in progress already; here it is."), "info")
    return redirect(url_for("matches.progress", run_id=job.id))


def _job_run(run_id: int):
    job = db.get_or_404(JobRun, run_id)
    if job.kind != jobs.KIND:
        abort(404)
    return job


@bp.route("/runs/<int:run_id>")
@coordinator_required
def progress(run_id: int):
    job = _job_run(run_id)
    view = jobs.view(job)
    if job.status == JobStatus.FINISHED and job.id == jobs.latest_id():
        flash(view["text"], "success")  # the run is done: on to its proposals
        return redirect(url_for("matches.index"))
    return render_template("matches/progress.html", job=job, view=view)


@bp.route("/runs/<int:run_id>.json")
@coordinator_required
def progress_data(run_id: int):
    """What the page's script shows while the run goes on."""
    return jsonify(jobs.view(_job_run(run_id)))


def _decide(proposal_id: int, action):
    try:
        proposal = services.open_proposal(proposal_id)
        return action(proposal)
    except (services.ProposalError, agreements.AgreementError) as error:
        flash(PROPOSAL_MESSAGES[str(error)](), "error")
        return redirect(url_for("matches.index"))


@bp.route("/proposals/<int:proposal_id>/accept", methods=["POST"])
@coordinator_required
def accept(proposal_id: int):
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("matches.index"))

    def accepted(proposal):
        agreement = agreements.draft_from_proposal(proposal, current_user._get_current_object())
        flash(_("Accepted. A draft agreement was made; both sides are asked to agree."), "success")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))

    return _decide(proposal_id, accepted)


@bp.route("/proposals/<int:proposal_id>/reject", methods=["POST"])
@coordinator_required
def reject(proposal_id: int):
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Please give a short reason; it helps the next run."), "error")
        return redirect(url_for("matches.index"))

    def rejected(proposal):
        services.reject(proposal, form.note.data, current_user._get_current_object())
        flash(_("Rejected. This pair will not be proposed again."), "success")
        return redirect(url_for("matches.index"))

    return _decide(proposal_id, rejected)


@bp.route("/proposals/<int:proposal_id>/swap", methods=["POST"])
@coordinator_required
def swap(proposal_id: int):
    form = SwapForm()
    if not form.validate_on_submit():
        return redirect(url_for("matches.index"))

    def swapped(proposal):
        services.swap(proposal, int(form.volunteer.data), current_user._get_current_object())
        flash(_("The alternative is now the proposal."), "success")
        return redirect(url_for("matches.index"))

    return _decide(proposal_id, swapped)
