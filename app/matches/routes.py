"""Coordinators run the matching engine and decide on its proposals."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import policies
from app.access import coordinator_required
from app.agreements import services as agreements
from app.filters import activity_options, language_options, place_options, read_filters
from app.forms import ButtonForm
from app.jobs.services import active_run
from app.languages import language_names
from app.matches import services
from app.matches.explain import unmatched_hint
from app.matches.forms import ProposalFilterForm, RejectForm, SwapForm
from app.matches.progress import view as progress_view
from app.models import JobRun, JobStatus, Proposal
from app.volunteers import services as volunteer_services

bp = Blueprint("matches", __name__)


def _filter_form() -> ProposalFilterForm:
    form = ProposalFilterForm(request.args)
    form.locality.choices = place_options()
    form.need.choices = activity_options(_("any need"))
    form.language.choices = language_options(language_names(str(get_locale())))
    return form


@bp.route("/")
@coordinator_required
def index():
    user = current_user._get_current_object()
    run = services.latest_run(user)
    form = _filter_form()
    filters = read_filters(form, services.ProposalFilters)
    proposals = services.open_proposals(user, filters)
    unmatched = services.unmatched_of(run, user) if run else []
    alternative_ids = {alt["volunteer"] for p in proposals for alt in p.alternatives}
    return render_template(
        "matches/index.html",
        run=run,
        running=active_run(services.MATCHING_JOB),
        form=form,
        proposals=proposals,
        unmatched=unmatched,
        alternatives=volunteer_services.volunteers_by_id(alternative_ids),
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
    try:
        job, created = services.start_run(current_user._get_current_object())
    except services.MatchingError as error:
        flash(str(error), "error")
        return redirect(url_for("matches.index"))
    if not created:
        flash(_("A matching run is in progress already; here it is."), "info")
    return redirect(url_for("matches.progress", run_id=job.id))


def _job_run(run_id: int) -> JobRun:
    job = services.matching_job_run(run_id)
    if job is None:
        abort(404)
    return job


@bp.route("/runs/<int:run_id>")
@coordinator_required
def progress(run_id: int):
    job = _job_run(run_id)
    view = progress_view(job)
    if job.status == JobStatus.FINISHED and job.id == services.latest_job_run_id():
        flash(view["text"], "success")  # the run is done: on to its proposals
        return redirect(url_for("matches.index"))
    return render_template("matches/progress.html", job=job, view=view)


@bp.route("/runs/<int:run_id>.json")
@coordinator_required
def progress_data(run_id: int):
    """What the page's script shows while the run goes on."""
    return jsonify(progress_view(_job_run(run_id)))


def _in_scope_or_404(proposal_id: int) -> None:
    """A proposal outside the coordinator's scope does not exist for them, whatever the form says."""
    if policies.record_for(current_user._get_current_object(), "view", Proposal, proposal_id) is None:
        abort(404)


def _decide(proposal_id: int, action):
    try:
        proposal = services.open_proposal(proposal_id, current_user._get_current_object())
        if proposal is None:
            abort(404)
        return action(proposal)
    except (services.ProposalError, agreements.AgreementError) as error:
        flash(str(error), "error")
        return redirect(url_for("matches.index"))


@bp.route("/proposals/<int:proposal_id>/accept", methods=["POST"])
@coordinator_required
def accept(proposal_id: int):
    _in_scope_or_404(proposal_id)
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
    _in_scope_or_404(proposal_id)
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
    _in_scope_or_404(proposal_id)
    form = SwapForm()
    if not form.validate_on_submit():
        return redirect(url_for("matches.index"))

    def swapped(proposal):
        services.swap(proposal, form.volunteer.data, current_user._get_current_object())
        flash(_("The alternative is now the proposal."), "success")
        return redirect(url_for("matches.index"))

    return _decide(proposal_id, swapped)
