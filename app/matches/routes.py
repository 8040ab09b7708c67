"""Coordinators run the matching engine and decide on its proposals."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.access import coordinator_required
from app.agreements import services as agreements
from app.filters import FilterForm, activity_options, language_options, list_page, place_options, read_filters
from app.forms import ButtonForm
from app.jobs.services import active_run
from app.languages import language_names
from app.matches import services
from app.matches.explain import unmatched_hint
from app.matches.forms import BatchDecisionForm, ProposalFilterForm, RejectForm, SwapForm
from app.matches.progress import view as progress_view
from app.models import JobRun, JobStatus
from app.volunteers import services as volunteer_services

bp = Blueprint("matches", __name__)


# The people without a match that the proposals page names; all of them are on a page of their own.
UNMATCHED_SHOWN = 10


def _filter_form() -> ProposalFilterForm:
    form = ProposalFilterForm(request.args)
    form.list_endpoint = "matches.index"
    form.locality.choices = place_options()
    form.need.choices = activity_options(_("any need"))
    form.language.choices = language_options(language_names(str(get_locale())))
    return form


def _back():
    """To the proposals with the filters and page the decision was made on (only the filter form's fields
    are taken from the query string)."""
    return redirect(ProposalFilterForm(request.args).url("matches.index"))


@bp.route("/")
@coordinator_required
def index():
    user = current_user._get_current_object()
    run = services.latest_run(user)
    form = _filter_form()
    page = list_page(services.open_proposals(user, read_filters(form, services.ProposalFilters)))
    if not page.items and page.page > 1 and page.pages:
        return redirect(form.page_url(page.pages))  # the last proposals of a page were decided
    unmatched, unmatched_total = (
        services.first_rows(services.unmatched_of(run, user), UNMATCHED_SHOWN) if run else ([], 0)
    )
    return render_template(
        "matches/index.html",
        run=run,
        running=active_run(services.MATCHING_JOB),
        form=form,
        page=page,
        unmatched=unmatched,
        unmatched_total=unmatched_total,
        hint=unmatched_hint,
        run_form=ButtonForm(),
        decision_form=ButtonForm(),
        reject_form=RejectForm(),
        batch_form=BatchDecisionForm(),
    )


@bp.route("/unmatched")
@coordinator_required
def unmatched():
    user = current_user._get_current_object()
    run = services.latest_run(user)
    if run is None:
        return redirect(url_for("matches.index"))
    page = list_page(services.unmatched_of(run, user))
    # A list without filters: the form only makes the page links.
    return render_template("matches/unmatched.html", run=run, page=page, pages=FilterForm(), hint=unmatched_hint)


@bp.route("/proposals/<int:proposal_id>/alternatives")
@coordinator_required
def alternatives(proposal_id: int):
    """The other fitting volunteers of one proposal: loaded when asked for, not for every proposal at once."""
    proposal = services.proposal_in_scope(proposal_id, current_user._get_current_object())
    if proposal is None:
        abort(404)
    found = volunteer_services.volunteers_by_id(alt["volunteer"] for alt in proposal.alternatives)
    return render_template(
        "matches/alternatives.html",
        proposal=proposal,
        alternatives=[(alt, found[alt["volunteer"]]) for alt in proposal.alternatives if alt["volunteer"] in found],
        swap_form=SwapForm(),
        kept=ProposalFilterForm(request.args),  # the proposals' filters and page, for the way back
    )


@bp.route("/proposals/decide", methods=["POST"])
@coordinator_required
def decide_many():
    """Accept or reject the selected proposals. An id outside the coordinator's scope answers 404 and
    nothing is decided; one that can no longer be decided is reported and the others are."""
    form = BatchDecisionForm()
    user = current_user._get_current_object()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.get("proposals", [])), _("Please select at least one proposal.")), "error")
        return _back()
    if not services.all_in_scope(form.proposals.data, user):
        abort(404)
    try:
        result = services.decide_many(form.proposals.data, bool(form.accept.data), form.note.data or "", user)
    except services.ProposalError as error:
        flash(str(error), "error")
        return _back()
    if result.done:
        done = (
            ngettext(
                "%(num)d proposal accepted; a draft agreement was made.",
                "%(num)d proposals accepted; draft agreements were made.",
                result.done,
            )
            if form.accept.data
            else ngettext("%(num)d proposal rejected.", "%(num)d proposals rejected.", result.done)
        )
        flash(done, "success")
    for proposal, why in result.refused:
        flash(
            _(
                "Not decided: %(refugee)s with %(volunteer)s. %(why)s",
                refugee=proposal.refugee.user.full_name,
                volunteer=proposal.volunteer.user.full_name,
                why=why,
            ),
            "error",
        )
    return _back()


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
    if services.proposal_in_scope(proposal_id, current_user._get_current_object()) is None:
        abort(404)


def _decide(proposal_id: int, action):
    try:
        proposal = services.open_proposal(proposal_id, current_user._get_current_object())
        if proposal is None:
            abort(404)
        return action(proposal)
    except (services.ProposalError, agreements.AgreementError) as error:
        flash(str(error), "error")
        return _back()


@bp.route("/proposals/<int:proposal_id>/accept", methods=["POST"])
@coordinator_required
def accept(proposal_id: int):
    _in_scope_or_404(proposal_id)
    if not ButtonForm().validate_on_submit():
        return _back()

    def accepted(proposal):
        # On to the new draft, where the coordinator goes on with it; decisions that leave nothing to do
        # (reject, swap, several at once) come back to the proposals as they were filtered.
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
        return _back()

    def rejected(proposal):
        services.reject(proposal, form.note.data, current_user._get_current_object())
        flash(_("Rejected. This pair will not be proposed again."), "success")
        return _back()

    return _decide(proposal_id, rejected)


@bp.route("/proposals/<int:proposal_id>/swap", methods=["POST"])
@coordinator_required
def swap(proposal_id: int):
    _in_scope_or_404(proposal_id)
    form = SwapForm()
    if not form.validate_on_submit():
        return _back()

    def swapped(proposal):
        services.swap(proposal, form.volunteer.data, current_user._get_current_object())
        flash(_("The alternative is now the proposal."), "success")
        return _back()

    return _decide(proposal_id, swapped)
