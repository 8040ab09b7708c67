"""Working groups: the list, a group's page, members, proposals, exports and the meeting calendar."""

import io
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policies
from app.access import coordinator_required, volunteer_required
from app.exports.services import FORMATS, export_contacts, meeting_calendar, released_contacts
from app.extensions import db
from app.filters import list_page
from app.forms import ButtonForm, options
from app.groups import services
from app.groups.forms import ConfirmProposalsForm, DecisionForm, GroupForm, MemberPagesForm
from app.languages import language_names
from app.models import GroupMembership, QuotaKind, WorkingGroup
from app.reference_data import active_categories, all_localities, place_labels

bp = Blueprint("groups", __name__)


def _group(group_id: int) -> WorkingGroup:
    return db.get_or_404(WorkingGroup, group_id)


def _managed_group(group_id: int) -> WorkingGroup:
    group = _group(group_id)
    if not services.can_manage(current_user, group):
        abort(403)
    return group


@bp.route("/")
@login_required
def index():
    if not (current_user.is_coordinator or current_user.volunteer_profile):
        abort(403)
    return render_template(
        "groups/index.html",
        rows=services.group_list(current_user.volunteer_profile),
        join_form=ButtonForm(),
        profile=current_user.volunteer_profile,
    )


@bp.route("/<int:group_id>")
@login_required
def detail(group_id: int):
    group = _group(group_id)
    profile = current_user.volunteer_profile
    manages = services.can_manage(current_user, group)
    if not (manages or profile):
        abort(403)
    user = current_user._get_current_object()
    refugees = policies.group_refugees_in_scope(user)
    return render_template(
        "groups/detail.html",
        group=group,
        manages=manages,
        members=list_page(services.members_in_scope(group, user)) if manages else None,
        hidden_members=services.hidden_members(group, user) if manages else 0,
        member_pages=MemberPagesForm(request.args),
        member_count=services.active_member_count(group),
        membership=services.membership_of(group, profile),
        quotas=services.quota_states(group),
        languages=services.language_coverage(group, refugees)
        if manages and group.requires_offer == "interpreting"
        else [],
        places=place_labels(),
        locality_needs=services.locality_coverage(group, refugees) if manages and group.requires_offer else [],
        join_form=ButtonForm(),
        decision_form=DecisionForm(),
        formats=FORMATS,
        language_name=language_names(str(get_locale())).get,
    )


@bp.route("/<int:group_id>/join", methods=["POST"])
@volunteer_required
def join(group_id: int):
    group = _group(group_id)
    if ButtonForm().validate_on_submit():
        try:
            services.request_to_join(group, current_user.volunteer_profile)
        except services.MembershipError as error:
            flash(str(error), "error")
        else:
            flash(_("You asked to join. The group's lead or the coordination office will answer."), "success")
    return redirect(url_for("groups.detail", group_id=group.id))


@bp.route("/<int:group_id>/members/<int:membership_id>", methods=["POST"])
@login_required
def decide(group_id: int, membership_id: int):
    group = _managed_group(group_id)
    membership = policies.record_for(current_user, "view", GroupMembership, membership_id)
    if membership is None:  # a member outside the coordinator's scope does not exist for them
        abort(404)
    form = DecisionForm()
    if membership.group_id != group.id or not form.validate_on_submit():
        abort(400)
    decision = form.decision.data
    if decision in ("lead", "no-lead") and not current_user.is_coordinator:
        abort(403)
    try:
        if decision in ("lead", "no-lead"):
            services.set_lead(membership, decision == "lead", current_user._get_current_object())
        else:
            services.decide(membership, decision == "accept", current_user._get_current_object())
    except services.MembershipError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("groups.detail", group_id=group.id))


