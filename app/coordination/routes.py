"""The coordinators' start page: where help is needed and missing."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user

from app import policies
from app.access import coordinator_required
from app.appointments import services as appointments
from app.coordination import services
from app.forms import ButtonForm
from app.reference_data import active_categories

bp = Blueprint("coordination", __name__)

# The lapsing sponsorships the page names; the headline counts them all.
LAPSING_SHOWN = 20


@bp.route("/")
@coordinator_required
def dashboard():
    locale = str(get_locale())
    user = current_user._get_current_object()
    return render_template(
        "coordination/dashboard.html",
        overview=services.overview(user),
        headlines=services.headlines(user),
        category_labels={c.key: c.label(locale) for c in active_categories()},
        # Appointments whose last ranking found nobody, and why: gaps of the interpreter pool and the rides.
        unfilled=appointments.found_nobody(policies.appointments_in_scope(user)),
        inactive=services.lapsing_sponsorships(user, LAPSING_SHOWN),
        button=ButtonForm(),
    )


@bp.route("/recount", methods=["POST"])
@coordinator_required
def recount():
    if ButtonForm().validate_on_submit():
        services.recount(current_user._get_current_object())
    return redirect(url_for("coordination.dashboard"))
