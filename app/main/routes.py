"""Landing page and language switcher."""

from flask import Blueprint, abort, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.services import set_preferred_language
from app.i18n import in_every_language, offered_languages
from app.main.forms import LanguageForm
from app.navigation import safe_next_url

bp = Blueprint("main", __name__)

# The refugees' way in, offered in every language at once: the start page is German for a new visitor.
WAY_IN = _l("I need help")


@bp.route("/")
def index():
    ways_in = [] if current_user.is_authenticated else in_every_language(WAY_IN)
    return render_template("main/index.html", ways_in=ways_in)


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit() or form.language.data not in offered_languages():
        abort(400)
    session["lang"] = form.language.data
    if current_user.is_authenticated:
        set_preferred_language(current_user, form.language.data)
    return redirect(safe_next_url(form.next.data) or url_for("main.index"))
