"""Contact-list exports: read back with real parsers, consent-filtered, authorised and logged."""

import csv
import io
import zipfile
from datetime import date, time

import openpyxl
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.http import parse_options_header

from app.exports import formats
from app.models import AuditEvent, ConsentPurpose

LISTED = (ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_LISTS)


@pytest.fixture
def group(make_group, make_volunteer):
    lead = make_volunteer(
        "Jürgen Müller",
        email="juergen@example.org",
        phone="+491711234567",
        offers=("interpreting",),
        languages={"de": "native", "ar": "C1"},
        consents=LISTED,
    )
    member = make_volunteer(
        "Amal Haddad",
        email="amal@example.org",
        locality="warstein",
        offers=("interpreting",),
        languages={"ar": "native", "de": "B2"},
        consents=LISTED,
    )
    private = make_volunteer("Hidden Person", email="hidden@example.org", offers=("interpreting",))
    asking = make_volunteer("Asking Person", email="asking@example.org", offers=("interpreting",), consents=LISTED)
    return make_group(
        "interpreting-pool",
        name="Dolmetscherpool",
        requires_offer="interpreting",
        capacity=10,
        members=[
            (lead, "active", True),
            (member, "active", False),
            (private, "active", False),
            (asking, "requested", False),
        ],
        first_meeting_on=date(2026, 12, 2),
        meeting_time=time(18, 30),
        meeting_every_weeks=2,
        meeting_place="Kreishaus Soest",
    )


def download(client, group, fmt):
    response = client.get(f"/groups/{group.id}/contacts.{fmt}")
    assert response.status_code == 200, response.status_code
    return response


def test_csv_has_a_bom_and_only_consenting_members(coordinator_client, group):
    response = download(coordinator_client, group, "csv")
    assert response.data.startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "E-Mail", "Telefon", "Ort", "Sprachen", "Rolle"]
    assert [row[0] for row in rows[1:]] == ["Jürgen Müller", "Amal Haddad"]  # the lead first
    assert rows[1][2] == "0171 1234567"
    # languages by their names and levels, not "de native, ar C1", listed as German lists them
    assert rows[1][4] in ("Deutsch (Muttersprache) und Arabisch (C1)", "Arabisch (C1) und Deutsch (Muttersprache)")


def test_an_arabic_export_names_languages_in_arabic(coordinator_client, coordinator, group, db):
    coordinator.preferred_language = "ar"
    db.session.commit()
    response = download(coordinator_client, group, "csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    languages = rows[1][4]
    assert "الألمانية" in languages and "العربية" in languages and " و" in languages
    assert "native" not in languages and "de " not in languages


def test_semicolon_csv_for_german_excel(coordinator_client, group):
    text = download(coordinator_client, group, "csv-semicolon").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 3 and rows[2][3] == "Warstein"


def test_xlsx_has_header_filter_widths_and_the_note(coordinator_client, group):
    workbook = openpyxl.load_workbook(io.BytesIO(download(coordinator_client, group, "xlsx").data))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["Name", "E-Mail", "Telefon", "Ort", "Sprachen", "Rolle"]
    assert sheet["A1"].font.bold and sheet.auto_filter.ref == "A1:F3"
    assert sheet.column_dimensions["A"].width >= len("Jürgen Müller")
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["Jürgen Müller", "Amal Haddad"]
    assert "1 Mitglied" in workbook["Info"]["A1"].value


def test_vcards_are_version_4_with_phone_uris(coordinator_client, group):
    cards = list(vobject.readComponents(download(coordinator_client, group, "vcf").data.decode()))
    assert [card.fn.value for card in cards] == ["Jürgen Müller", "Amal Haddad"]
    assert all(card.version.value == "4.0" for card in cards)
    assert cards[0].tel.value == "tel:+491711234567" and cards[0].email.value == "juergen@example.org"


def download_name(response) -> str:
    """The file name a browser saves under: RFC 6266's ``filename*`` where given, else ``filename``."""
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    assert kind == "attachment"
    return options["filename"]  # werkzeug decodes filename* into it


@pytest.mark.parametrize(
    ("language", "comma", "semicolon"),
    [
        ("de", "Kontakte-Komma", "Kontakte-Excel-Semikolon"),
        ("en", "contacts-comma", "contacts-Excel-semicolon"),
        ("ar", "جهات-الاتصال-فاصلة", "جهات-الاتصال-إكسل-فاصلة-منقوطة"),
    ],
)
def test_the_two_csv_files_have_their_own_names_in_the_users_language(
    coordinator_client, coordinator, group, db, language, comma, semicolon
):
    coordinator.preferred_language = language
    db.session.commit()
    today = date.today().isoformat()
    assert download_name(download(coordinator_client, group, "csv")) == f"interpreting-pool-{comma}-{today}.csv"
    assert (
        download_name(download(coordinator_client, group, "csv-semicolon"))
        == f"interpreting-pool-{semicolon}-{today}.csv"
    )
    names = {download_name(download(coordinator_client, group, fmt)) for fmt in ("csv", "csv-semicolon", "xlsx", "vcf")}
    assert len(names) == 4


def test_vcard_3_for_outlook_types_the_mobile_phone_and_names_the_charset(coordinator_client, group):
    response = download(coordinator_client, group, "vcf3")
    assert response.mimetype == "text/vcard" and download_name(response).endswith(".vcf")
    text = response.data.decode("utf-8")
    cards = list(vobject.readComponents(text))
    assert [card.fn.value for card in cards] == ["Jürgen Müller", "Amal Haddad"]
    assert all(card.version.value == "3.0" for card in cards)
    jürgen = cards[0]
    assert jürgen.tel.value == "+491711234567" and jürgen.tel.params["TYPE"] == ["CELL"]
    assert jürgen.email.value == "juergen@example.org" and set(jürgen.email.params["TYPE"]) == {"INTERNET", "HOME"}
    assert jürgen.n.value.family == "Müller" and jürgen.n.value.given == "Jürgen"
    assert jürgen.org.value == ["Dolmetscherpool"] and jürgen.role.value == "Leitung"
    assert "FN;CHARSET=UTF-8:Jürgen Müller" in text  # Outlook reads umlauts only with the charset named
    assert not hasattr(cards[1], "tel")  # Amal gave no phone


def test_outlook_zip_holds_one_vcard_3_per_person(coordinator_client, group):
    response = download(coordinator_client, group, "vcf3-zip")
    assert response.mimetype == "application/zip" and download_name(response).endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == ["Amal-Haddad.vcf", "Jürgen-Müller.vcf"]
        for name in archive.namelist():
            cards = list(vobject.readComponents(archive.read(name).decode("utf-8")))
            assert len(cards) == 1 and cards[0].version.value == "3.0"
            assert name == cards[0].fn.value.replace(" ", "-") + ".vcf"


def contact(name: str, phone: str = "", mobile: bool = True) -> formats.Contact:
    return formats.Contact(
        name=name, email="", phone=phone, phone_display=phone, phone_is_mobile=mobile, place="", languages="", role=""
    )


@pytest.mark.parametrize(
    ("phone", "mobile", "types"), [("+491711234567", True, ["CELL"]), ("+4929211234", False, ["HOME", "VOICE"])]
)
def test_vcard_3_types_a_landline_as_home(phone, mobile, types):
    card = vobject.readOne(formats.vcard3(contact("Eva Roth", phone, mobile), "Gruppe"))
    assert card.tel.params["TYPE"] == types


def test_two_people_of_one_name_get_two_files_in_the_zip():
    names = ["Eva Roth", "Eva-Roth-2", "Eva Roth", "eva roth"]
    table = formats.Table("Gruppe", [], [contact(name) for name in names], 0, "")
    with zipfile.ZipFile(io.BytesIO(formats.as_vcard3_zip(table))) as archive:
        assert archive.namelist() == ["Eva-Roth.vcf", "Eva-Roth-2.vcf", "Eva-Roth-3.vcf", "eva-roth-4.vcf"]


@given(st.text())
def test_a_file_name_holds_no_separator_or_reserved_character(text):
    name = formats.file_name(text)
    assert name and not set(name) & set('\\/:*?"<>|') and not any(c.isspace() for c in name)
    assert not name.startswith(".")


def test_print_view_says_how_many_were_left_out(coordinator_client, group):
    page = coordinator_client.get(f"/groups/{group.id}/contacts").get_data(as_text=True)
    assert "Jürgen Müller" in page and "Hidden Person" not in page and "Asking Person" not in page
    assert "1 Mitglied steht nicht auf der Liste" in page


def test_every_export_is_logged(coordinator_client, coordinator, group, db):
    for fmt in ("csv", "xlsx", "vcf"):
        download(coordinator_client, group, fmt)
    coordinator_client.get(f"/groups/{group.id}/contacts")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "group.exported")).all()
    assert [event.detail["format"] for event in events] == ["csv", "xlsx", "vcf", "print"]
    assert all(e.actor_id == coordinator.id and e.subject_id == str(group.id) for e in events)
    assert all(e.detail["people"] == 2 and e.detail["left_out"] == 1 for e in events)


