"""Registration, login, logout and password reset."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.access import role_required
from app.auth import services
from app.auth.forms import (
    ConfirmEmailForm,
    LoginCodeForm,
    LoginForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RegistrationForm,
    SmsCodeRequestForm,
    SmsCodeResetForm,
    consent_form,
)
from app.consents import consent_texts, has_consent
from app.models import ConsentPurpose, Role
from app.navigation import home_url, safe_next_url
from app.security.limits import login_limit, registration_limit, reset_limit
from app.security.throttle import Throttled
from app.two_factor import services as two_factor

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
@registration_limit
def register():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = RegistrationForm()
    if form.validate_on_submit():
        consents = {
            ConsentPurpose.MATCHING: form.consent_matching.data,
            ConsentPurpose.CONTACT_LISTS: form.consent_contact_lists.data,
            ConsentPurpose.EMAIL_CONTACT: form.consent_email_contact.data,
        }
        services.register_volunteer(
            form.full_name.data, form.email.data, form.password.data, consents, str(get_locale())
        )
        # The same answer whether or not the address has an account: the mail tells its owner.
        flash(
            _(
                "Thank you! We have sent an e-mail to the address you gave. "
                "Please open the link in it to finish your registration."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    user = services.user_for_confirmation_token(token)
    if user is None:
        flash(_("This link is invalid, has expired or was used already. Please log in, or register again."), "error")
        return redirect(url_for("auth.login"))
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        try:
            services.confirm_email(user, form.password.data)
        except Throttled as wait:
            form.password.errors.append(wait.message)
        except services.WrongPassword:
            form.password.errors.append(_("This is not the password of the account."))
        except services.EmailTaken:
            flash(_("This address belongs to another account already. Please log in with it."), "error")
            return redirect(url_for("auth.login"))
        else:
            logout_user()
            if two_factor.is_enrolled(user):
                two_factor.begin_login(user, remember=False, next_url=None)
                return redirect(url_for("auth.login_code"))
            login_user(user)
            services.record_login(user)
            if user.role == Role.VOLUNTEER:
                flash(_("Welcome! Please tell us now what you can give."), "success")
                return redirect(url_for("volunteers.questionnaire", step=1))
            flash(_("Your e-mail address is confirmed."), "success")
            return redirect(home_url(user))
    return render_template("auth/confirm_email.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@login_limit
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data, form.password.data)
        except Throttled as wait:
            flash(wait.message, "error")
            return render_template("auth/login.html", form=form), 429
        except services.NotConfirmed as waiting:
            services.send_confirmation(waiting.user)
            flash(_("Please confirm your e-mail address first: we have sent you a new link."), "info")
            return redirect(url_for("auth.login"))
        if user is None:
            flash(_("The login details or the password are wrong."), "error")
        elif two_factor.is_enrolled(user):
            two_factor.begin_login(user, form.remember.data, safe_next_url(request.args.get("next")))
            return redirect(url_for("auth.login_code"))
        else:
            login_user(user, remember=form.remember.data)
            services.record_login(user)
            return redirect(safe_next_url(request.args.get("next")) or home_url(user))
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@login_limit
def login_code():
    """The second step of a staff login with two-factor authentication: the code after the password."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    pending = two_factor.pending_login()
    if pending is None:
        two_factor.end_pending_login()
        flash(_("Please log in with your password first."), "info")
        return redirect(url_for("auth.login"))
    form = LoginCodeForm()
    if form.validate_on_submit():
        try:
            two_factor.verify(pending.user, form.code.data)
        except Throttled as wait:
            flash(wait.message, "error")
            return render_template("auth/login_code.html", form=form), 429
        except two_factor.WrongCode as error:
            form.code.errors.append(str(error))
        else:
            two_factor.end_pending_login()
            login_user(pending.user, remember=pending.remember)
            services.record_login(pending.user)
            return redirect(pending.next_url or home_url(pending.user))
    return render_template("auth/login_code.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    services.log_out_everywhere(current_user._get_current_object())
    logout_user()
    flash(_("You are logged out on all your devices."), "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
@reset_limit
def reset_request():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        flash(_("If an account with this address exists, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/sms", methods=["GET", "POST"])
@reset_limit
def reset_by_sms():
    """People without e-mail get a code by SMS; without a phone, coordination prints a new slip."""
    form = SmsCodeRequestForm()
    if form.validate_on_submit():
        services.send_reset_code(form.phone.data)
        session["reset_phone"] = form.phone.data
        # The same answer whether or not the number has an account.
        flash(_("If an account has this phone number, we have sent it a code by SMS."), "info")
        return redirect(url_for("auth.reset_with_code"))
    return render_template("auth/reset_sms.html", form=form)


@bp.route("/reset/code", methods=["GET", "POST"])
@login_limit
def reset_with_code():
    form = SmsCodeResetForm()
    if request.method == "GET":
        form.phone.data = session.get("reset_phone", "")
    if form.validate_on_submit():
        try:
            changed = services.reset_password_with_code(form.phone.data, form.code.data, form.password.data)
        except Throttled as wait:
            form.code.errors.append(wait.message)
        else:
            if changed:
                session.pop("reset_phone", None)
                flash(_("Your password has been changed. You can log in now."), "success")
                return redirect(url_for("auth.login"))
            form.code.errors.append(_("This code is wrong, has expired or was used already."))
    return render_template("auth/reset_code.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This link is invalid or has expired. Please ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = PasswordResetForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        flash(_("Your password has been changed. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/consents", methods=["GET", "POST"])
@role_required(Role.VOLUNTEER, Role.REFUGEE)
def consents():
    texts = consent_texts(current_user.role)
    form = consent_form(texts)()
    fields = {purpose: form[f"consent_{purpose}"] for purpose in texts}
    if form.validate_on_submit():
        services.update_consents(current_user, {purpose: field.data for purpose, field in fields.items()})
        flash(_("Your consents are saved."), "success")
        return redirect(home_url(current_user))
    if request.method == "GET":
        for purpose, field in fields.items():
            field.data = has_consent(current_user, purpose)
    return render_template("auth/consents.html", form=form, fields=fields, texts=texts)
