"""Sponsorship agreements: the parties answer, coordinators approve, run and end them; documents to print."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policies
from app.access import coordinator_required
from app.agreements import services
from app.agreements.forms import AgreementListForm, CheckInForm, PickForm, ReasonForm, TermsForm
from app.extensions import db
from app.filters import list_page
from app.forms import ButtonForm, options
from app.models import Agreement, AgreementStatus, HelpCategory, VolunteerProfile
from app.reference_data import active_categories
from app.volunteers import services as volunteer_services

bp = Blueprint("agreements", __name__)

AGREEMENT_STATUS_LABELS = {
    AgreementStatus.DRAFT: lambda: _("draft"),
    AgreementStatus.CONFIRMED: lambda: _("confirmed"),
    AgreementStatus.ACTIVE: lambda: _("active"),
    AgreementStatus.ENDED: lambda: _("ended"),
    AgreementStatus.CANCELLED: lambda: _("cancelled"),
}


def agreement_status(status: str) -> str:
    return AGREEMENT_STATUS_LABELS[AgreementStatus(status)]()


def _agreement(agreement_id: int, *loads) -> Agreement:
    """The agreement (with ``loads``, loader options), for coordination of its refugee's area and for its
    own parties only.

    Outside a coordinator's scope it does not exist (404); anyone else is refused (403).
    """
    agreement = db.session.get(Agreement, agreement_id, options=loads) or abort(404)
    if policies.can(current_user, "view", agreement):
        return agreement
    abort(404 if current_user.is_coordinator else 403)


def _back(agreement: Agreement):
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))


def _run(agreement: Agreement, action, success: str):
    try:
        action()
    except services.AgreementError as error:
        flash(str(error), "error")
    else:
        flash(success, "success")
    return _back(agreement)


def _terms_form(agreement: Agreement) -> TermsForm:
    form = TermsForm(obj=agreement) if request.method == "GET" else TermsForm()
    locale = str(get_locale())
    form.focus.choices = options((c.key, c.label(locale)) for c in active_categories())
    candidates = services.second_volunteer_options(agreement, current_user._get_current_object())
    form.second_volunteer.choices = options([("", _("nobody"))] + candidates)
    if request.method == "GET":
        form.focus.data = [c.key for c in agreement.focus]
        form.second_volunteer.data = str(agreement.second_volunteer_id or "")
    return form


@bp.route("/")
@coordinator_required
def index():
    form = AgreementListForm(request.args)
    status = form.status.data if form.validate() else ""
    page = list_page(services.agreement_list(current_user._get_current_object(), status))
    return render_template(
        "agreements/index.html", page=page, form=form, status=status, inactive=services.inactive_among(page.items)
    )


@bp.route("/mine")
@login_required
def mine():
    profile = current_user.refugee_profile or current_user.volunteer_profile
    if profile is None:
        abort(403)
    return render_template(
        "agreements/mine.html", agreements=services.agreements_of(current_user._get_current_object())
    )


@bp.route("/<int:agreement_id>")
@login_required
def detail(agreement_id: int):
    agreement = _agreement(agreement_id, *services.DETAIL_LOADS)
    party = services.party_of(agreement, current_user)
    alternatives = agreement.proposal.alternatives if agreement.proposal else []
    found = volunteer_services.volunteers_by_id(alt["volunteer"] for alt in alternatives)
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        party=party,
        # Only a draft's terms can be edited: no other page needs the volunteers to choose from.
        terms_form=_terms_form(agreement) if policies.can(current_user, "edit_terms", agreement) else None,
        button=ButtonForm(),
        reason_form=ReasonForm(),
        pick_form=PickForm(),
        check_in_form=CheckInForm(),
        alternatives=[(alt, found.get(alt["volunteer"])) for alt in alternatives],
        last_check_in=services.last_sign_of_life(agreement),
    )


@bp.route("/<int:agreement_id>/terms", methods=["POST"])
@coordinator_required
def terms(agreement_id: int):
    agreement = _agreement(agreement_id)
    form = _terms_form(agreement)
    if not form.validate_on_submit():
        for field in form:
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
        return _back(agreement)
    data = {
        **form.data,
        "focus": list(db.session.scalars(select(HelpCategory).where(HelpCategory.key.in_(form.focus.data)))),
        "second_volunteer": db.session.get(VolunteerProfile, int(form.second_volunteer.data))
        if form.second_volunteer.data
        else None,
    }
    return _run(
        agreement,
        lambda: services.update_terms(agreement, data, current_user._get_current_object()),
        _("The terms are saved."),
    )


@bp.route("/<int:agreement_id>/agree", methods=["POST"])
@login_required
def agree(agreement_id: int):
    agreement = _agreement(agreement_id)
    if not ButtonForm().validate_on_submit():
        return _back(agreement)
    return _run(
        agreement,
        lambda: services.agree(agreement, current_user._get_current_object()),
        _("Thank you! Your agreement is recorded."),
    )


@bp.route("/<int:agreement_id>/decline", methods=["POST"])
@login_required
def decline(agreement_id: int):
    agreement = _agreement(agreement_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason."), "error")
        return _back(agreement)
    return _run(
        agreement,
        lambda: services.decline(agreement, current_user._get_current_object(), form.reason.data),
        _("Your answer is recorded. The coordination office will look for someone else."),
    )


@bp.route("/<int:agreement_id>/pick", methods=["POST"])
@login_required
def pick(agreement_id: int):
    agreement = _agreement(agreement_id)
    form = PickForm()
    if not form.validate_on_submit():
        return _back(agreement)
    try:
        replacement = services.pick_alternative(agreement, current_user._get_current_object(), form.volunteer.data)
    except services.AgreementError as error:
        flash(str(error), "error")
        return _back(agreement)
    flash(_("Your choice is recorded. We ask this person now."), "success")
    return _back(replacement)


@bp.route("/<int:agreement_id>/approve", methods=["POST"])
@coordinator_required
def approve(agreement_id: int):
    agreement = _agreement(agreement_id)
    if not ButtonForm().validate_on_submit():
        return _back(agreement)
    return _run(
        agreement,
        lambda: services.approve(agreement, current_user._get_current_object()),
        _("The sponsorship is confirmed."),
    )


@bp.route("/<int:agreement_id>/<any(end, cancel):action>", methods=["POST"])
@coordinator_required
def close(agreement_id: int, action: str):
    agreement = _agreement(agreement_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason."), "error")
        return _back(agreement)
    change = services.end if action == "end" else services.cancel
    return _run(agreement, lambda: change(agreement, form.reason.data, current_user._get_current_object()), _("Saved."))


@bp.route("/<int:agreement_id>/renew", methods=["POST"])
@coordinator_required
def renew(agreement_id: int):
    agreement = _agreement(agreement_id)
    if not ButtonForm().validate_on_submit():
        return _back(agreement)
    try:
        renewal = services.renew(agreement, current_user._get_current_object())
    except services.AgreementError as error:
        flash(str(error), "error")
        return _back(agreement)
    flash(_("A renewal was drafted; both sides are asked again."), "success")
    return _back(renewal)


@bp.route("/<int:agreement_id>/check-in", methods=["POST"])
@login_required
def check_in(agreement_id: int):
    agreement = _agreement(agreement_id)
    if not (
        current_user.is_coordinator or services.party_of(agreement, current_user) in ("volunteer", "second_volunteer")
    ):
        abort(403)
    form = CheckInForm()
    if not form.validate_on_submit():
        flash(_("Please give the date of the meeting."), "error")
        return _back(agreement)
    return _run(
        agreement,
        lambda: services.add_check_in(
            agreement, current_user._get_current_object(), form.happened_on.data, form.note.data or ""
        ),
        _("Thank you! The check-in is saved."),
    )


def _bilingual(agreement: Agreement, template: str) -> list[tuple[str, str]]:
    """The document's body in German and in the refugee's language: (language, html) pairs."""
    parts = []
    for language in services.document_languages(agreement):
        with force_locale(language):
            parts.append((language, render_template(template, agreement=agreement)))
    return parts


def _printed(agreement: Agreement, title: str, body: str, parties: bool):
    return render_template(
        "agreements/print.html",
        agreement=agreement,
        title=title,
        parts=_bilingual(agreement, body),
        organisation=services.issuer(agreement),
        issuer=services.issuer_name(agreement),
        signatories=services.signatories(agreement, parties=parties),
        today=date.today(),
    )


@bp.route("/<int:agreement_id>/document")
@login_required
def document(agreement_id: int):
    agreement = _agreement(agreement_id)
    return _printed(agreement, _("Sponsorship agreement"), "agreements/_agreement_body.html", parties=True)


@bp.route("/<int:agreement_id>/certificate")
@login_required
def certificate(agreement_id: int):
    """A thank-you from the issuing organisation: coordination signs it alone."""
    agreement = _agreement(agreement_id)
    if agreement.status not in (AgreementStatus.ACTIVE, AgreementStatus.ENDED):
        flash(_("A certificate is given for a sponsorship that has started."), "error")
        return _back(agreement)
    return _printed(agreement, _("Certificate of thanks"), "agreements/_certificate_body.html", parties=False)
