"""The imprint, privacy notice and accessibility statement (for everyone), the records of processing
(for the data-protection officer and admins) and the organisation's logo."""

from datetime import date

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from flask_babel import format_date, get_locale

from app.access import policy_required
from app.legal import services

bp = Blueprint("legal", __name__)
bp.record_once(lambda state: services.check_settings(state.app.config))


def _facts() -> dict:
    return {"operator": services.operator()}


@bp.route("/imprint")
def imprint():
    return render_template("legal/imprint.html", **_facts())


@bp.route("/privacy")
def privacy_notice():
    return render_template(
        "legal/privacy.html",
        processings=services.processings(),
        periods=services.retention_periods(),
        rights=services.RIGHTS,
        my_data=services.my_data_link(),
        **_facts(),
    )


@bp.route("/accessibility")
def accessibility():
    return render_template(
        "legal/accessibility.html",
        conformance=services.conformance(),
        reviewed_on=services.reviewed_on(),
        limitations=services.KNOWN_LIMITATIONS,
        **_facts(),
    )


def _records(template: str) -> str:
    return render_template(
        template,
        processings=services.processings(),
        periods=services.retention_periods(),
        measures=services.TECHNICAL_MEASURES,
        generated_on=format_date(date.today()),
        **_facts(),
    )


@bp.route("/records-of-processing")
@policy_required("read_records_of_processing")
def records():
    return _records("legal/records.html")


@bp.route("/records-of-processing.md")
@policy_required("read_records_of_processing")
def records_download():
    name = services.records_file_name(str(get_locale()))
    return _records("legal/records.md"), {
        "Content-Type": "text/markdown; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{name}"',
    }


@bp.route("/logo")
def logo():
    """The organisation's logo from the instance folder: the footer loads nothing from another host."""
    name = services.logo_file()
    if name is None:
        abort(404)
    return send_from_directory(current_app.instance_path, name, max_age=24 * 60 * 60)
