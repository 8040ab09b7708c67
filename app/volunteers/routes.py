"""Volunteers: the questionnaire and self-service, and the coordinators' list and detail pages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin.services import active_categories, all_localities
from app.auth.decorators import coordinator_required, volunteer_required
from app.consents import has_consent
from app.extensions import db
from app.filters import activity_options, language_options, list_page, place_options, read_filters
from app.forms import ButtonForm, LanguagesForm, language_rows, options
from app.languages import language_names
from app.models import ConsentPurpose, VolunteerProfile
from app.questionnaire import Step, step_to_show
from app.volunteers import services
from app.volunteers.forms import (
    CLEARANCE_LABELS,
    COMMITMENT_LABELS,
    RESILIENCE_LABELS,
    STATUS_LABELS,
    ClearanceCheckForm,
    GivingForm,
    MentoringForm,
    PauseForm,
    PersonalForm,
    VolunteerFilterForm,
    WithdrawForm,
)

bp = Blueprint("volunteers", __name__)


STEPS = {
    1: Step(_l("About you"), PersonalForm, "volunteers/step_personal.html"),
    2: Step(_l("Languages"), LanguagesForm, "volunteers/step_languages.html"),
    3: Step(_l("What you can give"), GivingForm, "volunteers/step_giving.html"),
    4: Step(_l("Accompanying people and your load"), MentoringForm, "volunteers/step_mentoring.html"),
}
SAVERS = {1: services.save_personal, 3: services.save_giving, 4: services.save_mentoring}


@bp.app_context_processor
def volunteer_labels() -> dict:
    """Labels of the volunteer questionnaire's choices, for every template that shows a volunteer."""
    return {
        "COMMITMENT_LABELS": COMMITMENT_LABELS,
        "RESILIENCE_LABELS": RESILIENCE_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "CLEARANCE_LABELS": CLEARANCE_LABELS,
        "clearance_status": services.clearance_status,
    }


def _own_profile() -> VolunteerProfile:
    return current_user.volunteer_profile


def _step_form(step: int, profile: VolunteerProfile):
    """The form of ``step``: filled from the request on POST, from the saved answers otherwise."""
    form_class = STEPS[step].form_class
    locale = str(get_locale())
    if request.method == "POST":
        form = form_class()
    elif step == 2:
        form = form_class(data={"languages": language_rows(profile.languages, locale)})
    else:
        form = form_class(data=services.step_data(profile, step))
    if step == 1:
        form.locality_id.choices = options(
            [("", _("Please choose"))] + [(loc.id, loc.name) for loc in all_localities()]
        )
    elif step == 3:
        form.offers.choices = options((c.key, c.label(locale)) for c in active_categories())
    return form


@bp.route("/questionnaire/<int:step>", methods=["GET", "POST"])
@volunteer_required
def questionnaire(step: int):
    if step not in STEPS:
        abort(404)
    profile = _own_profile()
    if step_to_show(step, profile.steps_done) != step:
        return redirect(url_for("volunteers.questionnaire", step=step_to_show(step, profile.steps_done)))
    form = _step_form(step, profile)
    if step == 2 and form.add_row.data:
        form.languages.append_entry()
    elif form.validate_on_submit():
        if step == 2:
            services.save_languages(profile, form.language_levels())
        else:
            SAVERS[step](profile, form.data)
        if step == len(STEPS) or request.args.get("edit"):
            flash(_("Thank you! Your answers are saved."), "success")
            return redirect(url_for("volunteers.profile"))
        return redirect(url_for("volunteers.questionnaire", step=step + 1))
    return render_template(
        STEPS[step].template,
        form=form,
        step=step,
        steps=STEPS,
        steps_done=profile.steps_done,
        step_url=lambda number: url_for("volunteers.questionnaire", step=number),
        language_options=language_names(str(get_locale())),
    )


@bp.route("/me")
@volunteer_required
def profile():
    profile = _own_profile()
    return render_template(
        "volunteers/profile.html",
        profile=profile,
        steps=STEPS,
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


def _filter_form() -> VolunteerFilterForm:
    form = VolunteerFilterForm(request.args)
    form.locality.choices = place_options()
    form.offer.choices = activity_options(_("any activity"))
    form.language.choices = language_options(services.spoken_languages())
    return form


@bp.route("/")
@coordinator_required
def index():
    form = _filter_form()
    page = list_page(services.volunteer_search(read_filters(form, services.VolunteerFilters)))
    return render_template("volunteers/index.html", form=form, page=page)


@bp.route("/<int:profile_id>")
@coordinator_required
def detail(profile_id: int):
    profile = services.profile_for_coordinator(profile_id)
    if profile is None:
        abort(404)
    return render_template(
        "volunteers/detail.html",
        profile=profile,
        clearance_form=ClearanceCheckForm(),
        consents={p: has_consent(profile.user, p) for p in ConsentPurpose},
    )


@bp.route("/<int:profile_id>/clearance", methods=["POST"])
@coordinator_required
def check_clearance(profile_id: int):
    profile = db.get_or_404(VolunteerProfile, profile_id)
    form = ClearanceCheckForm()
    if form.validate_on_submit():
        services.record_clearance_check(profile, form.issued_on.data, current_user._get_current_object())
        flash(_("The police clearance is marked as checked."), "success")
    else:
        for message in form.issued_on.errors:
            flash(message, "error")
    return redirect(url_for("volunteers.detail", profile_id=profile.id))
