"""The whole way: matching, an explanation, acceptance, both parties agree in their languages, the certificate."""

import pytest
from browsing import log_in
from locales import in_language
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]


# On paper: what shows a background other than white, or a border in a colour other than black.
GREY_ON_PAPER = """() => {
  const white = ['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)', 'transparent'];
  const found = [];
  const describe = (el) => el.tagName + '.' + el.className;
  for (const el of [document.documentElement, document.body, ...document.querySelectorAll('body *')]) {
    if (!el.getClientRects().length) continue;  // not printed
    const style = getComputedStyle(el);
    if (!white.includes(style.backgroundColor)) found.push(describe(el) + ' ' + style.backgroundColor);
    for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
      const color = style['border' + side + 'Color'];
      if (parseFloat(style['border' + side + 'Width']) && style['border' + side + 'Style'] !== 'none'
          && color !== 'rgb(0, 0, 0)') found.push(describe(el) + ' border ' + color);
    }
    if (style.boxShadow !== 'none') found.push(describe(el) + ' shadow');
  }
  return found;
}"""


def log_out(page) -> None:
    page.locator("header form button.link-button").click()


def test_from_matching_run_to_certificate(live_server, browser, pair, coordinator, password):
    volunteer, refugee = pair
    page = browser.new_context(locale="de-DE", viewport={"width": 1024, "height": 800}).new_page()

    log_in(page, live_server, coordinator.email, password)
    page.goto(f"{live_server}/matching/")
    page.get_by_role("button", name="Vermittlung für alle noch nicht Entschiedenen starten").click()
    proposal = page.locator("article.proposal").first
    expect(proposal).to_contain_text("beide sprechen Arabisch")
    expect(proposal).to_contain_text("Amal Haddad")
    proposal.get_by_role("button", name="Annehmen").click()
    expect(page.locator("h1")).to_contain_text("Patenschaft")
    agreement_url = page.url
    log_out(page)

    log_in(page, live_server, volunteer.email, password)
    page.goto(agreement_url)
    page.get_by_role("button", name="Ja, ich bin einverstanden").click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    log_in(page, live_server, refugee.phone, password)
    page.goto(agreement_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("button", name=in_language("ar", "Yes, I agree")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    log_in(page, live_server, coordinator.email, password)
    page.goto(agreement_url)
    page.get_by_role("button", name="Patenschaft genehmigen").click()
    expect(page.locator("p.status")).to_contain_text("aktiv")
    page.get_by_role("link", name="Urkunde drucken").click()
    expect(page.locator("section[lang=de] h2")).to_have_text("Patenschaftsurkunde")
    expect(page.locator("section[lang=ar] h2")).to_have_text(in_language("ar", "Certificate of thanks"))
    expect(page.locator("article.document")).to_contain_text("Vera Volunteer")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="print")
    assert page.evaluate(GREY_ON_PAPER) == []
    page.goto(agreement_url + "/document")
    expect(page.locator(".signatures li")).to_have_count(3)
    expect(page.locator(".signatures")).to_contain_text("Geflüchtete Person, für den Haushalt")
    expect(page.locator(".document-date")).to_contain_text("Soest, ")
    assert page.evaluate(GREY_ON_PAPER) == []
