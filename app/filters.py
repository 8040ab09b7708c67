"""The search filters of the coordinators' lists: the choices they offer, reading them safely, the page shown."""

from dataclasses import fields

from flask import current_app, flash, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from app.extensions import db
from app.forms import BaseForm, options
from app.languages import language_names
from app.reference_data import active_categories, all_localities


def place_options() -> list:
    return options([("", _("any place"))] + [(loc.id, loc.label(str(get_locale()))) for loc in all_localities()])


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


def filter_form(form_class: type[BaseForm], spoken_languages: list[str], activity_field: str, any_activity: str):
    """A list's filter form read from the query string: places, activities and the ``spoken_languages`` to choose."""
    form = form_class(request.args)
    form.locality.choices = place_options()
    form[activity_field].choices = activity_options(any_activity)
    form.language.choices = language_options(spoken_languages)
    return form


def filtered_page(form: BaseForm, filters_class, search) -> Pagination:
    """The page asked for (``?page=``) of what ``search`` finds under the form's filters."""
    return db.paginate(
        search(read_filters(form, filters_class)),
        per_page=current_app.config["LIST_PAGE_SIZE"],
        error_out=False,
    )
