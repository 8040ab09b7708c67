"""Coordinators run the matching engine and decide on its proposals."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.agreements import services as agreements
from app.auth.decorators import coordinator_required
from app.filters import activity_options, language_options, place_options, read_filters
from app.forms import ButtonForm
from app.languages import language_names
from app.matches import services
from app.matches.explain import reason_text, unmatched_hint
from app.matches.forms import ProposalFilterForm, RejectForm, SwapForm

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
    if ButtonForm().validate_on_submit():
        result = services.run_matching(current_user._get_current_object())
        flash(
            _(
                "Matching finished: %(proposed)d proposals, %(unmatched)d people without a match.",
                proposed=result.metrics["proposed"],
                unmatched=result.metrics["unmatched"],
            ),
            "success",
        )
    return redirect(url_for("matches.index"))


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
        services.swap(proposal, form.volunteer.data, current_user._get_current_object())
        flash(_("The alternative is now the proposal."), "success")
        return redirect(url_for("matches.index"))

    return _decide(proposal_id, swapped)
