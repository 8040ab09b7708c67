"""Refugee registration: on one's own phone, or by coordination on a person's behalf."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app import policies
from app.access import coordinator_required, role_required
from app.agreements import services as agreements
from app.forms import options
from app.i18n import native_name, offered_languages
from app.intake import services
from app.intake.forms import AccessCodeForm, AccountForm, AssistedIntakeForm
from app.intake.steps import REGISTRATION
from app.models import RefugeeProfile, Role
from app.navigation import home_url
from app.qr import qr_svg
from app.questionnaire import answer_step
from app.security.limits import login_limit, registration_limit
from app.security.links import public_url_for
from app.taxonomy import SHIPPED_LABELS

bp = Blueprint("intake", __name__)
# Every shipped help category has its own symbol in static/icons.svg.
CATEGORY_ICONS = frozenset(SHIPPED_LABELS)


def category_icon(key: str) -> str:
    """The icon of a help category; categories added later share a neutral one."""
    return key if key in CATEGORY_ICONS else "activity"


@bp.route("/")
def welcome():
    """The first page: every language by its own name, large enough for a thumb."""
    if current_user.is_authenticated and current_user.role == Role.REFUGEE:
        return redirect(url_for("intake.profile"))
    return render_template("intake/welcome.html", languages=[(code, native_name(code)) for code in offered_languages()])


@bp.route("/account", methods=["GET", "POST"])
@registration_limit
def account():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = AccountForm()
    if form.validate_on_submit():
        user = services.register_self(
            form.full_name.data,
            form.phone.normalised,
            form.username.data or None,
            form.email.data or None,
            form.password.data,
            str(get_locale()),
        )
        login_user(user)
        if form.email.data:
            flash(_("We have sent you an e-mail. Open the link in it to log in with your e-mail address."), "info")
        return redirect(url_for("intake.step", step=1))
    return render_template("intake/account.html", form=form)


@bp.route("/assisted", methods=["GET", "POST"])
@coordinator_required
def assisted():
    form = AssistedIntakeForm()
    form.language.choices = options((code, native_name(code)) for code in offered_languages())
    if form.validate_on_submit():
        try:
            profile = services.register_on_behalf(
                form.full_name.data, form.phone.normalised, form.language.data, current_user._get_current_object()
            )
        except services.AccountTaken as taken:
            form[taken.field].errors.append(str(taken))
        else:
            return redirect(url_for("intake.step", profile_id=profile.id, step=1))
    return render_template("intake/assisted.html", form=form)


def _profile_to_edit(profile_id: int | None) -> RefugeeProfile:
    """Refugees edit their own record; coordinators any record, named in the URL."""
    if profile_id is None:
        if current_user.role != Role.REFUGEE:
            abort(403)
        return current_user.refugee_profile
    if not current_user.is_coordinator:
        abort(403)
    return policies.record_for(current_user._get_current_object(), "edit", RefugeeProfile, profile_id) or abort(404)


@bp.route("/step/<int:step>", methods=["GET", "POST"], defaults={"profile_id": None})
@bp.route("/<int:profile_id>/step/<int:step>", methods=["GET", "POST"])
@role_required(Role.REFUGEE, Role.COORDINATOR, Role.ADMIN)
def step(step: int, profile_id: int | None):
    done_url = url_for("refugees.detail", profile_id=profile_id) if profile_id else url_for("intake.profile")
    return answer_step(REGISTRATION, step, lambda: _profile_to_edit(profile_id), done_url)


@bp.route("/me")
@role_required(Role.REFUGEE)
def profile():
    waiting, under_way = agreements.standing_of(current_user)
    return render_template(
        "intake/profile.html",
        profile=current_user.refugee_profile,
        steps=REGISTRATION.steps,
        waiting=waiting,
        under_way=under_way,
    )


@bp.route("/<int:profile_id>/slip", methods=["POST"])
@coordinator_required
def slip(profile_id: int):
    """A printable slip in the person's language with a new personal access code and its QR code."""
    user = current_user._get_current_object()
    profile = policies.record_for(user, "print_slip", RefugeeProfile, profile_id) or abort(404)
    code = services.issue_access_code(profile, current_user._get_current_object())
    # The code travels in the fragment (after #), which browsers never send to the server:
    # it cannot end up in an access log. A small script on the page fills it in.
    login_page = public_url_for("intake.code_login")
    slip_qr = qr_svg(public_url_for("intake.code_login", _anchor=code), title=login_page)
    language = profile.user.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        return render_template(
            "intake/slip.html",
            profile=profile,
            code=code,
            login_page=login_page,
            qr_svg=slip_qr,
            valid_until=services.access_code_expires(profile),
        )


@bp.route("/code", methods=["GET", "POST"])
@login_limit
def code_login():
    form = AccessCodeForm()
    if form.validate_on_submit():
        user = services.user_for_access_code(form.code.data)
        if user is None:
            form.code.errors.append(
                _("This code is not valid. Please check it, or ask the coordination office for a new slip.")
            )
        else:
            login_user(user)
            return redirect(home_url(user))  # the own record, or a pending erasure request first
    return render_template("intake/code_login.html", form=form)
