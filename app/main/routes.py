"""Landing page and language switcher."""

from flask import Blueprint, abort, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.auth.services import set_preferred_language
from app.forms import DAY_PART_LABELS, GENDER_LABELS, LEVEL_LABELS, WEEKDAY_LABELS
from app.i18n import offered_languages
from app.languages import language_names
from app.main.forms import LanguageForm
from app.main.navigation import safe_next_url
from app.phones import display_phone

bp = Blueprint("main", __name__)


@bp.app_context_processor
def profile_labels() -> dict:
    """Labels of choices that volunteer and refugee profiles share, for every template."""
    return {
        "GENDER_LABELS": GENDER_LABELS,
        "LEVEL_LABELS": LEVEL_LABELS,
        "WEEKDAY_LABELS": WEEKDAY_LABELS,
        "DAY_PART_LABELS": DAY_PART_LABELS,
        "language_name": lambda code: language_names(str(get_locale())).get(code, code),
        "display_phone": display_phone,
        "zip": zip,
    }


@bp.route("/")
def index():
    return render_template("main/index.html")


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit() or form.language.data not in offered_languages():
        abort(400)
    session["lang"] = form.language.data
    if current_user.is_authenticated:
        set_preferred_language(current_user, form.language.data)
    return redirect(safe_next_url(form.next.data) or url_for("main.index"))
