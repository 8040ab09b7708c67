"""The registrations show what happens with the data, in the person's language, before consent is asked;
the full notice opens from there and from every page's footer."""

import pytest
from locales import in_language
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REFUGEE_SUMMARY = (
    "The coordination office stores your answers to find volunteers who can help you. "
    "Only coordinators see your residence status and your notes."
)


def above(first, second) -> bool:
    return first.bounding_box()["y"] + first.bounding_box()["height"] <= second.bounding_box()["y"]


@pytest.mark.parametrize("locale", ["ar", "ti", "uk"])
def test_the_refugee_registration_explains_the_data_before_the_consent(live_server, phone, locale):
    page = phone
    page.goto(f"{live_server}/welcome/account?lang={locale}")
    summary = page.locator(".privacy-summary")
    expect(summary.get_by_role("heading")).to_have_text(in_language(locale, "What happens with your data"))
    expect(summary).to_contain_text(in_language(locale, REFUGEE_SUMMARY))
    consent = page.locator("#consent_matching")
    expect(consent).to_be_visible()
    assert above(summary, consent)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The link opens the full notice in a new tab, in the same language, right to left where it is read so.
    with page.context.expect_page() as opened:
        summary.get_by_role("link", name=in_language(locale, "Read the full privacy notice")).click()
    notice = opened.value
    notice.wait_for_load_state()
    expect(notice.locator("h1")).to_have_text(in_language(locale, "Privacy notice"))
    expect(notice.locator("html")).to_have_attribute("dir", "rtl" if locale == "ar" else "ltr")
    assert notice.evaluate("document.documentElement.scrollWidth") <= 360
    notice.close()


def test_the_volunteer_sign_up_explains_the_data_before_the_consent(live_server, phone):
    page = phone
    page.goto(f"{live_server}/auth/register")
    summary = page.locator(".privacy-summary")
    expect(summary.get_by_role("heading")).to_have_text("Was mit Ihren Daten geschieht")
    assert above(summary, page.locator("#consent_matching"))


def test_the_footer_leads_to_the_three_legal_pages(live_server, phone):
    page = phone
    page.goto(f"{live_server}/?lang=uk")
    footer = page.locator("footer")
    for label, heading in (
        ("Imprint", "Imprint"),
        ("Privacy notice", "Privacy notice"),
        ("Accessibility statement", "Accessibility statement"),
    ):
        footer.get_by_role("link", name=in_language("uk", label)).click()
        expect(page.locator("h1")).to_have_text(in_language("uk", heading))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
