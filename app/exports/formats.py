"""Contact lists and meeting calendars as files: CSV, Excel, vCard 4.0, iCalendar.

Pure functions from rows to bytes, so that the web pages, the command line
and the benchmark write exactly the same files.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import vobject
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str  # E.164 (+49…), for vCards; or empty
    phone_display: str  # as people read it (0171 1234567), for lists
    place: str
    languages: str
    role: str


@dataclass(frozen=True)
class Table:
    """What a contact list holds: translated headers and the rows."""

    title: str
    headers: list[str]
    contacts: list[Contact]
    left_out: int  # members not listed for lack of consent
    note: str  # says so in words


def _cells(contact: Contact) -> list[str]:
    return [contact.name, contact.email, contact.phone_display, contact.place, contact.languages, contact.role]


def as_csv(table: Table, delimiter: str = ",") -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows umlauts; ``;`` for German Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(_cells(contact) for contact in table.contacts)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    """A workbook with a bold header row, filters, fitting column widths and the note on a second sheet."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = table.title[:31] or "Contacts"  # Excel's limit for sheet names
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for header in table.headers]
    for contact in table.contacts:
        cells = _cells(contact)
        sheet.append(cells)
        widths = [max(width, len(cell)) for width, cell in zip(widths, cells, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{len(table.contacts) + 1}"
    sheet.freeze_panes = "A2"
    workbook.create_sheet("Info").append([table.note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_vcards(table: Table) -> bytes:
    """All contacts as vCard 4.0 in one file (RFC 6350; UTF-8, phone numbers as tel: URIs)."""
    cards = []
    for contact in table.contacts:
        card = vobject.vCard()
        card.add("version").value = "4.0"
        card.add("fn").value = contact.name
        given, _, family = contact.name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family or contact.name, given=given)
        if contact.email:
            card.add("email").value = contact.email
        if contact.phone:
            tel = card.add("tel")
            tel.value = f"tel:{contact.phone}"
            tel.params["VALUE"] = ["uri"]
        card.add("org").value = [table.title]
        if contact.role:
            card.add("role").value = contact.role
        cards.append(card.serialize())
    return "".join(cards).encode("utf-8")


@dataclass(frozen=True)
class Schedule:
    uid: str
    title: str
    place: str
    first_day: date
    start: time
    minutes: int
    every_weeks: int | None  # None: a single meeting


def as_icalendar(schedules: list[Schedule]) -> bytes:
    """Meetings as an iCalendar file, repeating every n weeks, in German local time."""
    calendar = vobject.iCalendar()
    calendar.add("prodid").value = "-//Brückenbau//Meetings//DE"
    for schedule in schedules:
        event = calendar.add("vevent")
        begins = datetime.combine(schedule.first_day, schedule.start, tzinfo=BERLIN)
        event.add("uid").value = schedule.uid
        event.add("summary").value = schedule.title
        event.add("dtstart").value = begins
        event.add("dtend").value = begins + timedelta(minutes=schedule.minutes)
        if schedule.place:
            event.add("location").value = schedule.place
        if schedule.every_weeks:
            event.add("rrule").value = f"FREQ=WEEKLY;INTERVAL={schedule.every_weeks}"
    return calendar.serialize().encode("utf-8")
