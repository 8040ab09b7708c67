"""Admin pages for the reference data."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import reference_data
from app.access import admin_required
from app.admin import services
from app.admin.forms import category_form, locality_form
from app.extensions import db
from app.i18n import offered_languages
from app.models import HelpCategory, Locality

bp = Blueprint("admin", __name__)


@bp.route("/")
@admin_required
def index():
    missing = services.missing_labels(offered_languages())
    return render_template(
        "admin/index.html",
        localities=reference_data.all_localities(),
        categories=reference_data.all_categories(),
        missing=missing,
        incomplete=sum(1 for languages in missing.values() if languages),
    )


@bp.route("/localities/new", methods=["GET", "POST"], defaults={"locality_id": None})
@bp.route("/localities/<locality_id>", methods=["GET", "POST"])
@admin_required
def locality(locality_id: str | None):
    existing = db.get_or_404(Locality, locality_id) if locality_id else None
    form = locality_form(tuple(offered_languages()))(obj=existing)
    if existing is not None:
        form.id.data = existing.id  # the identifier is fixed once created
    if form.validate_on_submit():
        try:
            services.save_locality(existing, form.data)
        except services.DuplicateKey as error:
            form.id.errors.append(str(error))
        else:
            flash(_("The place is saved."), "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/locality.html", form=form, existing=existing)


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"key": None})
@bp.route("/categories/<key>", methods=["GET", "POST"])
@admin_required
def category(key: str | None):
    existing = db.get_or_404(HelpCategory, key) if key else None
    form = category_form(tuple(offered_languages()))(obj=existing)
    if existing is not None and not form.is_submitted():
        # a shipped activity shows its labels as the catalogues translate them, to be kept or changed
        form.labels.process(None, services.category_labels(existing, offered_languages()))
    if existing is not None:
        form.key.data = existing.key  # the key is fixed once created: offers and needs refer to it
    if form.validate_on_submit():
        try:
            services.save_category(existing, form.data)
        except services.DuplicateKey as error:
            form.key.errors.append(str(error))
        else:
            flash(_("The activity is saved."), "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/category.html", form=form, existing=existing)
