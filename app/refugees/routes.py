"""Coordinators: the list of registered refugees and households, detail pages, duplicates."""

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import coordinator_required
from app.consents import REFUGEE_CONSENTS, has_consent
from app.filters import filter_form, filtered_page, place_options
from app.forms import ButtonForm
from app.intake.steps import REGISTRATION
from app.models import RefugeeStatus
from app.refugees import duplicates, services
from app.refugees.forms import HandOverForm, MergeForm, RefugeeFilterForm

bp = Blueprint("refugees", __name__)


@bp.route("/")
@coordinator_required
def index():
    form = filter_form(RefugeeFilterForm, services.spoken_languages(), "need", _("any need"))
    search = partial(services.refugee_search, user=current_user._get_current_object())
    page = filtered_page(form, services.RefugeeFilters, search)
    return render_template("refugees/index.html", form=form, page=page)


@bp.route("/<int:profile_id>")
@coordinator_required
def detail(profile_id: int):
    user = current_user._get_current_object()
    profile = services.profile_for_coordinator(profile_id, user) or abort(404)
    return render_template(
        "refugees/detail.html",
        profile=profile,
        steps=REGISTRATION.steps,
        duplicates=duplicates.possible_duplicates(profile, user),
        merge_form=MergeForm(),
        hand_over_form=_hand_over_form(),
        slip_form=ButtonForm(),
        consent_texts=REFUGEE_CONSENTS,
        consents={p: has_consent(profile.user, p) for p in REFUGEE_CONSENTS},
    )


@bp.route("/<int:profile_id>/merge", methods=["POST"])
@coordinator_required
def merge(profile_id: int):
    user = current_user._get_current_object()
    keep = services.record_in_scope(profile_id, user) or abort(404)
    form = MergeForm()
    # A record outside the coordinator's scope is as unknown as one that does not exist.
    duplicate = services.record_in_scope(form.duplicate_id.data, user) if form.validate_on_submit() else None
    if duplicate is None or duplicate.id == keep.id or RefugeeStatus.MERGED in (duplicate.status, keep.status):
        flash(_("These records cannot be merged. Perhaps one was merged already; please reload the page."), "error")
    else:
        duplicates.merge(keep, duplicate, user)
        flash(_("The records are merged. Nothing was lost; the second record is closed and points here."), "success")
    return redirect(url_for("refugees.detail", profile_id=keep.id))


def _hand_over_form() -> HandOverForm:
    form = HandOverForm()
    form.locality_id.choices = place_options()[1:]
    return form


@bp.route("/<int:profile_id>/hand-over", methods=["POST"])
@coordinator_required
def hand_over(profile_id: int):
    """A refugee who moved goes to the place (and so the area) they live in now, with a note for the audit."""
    user = current_user._get_current_object()
    profile = services.record_in_scope(profile_id, user, "hand_over") or abort(404)
    form = _hand_over_form()
    if not form.validate_on_submit():
        for field in (form.locality_id, form.note):
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
        return redirect(url_for("refugees.detail", profile_id=profile.id))
    services.hand_over(profile, form.locality_id.data, form.note.data.strip(), user)
    flash(_("The person is handed over to their new place; the note is kept in the audit log."), "success")
    if services.record_in_scope(profile.id, user) is None:
        return redirect(url_for("refugees.index"))
    return redirect(url_for("refugees.detail", profile_id=profile.id))
