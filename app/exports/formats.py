"""Contact lists and meeting calendars as files: CSV, Excel, vCard 4.0 and 3.0, iCalendar.

Pure functions from rows to bytes, so that the web pages, the command line
and the benchmark write exactly the same files. This is the one export
layer, so it is where text from people becomes safe to open: no control or
bidirectional characters in any format (``plain``), and no cell that a
spreadsheet would run as a formula (``formula_safe`` for CSV, text cells
for XLSX).
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import vobject
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.security.inputs import BIDI_CONTROLS, CONTROL_CHARACTERS

BERLIN = ZoneInfo("Europe/Berlin")
# Excel, LibreOffice and Google Sheets read a cell starting with one of these as a formula
# (or a DDE call), also after leading spaces.
FORMULA_START = re.compile(r"^[\s]*[=+\-@]|^[\t\r]")
# Characters Excel does not allow in a sheet's name.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def plain(text: str) -> str:
    """``text`` without control characters (which XML files cannot hold) and without bidirectional
    controls (with which a name could show as another)."""
    return BIDI_CONTROLS.sub("", CONTROL_CHARACTERS.sub("", text))


def is_formula_like(text: str) -> bool:
    return FORMULA_START.match(text) is not None


def formula_safe(text: str) -> str:
    """A CSV cell that no spreadsheet runs: one that would start a formula gets a leading apostrophe."""
    return "'" + text if is_formula_like(text) else text


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str  # E.164 (+49…), for vCards; or empty
    phone_display: str  # as people read it (0171 1234567), for lists
    phone_is_mobile: bool  # a mobile number (TYPE=cell in vCard 3.0) rather than a landline
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
    return [
        plain(text)
        for text in (contact.name, contact.email, contact.phone_display, contact.place, contact.languages, contact.role)
    ]


# Rows written to the buffer before a chunk of a streamed CSV is handed on.
CSV_CHUNK_ROWS = 1000


def csv_chunks(headers: Iterable[str], rows: Iterable[Iterable[str]], delimiter: str = ",") -> Iterator[bytes]:
    """A CSV file in pieces: UTF-8 with a byte order mark, so that Excel shows umlauts (``;`` for German
    Excel); every cell plain and formula-safe. Large files can be streamed without holding them whole."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(formula_safe(plain(header)) for header in headers)
    for count, row in enumerate(rows, start=1):
        writer.writerow([formula_safe(plain(cell)) for cell in row])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def as_csv(table: Table, delimiter: str = ",") -> bytes:
    return b"".join(csv_chunks(table.headers, map(_cells, table.contacts), delimiter))


def _text_cell(sheet, text: str) -> Cell:
    """A cell that holds ``text`` as text: openpyxl would store text starting with ``=`` as a formula."""
    cell = Cell(sheet, value=text)
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell
    return cell


def _append_text_row(sheet, cells: list[str]) -> None:
    sheet.append([_text_cell(sheet, text) for text in cells])


def as_xlsx(table: Table) -> bytes:
    """A contact list as a workbook (``rows_as_xlsx``)."""
    return rows_as_xlsx(table.title or "Contacts", table.headers, [_cells(c) for c in table.contacts], table.note)


def rows_as_xlsx(title: str, headers: list[str], rows: list[list[str]], note: str | None = None) -> bytes:
    """A workbook with a bold header row, filters, fitting column widths and the note on a second sheet."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = SHEET_TITLE_FORBIDDEN.sub(" ", plain(title))[:31].strip() or "Sheet"  # Excel's rules
    _append_text_row(sheet, [plain(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for header in headers]
    for row in rows:
        cells = [plain(cell) for cell in row]
        _append_text_row(sheet, cells)
        widths = [max(width, len(cell)) for width, cell in zip(widths, cells, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    sheet.freeze_panes = "A2"
    if note is not None:
        _append_text_row(workbook.create_sheet("Info"), [plain(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _name(card, contact: Contact) -> str:
    name = plain(contact.name)
    card.add("fn").value = name
    given, _, family = name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family or name, given=given)
    return name


def as_vcards(table: Table) -> bytes:
    """All contacts as vCard 4.0 in one file (RFC 6350; UTF-8, phone numbers as tel: URIs)."""
    cards = []
    for contact in table.contacts:
        card = vobject.vCard()
        card.add("version").value = "4.0"
        _name(card, contact)
        if contact.email:
            card.add("email").value = plain(contact.email)
        if contact.phone:
            tel = card.add("tel")
            tel.value = f"tel:{plain(contact.phone)}"
            tel.params["VALUE"] = ["uri"]
        card.add("org").value = [plain(table.title)]
        if contact.role:
            card.add("role").value = plain(contact.role)
        cards.append(card.serialize())
    return "".join(cards).encode("utf-8")


# Outlook reads vCard 3.0 text as Windows-1252 unless a property names its character set.
UTF8 = ["UTF-8"]


def vcard3(contact: Contact, organisation: str) -> str:
    """One contact as vCard 3.0 (RFC 2426), the version Outlook imports: the phone typed ``CELL`` (or
    ``HOME,VOICE`` for a landline) and the address ``INTERNET,HOME``, since volunteers give their own
    numbers and addresses, not their employer's."""
    card = vobject.vCard()
    card.add("version").value = "3.0"
    _name(card, contact)
    if contact.email:
        email = card.add("email")
        email.value = plain(contact.email)
        email.params["TYPE"] = ["INTERNET", "HOME"]
    if contact.phone:
        tel = card.add("tel")
        tel.value = plain(contact.phone)
        tel.params["TYPE"] = ["CELL"] if contact.phone_is_mobile else ["HOME", "VOICE"]
    card.add("org").value = [plain(organisation)]
    if contact.role:
        card.add("role").value = plain(contact.role)
    for line in card.getChildren():
        if line.name in ("FN", "N", "ORG", "ROLE"):
            line.params["CHARSET"] = UTF8
    return card.serialize()


def as_vcards3(table: Table) -> bytes:
    """All contacts as vCard 3.0 in one file: Apple Contacts, Thunderbird and Google read every card,
    Outlook only the first (``as_vcard3_zip`` is for Outlook)."""
    return "".join(vcard3(contact, table.title) for contact in table.contacts).encode("utf-8")


# Characters that Windows, macOS or a zip tool do not take in a file name.
FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|(),;\s]+')


def file_name(text: str) -> str:
    """``text`` as a file name on every system: no path separators, reserved characters or spaces."""
    return FILENAME_FORBIDDEN.sub("-", plain(text)).strip("-.") or "-"


def as_vcard3_zip(table: Table) -> bytes:
    """One vCard 3.0 file per contact in a ZIP archive, named after the person: Outlook imports only the
    first contact of a file, so each is opened (or dragged in) on its own."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for contact in table.contacts:
            base = name = file_name(contact.name)
            suffix = 1
            while name.casefold() in used:  # two people of one name
                suffix += 1
                name = f"{base}-{suffix}"
            used.add(name.casefold())
            archive.writestr(f"{name}.vcf", vcard3(contact, table.title).encode("utf-8"))
    return buffer.getvalue()


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
        event.add("summary").value = plain(schedule.title)
        event.add("dtstart").value = begins
        event.add("dtend").value = begins + timedelta(minutes=schedule.minutes)
        if schedule.place:
            event.add("location").value = plain(schedule.place)
        if schedule.every_weeks:
            event.add("rrule").value = f"FREQ=WEEKLY;INTERVAL={schedule.every_weeks}"
    return calendar.serialize().encode("utf-8")
