"""Volunteers: the questionnaire and self-service, and the coordinators' list and detail pages."""

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import coordinator_required, volunteer_required
from app.consents import has_consent
from app.filters import filter_form, filtered_page
from app.forms import ButtonForm
from app.models import ConsentPurpose, VolunteerProfile
from app.questionnaire import answer_step
from app.volunteers import services
from app.volunteers.forms import (
    ClearanceCheckForm,
    PauseForm,
    VolunteerFilterForm,
    WithdrawForm,
)
from app.volunteers.steps import QUESTIONNAIRE

bp = Blueprint("volunteers", __name__)


def _own_profile() -> VolunteerProfile:
    return current_user.volunteer_profile


@bp.route("/questionnaire/<int:step>", methods=["GET", "POST"])
@volunteer_required
def questionnaire(step: int):
    return answer_step(QUESTIONNAIRE, step, _own_profile, url_for("volunteers.profile"))


@bp.route("/me")
@volunteer_required
def profile():
    profile = _own_profile()
    return render_template(
        "volunteers/profile.html",
        profile=profile,
        steps=QUESTIONNAIRE.steps,
        pause_form=PauseForm(),
        resume_form=ButtonForm(),
        withdraw_form=WithdrawForm(),
        consents={p: has_consent(current_user, p) for p in ConsentPurpose},
    )


@bp.route("/me/pause", methods=["POST"])
@volunteer_required
def pause():
    form = PauseForm()
    if form.validate_on_submit():
        services.pause(_own_profile(), form.paused_until.data)
        flash(_("You are paused. We will not propose anything to you until you resume."), "success")
    else:
        for message in form.paused_until.errors:
            flash(message, "error")
    return redirect(url_for("volunteers.profile"))


@bp.route("/me/resume", methods=["POST"])
@volunteer_required
def resume():
    if ButtonForm().validate_on_submit():
        services.resume(_own_profile())
        flash(_("Welcome back! You are active again."), "success")
    return redirect(url_for("volunteers.profile"))


@bp.route("/me/withdraw", methods=["POST"])
@volunteer_required
def withdraw():
    form = WithdrawForm()
    if form.validate_on_submit():
        services.withdraw(_own_profile())
        flash(
            _("You have stopped volunteering. Thank you for everything you did! You can come back at any time."),
            "success",
        )
    else:
        flash(_("Please tick the box to confirm."), "error")
    return redirect(url_for("volunteers.profile"))


@bp.route("/")
@coordinator_required
def index():
    form = filter_form(VolunteerFilterForm, services.spoken_languages(), "offer", _("any activity"))
    search = partial(services.volunteer_search, user=current_user._get_current_object())
    page = filtered_page(form, services.VolunteerFilters, search)
    return render_template("volunteers/index.html", form=form, page=page)


@bp.route("/<int:profile_id>")
@coordinator_required
def detail(profile_id: int):
    profile = services.profile_for_coordinator(profile_id, current_user._get_current_object()) or abort(404)
    return render_template(
        "volunteers/detail.html",
        profile=profile,
        clearance_form=ClearanceCheckForm(),
        consents={p: has_consent(profile.user, p) for p in ConsentPurpose},
    )


@bp.route("/<int:profile_id>/clearance", methods=["POST"])
@coordinator_required
def check_clearance(profile_id: int):
    profile = services.profile_in_scope(profile_id, current_user._get_current_object(), "check_clearance")
    if profile is None:
        abort(404)
    form = ClearanceCheckForm()
    if form.validate_on_submit():
        services.record_clearance_check(profile, form.issued_on.data, current_user._get_current_object())
        flash(_("The police clearance is marked as checked."), "success")
    else:
        for message in form.issued_on.errors:
            flash(message, "error")
    return redirect(url_for("volunteers.detail", profile_id=profile.id))
