"""The search filters of the coordinators' lists: the choices they offer, and reading them safely."""

from dataclasses import fields

from flask import flash
from flask_babel import get_locale
from flask_babel import gettext as _

from app.admin.services import active_categories, all_localities
from app.forms import BaseForm, options
from app.languages import language_names


def place_options() -> list:
    return options([("", _("any place"))] + [(loc.id, loc.name) for loc in all_localities()])


def activity_options(empty_label: str) -> list:
    locale = str(get_locale())
    return options([("", empty_label)] + [(c.key, c.label(locale)) for c in active_categories()])


def language_options(codes) -> list:
    """The languages ``codes`` by name in the reader's language, alphabetically."""
    names = language_names(str(get_locale()))
    return options([("", _("any language"))] + sorted(((c, names.get(c, c)) for c in codes), key=lambda i: i[1]))


def read_filters(form: BaseForm, filters_class):
    """The filters as ``filters_class``; filters that do not validate are dropped with a message."""
    if form.validate():
        return filters_class(**{f.name: form[f.name].data or f.default for f in fields(filters_class)})
    flash(_("Some filters were not valid and were ignored."), "error")
    return filters_class()
