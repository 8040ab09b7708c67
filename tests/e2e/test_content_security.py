"""In a real browser under the Content Security Policy: no page breaks a rule (nothing inline is
blocked), the print buttons still print, and a slip's QR link fills in its access code."""

import logging
import re

import pytest
from playwright.sync_api import expect

from app.models import Role

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def violations(phone):
    """Content Security Policy violations the browser reports on ``phone``'s pages."""
    found = []
    phone.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    return found


def log_in(page, live_server, email, password):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-Mail, Telefonnummer oder Benutzername").fill(email)
    page.get_by_role("textbox", name="Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()


def test_coordination_pages_run_under_the_policy(
    live_server, phone, violations, make_user, make_refugee, password, caplog
):
    caplog.set_level(logging.INFO, logger="werkzeug")
    make_user(Role.COORDINATOR, email="koordination@example.org", name="Koordination")
    profile = make_refugee("Amal Haddad", phone="+4917612345678", language="de").refugee_profile
    log_in(phone, live_server, "koordination@example.org", password)
    expect(phone.locator("h1")).to_have_text("Übersicht")
    assert phone.locator(".chart .bar").first.evaluate("bar => bar.getBoundingClientRect().width") > 0

    for path in ("/refugees/", f"/refugees/{profile.id}", "/volunteers/", "/groups/", "/matching/", "/sponsorships/"):
        phone.goto(live_server + path)
    phone.goto(f"{live_server}/refugees/{profile.id}")
    phone.get_by_role("button", name=re.compile("Zugangs")).click()
    code = phone.locator(".slip-code").inner_text()

    phone.evaluate("window.print = () => { window.printed = true; }")
    phone.get_by_role("button", name="Drucken").click()
    assert phone.evaluate("window.printed") is True
    assert violations == []

    phone.get_by_role("button", name="Abmelden", exact=True).click()
    phone.goto(f"{live_server}/welcome/code#{code}")
    expect(phone.locator("#code")).to_have_value(code)
    assert "#" not in phone.url  # the code leaves the address bar and the history
    phone.get_by_role("main").get_by_role("button", name="Anmelden").click()
    expect(phone.locator("h1")).to_have_text("Meine Daten")
    assert violations == []
    assert "GET /welcome/code" in caplog.text and code not in caplog.text  # the access log never saw it