def test_a_lead_exports_their_own_group_only(client, login, group, make_group, db):
    lead = next(m for m in group.memberships if m.is_lead).profile.user
    other = make_group("mobility", requires_offer="driving")
    login(client, lead)
    assert client.get(f"/groups/{group.id}/contacts.csv").status_code == 200
    assert client.get(f"/groups/{other.id}/contacts.csv").status_code == 403


@pytest.mark.parametrize("member", ["Amal Haddad", "Asking Person"])
def test_members_cannot_export(client, login, group, member):
    user = next(m for m in group.memberships if m.profile.user.full_name == member).profile.user
    login(client, user)
    assert client.get(f"/groups/{group.id}/contacts.xlsx").status_code == 403
    assert client.get(f"/groups/{group.id}/contacts").status_code == 403


def test_refugees_and_strangers_cannot_export(client, login, group, make_refugee):
    assert client.get(f"/groups/{group.id}/contacts.csv").status_code == 302
    login(client, make_refugee())
    assert client.get(f"/groups/{group.id}/contacts.csv").status_code == 403


def test_unknown_format_is_not_found(coordinator_client, group):
    assert coordinator_client.get(f"/groups/{group.id}/contacts.pdf").status_code == 404


def test_command_line_export(runner, group, tmp_path, db):
    target = tmp_path / "pool.csv"
    result = runner.invoke(args=["export", "contacts", "interpreting-pool", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0 and "2 contacts" in result.output and "1 members left out" in result.output
    assert target.read_bytes().startswith("\ufeff".encode())
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "group.exported"))
    assert event.actor_id is None and event.detail["format"] == "csv"
    missing = runner.invoke(args=["export", "contacts", "nope", "-o", str(target)])
    assert missing.exit_code != 0 and "no working group" in missing.output


def test_meeting_calendar(client, group):
    response = client.get(f"/groups/calendar/{group.calendar_token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    event = vobject.readOne(response.data.decode()).vevent
    assert event.summary.value == "Dolmetscherpool" and event.location.value == "Kreishaus Soest"
    assert event.rrule.value == "FREQ=WEEKLY;INTERVAL=2"
    assert (event.dtstart.value.hour, event.dtstart.value.minute) == (18, 30)
    assert "Jürgen" not in response.get_data(as_text=True)  # no personal data in the feed
    assert client.get("/groups/calendar/guessed-token.ics").status_code == 404
