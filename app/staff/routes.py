"""Staff management in the browser: organisations and areas (admins), invitations and access (admins and
organisation admins), and the invited person's page to open their account."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app import policies
from app.access import policy_required
from app.forms import ButtonForm, options
from app.reference_data import all_localities
from app.staff import services
from app.staff.forms import AccessForm, AreaForm, InvitationForm, JoinForm, OrganisationForm

bp = Blueprint("staff", __name__)


def _refused(error: services.StaffError):
    """A tampered or stale id: the message, and back to the list, with nothing changed."""
    flash(str(error), "error")
    return redirect(url_for("staff.index"))


def _flash_errors(form) -> None:
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}", "error")


def _access_choices(form: AccessForm) -> None:
    form.areas.choices = [(area.id, area.name) for area in services.all_areas()]


@bp.route("/")
@policy_required("manage_staff")
def index():
    return render_template(
        "staff/index.html",
        overview=services.staff_overview(current_user._get_current_object()),
        areas=services.all_areas(),
        button=ButtonForm(),
    )


@bp.route("/invite", methods=["GET", "POST"])
@policy_required("manage_staff")
def invite():
    user = current_user._get_current_object()
    form = InvitationForm()
    form.organisation.choices = [(o.id, o.name) for o in policies.administered_organisations(user)]
    _access_choices(form)
    if form.validate_on_submit():
        try:
            services.invite(
                user,
                services.organisation(form.organisation.data, user),
                form.email.data,
                form.full_name.data,
                form.role.data,
                services.areas_by_id(form.areas.data),
                form.whole_installation.data,
            )
        except services.StaffError as error:
            flash(str(error), "error")
        else:
            flash(_("Done. The person gets an e-mail; an invitation link is valid for 7 days."), "success")
            return redirect(url_for("staff.index"))
    return render_template("staff/invite.html", form=form)


@bp.route("/memberships/<int:staff_membership_id>", methods=["GET", "POST"])
@policy_required("manage_staff")
def membership(staff_membership_id: int):
    user = current_user._get_current_object()
    try:
        found = services.membership(staff_membership_id, user)
    except services.StaffError as error:
        return _refused(error)
    form = AccessForm(obj=found) if request.method == "GET" else AccessForm()
    _access_choices(form)
    if request.method == "GET":
        form.areas.data = [area.id for area in found.areas]
    if form.validate_on_submit():
        try:
            services.change_access(
                found, user, form.role.data, services.areas_by_id(form.areas.data), form.whole_installation.data
            )
        except services.StaffError as error:
            return _refused(error)
        flash(_("The access is changed; it holds from the person's next click."), "success")
        return redirect(url_for("staff.index"))
    _flash_errors(form)
    return render_template("staff/membership.html", form=form, membership=found)


@bp.route("/memberships/<int:staff_membership_id>/deactivate", methods=["POST"])
@policy_required("manage_staff")
def deactivate(staff_membership_id: int):
    user = current_user._get_current_object()
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("staff.index"))
    try:
        services.deactivate(services.membership(staff_membership_id, user), user)
    except services.StaffError as error:
        return _refused(error)
    flash(_("The access is ended and the person is logged out everywhere."), "success")
    return redirect(url_for("staff.index"))


@bp.route("/organisations/new", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@policy_required("manage_organisations")
def organisation(organisation_id: int | None):
    user = current_user._get_current_object()
    try:
        existing = services.organisation(organisation_id, user, "edit") if organisation_id else None
    except services.StaffError as error:
        return _refused(error)
    form = OrganisationForm(obj=existing)
    if form.validate_on_submit():
        logo = form.logo.data.read() if form.logo.data else None
        try:
            services.save_organisation(existing, form.data, logo, user)
        except services.StaffError as error:
            flash(str(error), "error")
        else:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("staff.index"))
    return render_template("staff/organisation.html", form=form, existing=existing)


@bp.route("/organisations/<int:organisation_id>/logo")
def logo(organisation_id: int):
    """The logo printed on an organisation's documents: not personal data, served to anyone."""
    found = services.organisation_logo(organisation_id) or abort(404)
    return Response(found.logo, mimetype=found.logo_type, headers={"Cache-Control": "public, max-age=3600"})


@bp.route("/areas/new", methods=["GET", "POST"], defaults={"area_id": None})
@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@policy_required("manage_organisations")
def area(area_id: int | None):
    user = current_user._get_current_object()
    try:
        existing = services.area(area_id, user) if area_id else None
    except services.StaffError as error:
        return _refused(error)
    form = AreaForm(obj=existing) if request.method == "GET" else AreaForm()
    form.places.choices = options((loc.id, loc.name) for loc in all_localities())
    if request.method == "GET" and existing is not None:
        form.places.data = sorted(existing.place_ids)
    if form.validate_on_submit():
        try:
            services.save_area(existing, form.name.data, form.places.data, user)
        except services.StaffError as error:
            flash(str(error), "error")
        else:
            flash(_("The area is saved. Its people are seen by its coordinators from their next click."), "success")
            return redirect(url_for("staff.index"))
    return render_template("staff/area.html", form=form, existing=existing)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """The invited person opens their account with the mailed link (once, within 7 days)."""
    try:
        invitation = services.invitation_for_token(token)
    except services.StaffError as error:
        return render_template("staff/join.html", error=str(error), form=None), 400
    form = JoinForm()
    if request.method == "GET":
        form.full_name.data = invitation.user.full_name
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(invitation, form.full_name.data, form.password.data)
        except services.StaffError as error:
            return render_template("staff/join.html", error=str(error), form=None), 400
        login_user(user)
        flash(_("Welcome! Your account is open."), "success")
        return redirect(url_for("coordination.dashboard"))
    return render_template("staff/join.html", form=form, invitation=invitation, error=None)
