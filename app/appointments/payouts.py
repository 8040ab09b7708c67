"""The monthly payout list for an organisation's finance office, as CSV or XLSX: one row per volunteer."""

from flask_babel import force_locale
from flask_babel import gettext as _

from app.appointments.services import BERLIN, PayoutRow
from app.exports import services as exports
from app.formatting import format_day, format_money, format_number
from app.models import Organisation

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cells(row: PayoutRow) -> list[str]:
    name = row.volunteer.user.full_name if row.volunteer else "–"
    days = ", ".join(
        f"{format_day(a.starts_at.astimezone(BERLIN).date())} {a.category.label('de')}" for a in row.appointments
    )
    return [
        name,
        str(len(row.appointments)),
        format_number(round(row.minutes / 60, 1)),
        str(row.km),
        format_money(row.cents),
        days,
    ]


def payout_file(organisation: Organisation, month: str, rows: list[PayoutRow], fmt: str) -> tuple[bytes, str]:
    """The list in German, the finance office's language; amounts as the office writes them."""
    with force_locale("de"):
        headers = [_("Volunteer"), _("Appointments"), _("Hours"), _("km"), _("Allowance"), _("Appointments held")]
        cells = [_cells(row) for row in rows]
        title = f"{organisation.name} {month}"
        if fmt == "xlsx":
            return exports.rows_as_xlsx(title, headers, cells), MIMETYPES[fmt]
        return b"".join(exports.csv_chunks(headers, cells, delimiter=";")), MIMETYPES[fmt]
