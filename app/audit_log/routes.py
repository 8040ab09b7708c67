"""Admins and the data-protection officer: the audit log, filtered, paged, and as CSV."""

from flask import Blueprint, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from app.access import role_required
from app.audit_log import services
from app.audit_log.forms import AuditFilterForm
from app.filters import list_page, read_filters
from app.forms import options
from app.models import Role

bp = Blueprint("audit_log", __name__)

audit_readers = role_required(Role.ADMIN, Role.DPO)


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.staff.choices = options(
        [("", _("any staff member"))] + [(user.id, user.full_name) for user in services.staff_members()]
    )
    form.action.choices = options([("", _("any action"))] + [(action, action) for action in services.actions()])
    return form


def _filters_and_person(form: AuditFilterForm):
    """The filters and the person they ask for; a search that finds several people or nobody says so."""
    filters = read_filters(form, services.AuditFilters)
    try:
        return filters, services.find_person(filters), []
    except services.WhichPerson as several:
        return filters, None, several.people
    except (services.NoSuchPerson, services.TooManyPeople) as error:
        form.person.errors = [*form.person.errors, str(error)]
        return filters, None, None


def _page(form: AuditFilterForm, filters, person, candidates, status: int = 200):
    page = list_page(services.search(filters, person), services.COUNT_LIMIT) if candidates == [] else None
    return render_template(
        "audit_log/index.html",
        form=form,
        page=page,
        person=person,
        candidates=candidates or [],
        names=services.subject_names(page.items) if page else {},
        describe_detail=services.describe_detail,
    ), status


@bp.route("/")
@audit_readers
def index():
    form = _filter_form()
    return _page(form, *_filters_and_person(form))


@bp.route("/export.csv")
@audit_readers
def export():
    """The events the filters select as CSV; filters that do not work show the page with their messages."""
    form = _filter_form()
    filters, person, candidates = _filters_and_person(form)
    if candidates != [] or form.errors:
        return _page(form, filters, person, candidates, status=400)
    file = services.export_csv(filters, person, current_user._get_current_object())
    return send_file(file, mimetype="text/csv; charset=utf-8", as_attachment=True, download_name="audit.csv")