@bp.route("/<int:group_id>/proposals", methods=["GET", "POST"])
@coordinator_required
def proposals(group_id: int):
    group = _group(group_id)
    result = services.propose_members(current_user._get_current_object())
    proposed = result.members.get(group.id, [])
    form = ConfirmProposalsForm()
    form.volunteers.choices = options((str(p.profile.id), p.profile.user.full_name) for p in proposed)
    if form.validate_on_submit():
        chosen = {int(value) for value in form.volunteers.data}
        try:
            added = services.add_members(
                group, [p.profile for p in proposed if p.profile.id in chosen], current_user._get_current_object()
            )
        except services.MembershipError as error:
            flash(str(error), "error")
        else:
            flash(ngettext("%(num)d volunteer added.", "%(num)d volunteers added.", added), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    return render_template(
        "groups/proposals.html",
        group=group,
        proposed=proposed,
        form=form,
        shortfall=result.shortfall.get(group.id, {}),
        places=place_labels(),
    )


def _save_group(group: WorkingGroup | None):
    form = GroupForm(obj=group)
    locale = str(get_locale())
    others = [g for g in services.all_groups() if group is None or g.id != group.id]
    form.parent_id.choices = options([("", _("nothing (a group of its own)"))] + [(g.id, g.name) for g in others])
    form.requires_offer.choices = options(
        [("", _("no particular activity"))] + [(c.key, c.label(locale)) for c in active_categories()]
    )
    form.language_quotas.known = set(language_names(locale))
    form.locality_quotas.known = {loc.id for loc in all_localities()}
    if group is not None and request.method == "GET":
        form.parent_id.data = str(group.parent_id or "")
        form.requires_offer.data = group.requires_offer or ""
        for field, kind in ((form.language_quotas, QuotaKind.LANGUAGE), (form.locality_quotas, QuotaKind.LOCALITY)):
            field.data = ", ".join(f"{q.key}: {q.minimum}" for q in group.quotas if q.kind == kind)
    if group is not None:
        form.slug.data = group.slug  # the identifier is fixed once created
    if form.validate_on_submit():
        data = {**form.data, "parent_id": int(form.parent_id.data) if form.parent_id.data else None}
        try:
            saved = services.save_group(
                group,
                data,
                form.language_quotas.quotas + form.locality_quotas.quotas,
                current_user._get_current_object(),
            )
        except services.SlugTaken as error:
            form.slug.errors.append(str(error))
        else:
            flash(_("The group is saved."), "success")
            return redirect(url_for("groups.detail", group_id=saved.id))
    return render_template("groups/edit.html", form=form, group=group)


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def new():
    return _save_group(None)


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@coordinator_required
def edit(group_id: int):
    return _save_group(_group(group_id))


@bp.route("/<int:group_id>/contacts.<fmt>")
@login_required
def export(group_id: int, fmt: str):
    """Leads export their own group, coordinators any group; every export is logged."""
    group = _managed_group(group_id)
    if fmt not in FORMATS:
        abort(404)
    result = export_contacts(group, fmt, current_user._get_current_object(), locale=str(get_locale()))
    # send_file writes a name in any script (RFC 6266's filename*) with an ASCII fallback.
    return send_file(
        io.BytesIO(result.content), mimetype=result.mimetype, as_attachment=True, download_name=result.filename
    )


@bp.route("/<int:group_id>/contacts")
@login_required
def print_view(group_id: int):
    group = _managed_group(group_id)
    user = current_user._get_current_object()
    table = released_contacts(group, "print", user, str(get_locale()))
    hidden = services.hidden_members(group, user, active_only=True)
    return render_template("groups/print.html", group=group, table=table, hidden=hidden, today=date.today())


@bp.route("/calendar/<token>.ics")
def calendar(token: str):
    """The meeting schedule for calendar apps: no login, no personal data, just when and where."""
    group = db.first_or_404(db.select(WorkingGroup).where(WorkingGroup.calendar_token == token))
    return Response(
        meeting_calendar(group),
        mimetype="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{group.slug}.ics"'},
    )
