"""Enrolment in two-factor authentication, switching it off, and sending staff who must enrol there first."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.navigation import home_url
from app.qr import qr_svg
from app.security.throttle import Throttled
from app.two_factor import services
from app.two_factor.forms import DisableForm, EnrolForm

bp = Blueprint("two_factor", __name__)

# What an enforced staff member without a second factor may still open: enrolment, logging out,
# the language switch, health checks and static files.
OPEN_BEFORE_ENROLMENT = frozenset(
    {
        "static",
        "two_factor.setup",
        "auth.logout",
        "auth.logout_everywhere",
        "main.set_language",
        "health.alive",
        "health.ready",
    }
)


@bp.before_app_request
def send_to_enrolment():
    if request.endpoint in OPEN_BEFORE_ENROLMENT or not current_user.is_authenticated:
        return None
    if services.must_enrol(current_user):
        return redirect(url_for("two_factor.setup"))
    return None


def _staff_only() -> None:
    if not services.may_enrol(current_user):
        abort(403)


@bp.route("/", methods=["GET", "POST"])
@login_required
def setup():
    """Enrolment (QR code, secret, first code) or, once enrolled, the state and the way to switch it off."""
    _staff_only()
    user = current_user._get_current_object()
    if services.is_enrolled(user):
        return render_template(
            "two_factor/enrolled.html",
            form=DisableForm(),
            codes_left=services.recovery_codes_left(user),
            enforced=services.is_enforced(user),
        )
    factor = services.pending_enrolment(user)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = services.confirm_enrolment(user, form.code.data)
        except services.WrongCode as error:
            form.code.errors.append(str(error))
        else:
            login_user(user)  # this session goes on under the new session version; all others ended
            return render_template("two_factor/recovery_codes.html", codes=codes, home=home_url(user))
    uri = services.provisioning_uri(user, factor)
    return render_template(
        "two_factor/setup.html",
        form=form,
        qr_svg=qr_svg(uri, title=_("QR code for your authenticator app")),
        secret=" ".join(factor.secret[i : i + 4] for i in range(0, len(factor.secret), 4)),
        enforced=services.is_enforced(user),
    )


@bp.route("/disable", methods=["POST"])
@login_required
def disable():
    _staff_only()
    user = current_user._get_current_object()
    form = DisableForm()
    if not services.is_enrolled(user):
        return redirect(url_for("two_factor.setup"))
    if form.validate_on_submit():
        try:
            services.disable(user, form.code.data)
        except Throttled as wait:
            flash(wait.message, "error")
        except services.WrongCode as error:
            form.code.errors.append(str(error))
        else:
            login_user(user)
            flash(_("Two-factor authentication is off. You can set it up again below."), "info")
            return redirect(url_for("two_factor.setup"))
    return render_template(
        "two_factor/enrolled.html",
        form=form,
        codes_left=services.recovery_codes_left(user),
        enforced=services.is_enforced(user),
    ), 400
