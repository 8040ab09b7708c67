"""The search filters of the coordinators' lists: the choices they offer, reading them safely, and paging."""

from dataclasses import fields

from flask import current_app, flash, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, select

from app.extensions import db
from app.forms import BaseForm, options
from app.languages import language_names
from app.reference_data import active_categories, all_localities

# Far beyond any list's end; bounds the offset the database is asked for.
MAX_PAGE = 100_000


class FilterForm(BaseForm):
    """A list's filters, sent by GET so that filtered lists can be bookmarked."""

    class Meta:
        csrf = False

    # The list's page, when another page (an export refused for its filters) shows the form; default: this one.
    list_endpoint: str | None = None

    def url(self, endpoint: str | None = None, **changes) -> str:
        """``endpoint`` (default: the list) with the same filters and ``changes`` (None drops one): only this
        form's fields are copied from the query string, so that no argument reaches ``url_for`` unchecked."""
        kept = {field.name: request.args.getlist(field.name) for field in self if field.name in request.args}
        kept.update(changes)
        values = {name: value for name, value in kept.items() if value is not None}
        if endpoint is None and self.list_endpoint is None:  # this page again: with its path (e.g. a group's id)
            values = {**(request.view_args or {}), **values}
        return url_for(endpoint or self.list_endpoint or request.endpoint, **values)

    def page_url(self, number: int) -> str:
        """The same list at page ``number``, keeping the filters."""
        return self.url(page=number)


class CountedUpTo(SelectPagination):
    """A page whose total is counted only up to ``count_limit`` rows: on a table of millions an exact count
    costs more than the page itself. ``capped`` tells that there are more; pages go as far as the count."""

    capped = False

    def _query_count(self) -> int:
        limit = self._query_args["count_limit"]
        rows = self._query_args["select"].order_by(None).limit(limit + 1).subquery()
        total = self._query_args["session"].execute(select(func.count()).select_from(rows)).scalar()
        self.capped = total > limit
        return min(total, limit)


def list_page(statement: Select, count_limit: int | None = None) -> Pagination:
    """The page of ``statement`` that ``?page=`` asks for; an unreadable or absurd number gives the first.
    With ``count_limit``, rows are counted only up to that many (``CountedUpTo``)."""
    number = request.args.get("page", 1, type=int)
    arguments = dict(
        page=number if 1 <= number <= MAX_PAGE else 1, per_page=current_app.config["LIST_PAGE_SIZE"], error_out=False
    )
    if count_limit is None:
        return db.paginate(statement, **arguments)
    return CountedUpTo(select=statement, session=db.session(), count_limit=count_limit, **arguments)


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
    return list_page(search(read_filters(form, filters_class)))
