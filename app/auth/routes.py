"""Registration, login, logout and password reset."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.access import role_required
from app.auth import services
from app.auth.forms import LoginForm, PasswordResetForm, PasswordResetRequestForm, RegistrationForm, consent_form
from app.consents import consent_texts, has_consent
from app.extensions import limiter
from app.models import ConsentPurpose, Role
from app.navigation import home_url, safe_next_url

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
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
        try:
            user = services.register_volunteer(
                form.full_name.data, form.email.data, form.password.data, consents, str(get_locale())
            )
        except services.EmailTaken as taken:
            form.email.errors.append(str(taken))
        else:
            login_user(user)
            flash(_("Welcome! Please tell us now what you can give."), "success")
            return redirect(url_for("volunteers.questionnaire", step=1))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.identifier.data, form.password.data)
        if user is None:
            flash(_("The login details or the password are wrong."), "error")
        else:
            login_user(user, remember=form.remember.data)
            services.record_login(user)
            return redirect(safe_next_url(request.args.get("next")) or home_url(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(
            form.email.data, lambda token: url_for("auth.reset_password", token=token, _external=True)
        )
        flash(_("If an account with this address exists, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


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
