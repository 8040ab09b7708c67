"""A refugee without e-mail registers in Arabic, is proposed a volunteer, gets the SMS through Kannel's fake
SMSC, logs in and says yes on a right-to-left page."""

import re
from urllib.parse import urlsplit

import pytest
from browsing import log_in
from locales import arabic
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]

PASSWORD = "كلمة سر طويلة جدا"


@pytest.fixture
def app_config(database_url, make_config, kannel_settings):
    return make_config(database_url, WTF_CSRF_ENABLED=True, **kannel_settings)


def register_in_arabic(page, live_server) -> None:
    page.goto(f"{live_server}/welcome/")
    page.get_by_role("link", name="العربية").click()
    page.get_by_role("textbox", name=arabic("Name"), exact=True).fill("سلمى يوسف")
    page.get_by_role("textbox", name=arabic("Phone number"), exact=True).fill("0176 5550 1234")
    page.get_by_role("textbox", name=arabic("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name=arabic("Repeat the password")).fill(PASSWORD)
    page.locator("#consent_matching").check()
    page.get_by_role("button", name=arabic("Create account")).click()

    expect(page.locator("h1")).to_have_text(arabic("You and your family"))
    page.locator("#gender").select_option("f")
    page.locator("#birth_year").fill("1992")
    page.get_by_role("button", name=arabic("Save and continue")).click()
    expect(page.locator("h1")).to_have_text(arabic("Languages"))
    page.locator("#languages-0-language").fill("العربية")
    page.locator("#languages-0-level").select_option("native")
    page.locator("#german_level").select_option("A1")
    page.get_by_role("button", name=arabic("Save and continue")).click()
    expect(page.locator("h1")).to_have_text(arabic("What would help you"))
    page.locator("input[name=needs][value=paperwork]").check()
    page.get_by_role("button", name=arabic("Save and continue")).click()
    expect(page.locator("h1")).to_have_text(arabic("Time and place"))
    page.locator("#locality_id").select_option("soest")  # named in Arabic letters, with its German name
    page.locator("#travel_km").fill("5")
    page.locator("#slot-tue-afternoon").check()
    page.get_by_role("button", name=arabic("Save and continue")).click()
    page.get_by_role("button", name=arabic("Finish")).click()
    expect(page.locator("h1")).to_have_text(arabic("My data"))
    expect(page.get_by_role("main")).to_contain_text(
        arabic("Thank you! The coordination office will look for a volunteer and contact you.")
    )


def test_a_refugee_without_e_mail_hears_of_her_volunteer_by_sms_and_says_yes(
    live_server, browser, kannel, make_volunteer, coordinator, password
):
    make_volunteer(
        "Vera Volunteer",
        email="vera@example.org",
        languages={"de": "native", "ar": "B2"},
        offers=("paperwork",),
        slots=("tue-afternoon",),
    )
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="ar")
    refugee_page = phone.new_page()
    register_in_arabic(refugee_page, live_server)
    phone.clear_cookies()  # she puts the phone away; the session is gone

    desk = browser.new_context(locale="de-DE", viewport={"width": 1024, "height": 800}).new_page()
    log_in(desk, live_server, coordinator.email, password)
    desk.goto(f"{live_server}/matching/")
    desk.get_by_role("button", name="Vermittlung für alle noch nicht Entschiedenen starten").click()
    proposal = desk.locator("article.proposal").first
    expect(proposal).to_contain_text("سلمى يوسف")
    sent_before = len(kannel.received())
    proposal.get_by_role("button", name="Annehmen").click()
    expect(desk.locator("h1")).to_contain_text("Patenschaft")

    [sms] = kannel.wait_for(sent_before + 1)[sent_before:]
    assert sms.to == "+4917655501234"
    assert sms.text.startswith(arabic("A volunteer has been proposed for you. Please look and say yes or no."))
    link = re.search(r"https?://\S+", sms.text).group(0)

    # She opens the link from the SMS, logs in with her phone number and answers in Arabic.
    refugee_page.goto(live_server + urlsplit(link).path)
    refugee_page.locator("#identifier").fill("0176 5550 1234")
    refugee_page.locator("#password").fill(PASSWORD)
    refugee_page.locator("form button.primary").click()
    expect(refugee_page.locator("html")).to_have_attribute("dir", "rtl")
    expect(refugee_page.locator("header .badge")).to_have_text("1")
    refugee_page.get_by_role("button", name=arabic("Yes, I agree")).click()
    expect(refugee_page.locator(".flash-success")).to_be_visible()
    expect(refugee_page.locator("header .badge")).to_have_count(0)  # answered: nothing waits any more

    refugee_page.goto(f"{live_server}/welcome/me")
    expect(refugee_page.get_by_role("main")).not_to_contain_text(
        arabic("A volunteer has been proposed for you. Please look and say yes or no.")
    )
    assert refugee_page.evaluate("document.documentElement.scrollWidth") <= 360
