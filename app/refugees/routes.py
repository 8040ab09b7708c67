"""Coordinators: the list of registered refugees and households, detail pages, duplicates."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import coordinator_required
from app.consents import REFUGEE_CONSENTS, has_consent
from app.extensions import db
from app.filters import filter_form, filtered_page
from app.forms import ButtonForm
from app.intake.steps import REGISTRATION
from app.models import RefugeeProfile, RefugeeStatus
from app.refugees import duplicates, services
from app.refugees.forms import MergeForm, RefugeeFilterForm

bp = Blueprint("refugees", __name__)


@bp.route("/")
@coordinator_required
def index():
    form = filter_form(RefugeeFilterForm, services.spoken_languages(), "need", _("any need"))
    page = filtered_page(form, services.RefugeeFilters, services.refugee_search)
    return render_template("refugees/index.html", form=form, page=page)


@bp.route("/<int:profile_id>")
@coordinator_required
def detail(profile_id: int):
    profile = services.profile_for_coordinator(profile_id) or abort(404)
    return render_template(
        "refugees/detail.html",
        profile=profile,
        steps=REGISTRATION.steps,
        duplicates=duplicates.possible_duplicates(profile),
        merge_form=MergeForm(),
        slip_form=ButtonForm(),
        consent_texts=REFUGEE_CONSENTS,
        consents={p: has_consent(profile.user, p) for p in REFUGEE_CONSENTS},
    )


@bp.route("/<int:profile_id>/merge", methods=["POST"])
@coordinator_required
def merge(profile_id: int):
    keep = db.get_or_404(RefugeeProfile, profile_id)
    form = MergeForm()
    duplicate = db.session.get(RefugeeProfile, form.duplicate_id.data) if form.validate_on_submit() else None
    if duplicate is None or duplicate.id == keep.id or RefugeeStatus.MERGED in (duplicate.status, keep.status):
        flash(_("These records cannot be merged. Perhaps one was merged already; please reload the page."), "error")
    else:
        duplicates.merge(keep, duplicate, current_user._get_current_object())
        flash(_("The records are merged. Nothing was lost; the second record is closed and points here."), "success")
    return redirect(url_for("refugees.detail", profile_id=keep.id))
