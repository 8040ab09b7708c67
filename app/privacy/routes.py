"""The privacy pages: a person's own data and erasure request, and coordination's side of both."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access import coordinator_required, policy_required
from app.consents import consent_texts
from app.errors import DomainError
from app.privacy import services
from app.privacy.forms import EraseForm, ErasureRequestForm, KeepAccountForm, WithdrawErasureForm

bp = Blueprint("privacy", __name__)


def _me():
    return current_user._get_current_object()


def _json_file(data: dict, name: str) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.route("/me/data")
@login_required
def mine():
    user = _me()
    return render_template(
        "privacy/mine.html",
        page=services.data_page(user),
        texts=consent_texts(user.role),
        own=True,
        due_on=services.erasure_due_on(user),
        warned=services.erasure_warning_pending(user),
        request_form=ErasureRequestForm(),
        withdraw_form=WithdrawErasureForm(),
        keep_form=KeepAccountForm(),
    )


@bp.route("/me/data.json")
@login_required
def mine_json():
    return _json_file(services.person_data(_me()), "my-data.json")


@bp.route("/me/erasure", methods=["POST"])
@login_required
def request_erasure():
    form = ErasureRequestForm()
    if not form.validate_on_submit():
        flash(_("Please tick the box to confirm."), "error")
        return redirect(url_for("privacy.mine"))
    try:
        services.request_erasure(_me())
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("We have your request. Your data will be deleted. You can still change your mind here."), "success")
    return redirect(url_for("privacy.mine"))


@bp.route("/me/erasure/withdraw", methods=["POST"])
@login_required
def withdraw_erasure():
    if WithdrawErasureForm().validate_on_submit():
        try:
            services.withdraw_erasure_request(_me())
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("Your data stays. We will not delete it."), "success")
    return redirect(url_for("privacy.mine"))


@bp.route("/me/keep", methods=["POST"])
@login_required
def keep():
    if KeepAccountForm().validate_on_submit():
        services.keep_account(_me())
        flash(_("Thank you. Your account stays."), "success")
    return redirect(url_for("privacy.mine"))


# Coordination: the open requests, a person's data on their request, erasure.


@bp.route("/people/erasure-requests")
@policy_required("see_erasure_requests")
def requests():
    return render_template(
        "privacy/requests.html", people=services.open_requests(_me()), due_on=services.erasure_due_on
    )


def _person_or_404(user_id: int, action: str):
    return services.person_for(_me(), user_id, action) or abort(404)


@bp.route("/people/<int:user_id>/data")
@coordinator_required
def person(user_id: int):
    person = _person_or_404(user_id, "export_data")
    services.export_for(person, _me())
    return render_template(
        "privacy/mine.html",
        page=services.data_page(person),
        texts=consent_texts(person.role),
        own=False,
        due_on=services.erasure_due_on(person),
        warned=False,
        erase_form=EraseForm(),
    )


@bp.route("/people/<int:user_id>/data.json")
@coordinator_required
def person_json(user_id: int):
    person = _person_or_404(user_id, "export_data")
    return _json_file(services.export_for(person, _me()), f"person-{person.id}-data.json")


@bp.route("/people/<int:user_id>/erase", methods=["POST"])
@coordinator_required
def erase(user_id: int):
    person = _person_or_404(user_id, "erase")
    form = EraseForm()
    if not form.validate_on_submit():
        flash(_("Please tick the box to confirm."), "error")
        return redirect(url_for("privacy.person", user_id=person.id))
    services.erase(person, actor=_me(), reason="by_coordination")
    flash(_("The person's data has been erased."), "success")
    return redirect(url_for("privacy.requests"))
