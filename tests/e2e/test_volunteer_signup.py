"""A newcomer signs up on a phone, completes the questionnaire and is found by coordination."""

import re

import pytest
from playwright.sync_api import expect

from app.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]


def assert_fits_a_phone(page) -> None:
    """Nothing sticks out sideways on a 360 px wide screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_volunteer_signs_up_and_is_found_by_the_coordinator(live_server, phone, make_user, password, outbox):
    make_user(Role.COORDINATOR, email="koordination@example.org", name="Koordination")
    page = phone
    page.goto(live_server)

    page.get_by_role("main").get_by_role("link", name="Mitmachen").click()
    page.get_by_label("Ihr Name").fill("Samira Tesfay")
    page.get_by_role("textbox", name="E-Mail-Adresse", exact=True).fill("samira@example.org")
    page.get_by_role("textbox", name="Passwort", exact=True).fill("ein sicheres langes passwort")
    page.get_by_label("Passwort wiederholen").fill("ein sicheres langes passwort")
    page.locator("#consent_matching").check()
    page.get_by_role("button", name="Konto anlegen").click()

    expect(page.get_by_role("status")).to_contain_text("Bitte öffnen Sie den Link darin")
    confirmation = re.search(r"http://localhost(/auth/confirm/\S+)", outbox[0].body).group(1)
    page.goto(live_server + confirmation)
    page.get_by_role("textbox", name="Passwort", exact=True).fill("ein sicheres langes passwort")
    page.get_by_role("button", name="Bestätigen und anmelden").click()

    expect(page.locator("h1")).to_have_text("Zu Ihrer Person")
    page.get_by_label("Geburtsjahr").fill("1988")
    page.get_by_label("Wohnort").select_option(label="Warstein")
    page.get_by_label(re.compile("Wie weit")).fill("12")
    page.get_by_label("mit dem Fahrrad").check()
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Speichern und weiter").click()

    expect(page.locator("h1")).to_have_text("Sprachen")
    page.locator("#languages-0-language").fill("Tigrinya")
    page.locator("#languages-0-level").select_option("native")
    page.get_by_role("button", name="Weitere Sprache hinzufügen").click()
    page.locator("#languages-1-language").fill("Deutsch (de)")
    page.locator("#languages-1-level").select_option("B1")
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Speichern und weiter").click()

    expect(page.locator("h1")).to_have_text("Was Sie einbringen können")
    page.get_by_label("Dolmetschen / Sprachmittlung").check()
    page.get_by_label("Dienstag, abends").check()
    page.get_by_label("Stunden im Monat").fill("6")
    page.get_by_role("group", name="Für wie lange?").get_by_label("etwa 6 Monate").check()
    page.get_by_label(re.compile("Wie viele Personen")).fill("1")
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Speichern und weiter").click()

    page.get_by_role("group", name=re.compile("körperlich")).get_by_label("mittel").check()
    page.get_by_role("group", name=re.compile("seelisch")).get_by_label(re.compile("hoch")).check()
    page.get_by_label("Kochen", exact=True).check()
    page.get_by_label(re.compile("Was machen Sie sonst gern")).fill("Laufen im Arnsberger Wald")
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Abschließen").click()

    expect(page.locator("h1")).to_have_text("Mein Profil")
    expect(page.get_by_role("main")).to_contain_text("Warstein")
    assert_fits_a_phone(page)

    page.get_by_role("button", name="Abmelden", exact=True).click()
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-Mail, Telefonnummer oder Benutzername").fill("koordination@example.org")
    page.get_by_role("textbox", name="Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("h1")).to_have_text("Übersicht")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Ehrenamtliche").click()
    page.get_by_label("Ort", exact=True).select_option(label="Warstein")
    page.get_by_role("combobox", name="Sprache", exact=True).select_option("ti")
    page.get_by_label("Wochentag").select_option("tue")
    page.get_by_role("button", name="Filtern").click()

    expect(page.get_by_role("table")).to_contain_text("Samira Tesfay")
