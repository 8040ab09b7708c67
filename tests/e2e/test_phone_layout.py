"""Every page fits a 360 px phone in German, Arabic and Ukrainian, for every role, with the demo data.

The pages are the app's own GET routes, each filled in with demo records; a page a role may not
open (403, 404, a redirect to the login) or that is no HTML page (exports, calendars) is left out
for that role.
"""

import pytest
from browsing import every_page_of_every_role, page_urls

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]

# What sticks out of the screen, or what its box cannot hold (a weekday cut off in the time grid).
OVERFLOWS = """(withDropDowns) => {
  const width = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : '')
    + ' "' + (el.textContent || el.value || '').trim().slice(0, 40) + '"';
  const hidden = (el) => el.closest(
    '.table-scroll, .visually-hidden, .skip-link, datalist, option, svg, details:not([open]) > :not(summary)');
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (hidden(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) found.push('sticks out: ' + describe(el));
  }
  // content wider than its box: text that runs out of it (or is clipped), a cell too narrow for its weekday
  for (const el of document.querySelectorAll('body *')) {
    // text fields scroll their own text
    if (hidden(el) || !el.clientWidth || ['INPUT', 'TEXTAREA'].includes(el.tagName)
        || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) found.push('too wide for its box: ' + describe(el));
  }
  // a drop-down shows any option whole once chosen (its arrow takes about 20 px)
  const canvas = document.createElement('canvas').getContext('2d');
  for (const el of withDropDowns ? document.querySelectorAll('select') : []) {
    if (hidden(el) || !el.clientWidth) continue;
    const style = getComputedStyle(el);
    canvas.font = style.font;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    for (const option of el.options) {
      const cut = canvas.measureText(option.text).width > room;
      if (cut) found.push('drop-down cuts "' + option.text + '": ' + describe(el));
    }
  }
  // a weekday of the time grid stays whole, on one line
  for (const el of document.querySelectorAll('.availability-grid tbody th')) {
    const text = document.createRange();
    text.selectNodeContents(el);
    if (text.getClientRects().length > 1) found.push('weekday broken: ' + describe(el));
  }
  return {scrollWidth: document.documentElement.scrollWidth, found: found.slice(0, 6)};
}"""


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
def test_no_page_scrolls_sideways_on_a_phone(live_server, phone_pages, app, db, demo, language):
    urls = page_urls(app, demo["values"])
    assert len(urls) > 30
    problems, seen = {}, set()
    roles = ("anonymous", "refugee", "volunteer", "coordinator", "admin")
    for role, url, page in every_page_of_every_role(phone_pages, live_server, db, demo, roles, language, urls):
        seen.add((role, url))
        # Staff forms offer names of any length (groups, activities), which no drop-down can wrap.
        result = page.evaluate(OVERFLOWS, role in ("anonymous", "refugee", "volunteer"))
        if result["scrollWidth"] > page.viewport_size["width"] or result["found"]:
            problems[f"{role} {url}"] = result
    assert len(seen) > 40, sorted(seen)
    assert not problems, "\n".join(f"{page}: {result}" for page, result in sorted(problems.items()))


# Where each of ``texts`` first occurs inside ``element`` (in that order) starts on screen.
LEFT_EDGES = """(element, texts) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const found = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let from = 0;
    for (const text of texts) {
      const at = node.data.indexOf(text, from);
      if (at < 0 || text in found) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      found[text] = range.getBoundingClientRect().left;
      from = at + text.length;
    }
  }
  return found;
}"""


def test_numbers_and_names_keep_their_order_on_right_to_left_pages(live_server, phone):
    page = phone
    page.goto(f"{live_server}/welcome/account?lang=ar")
    page.locator("#full_name").fill("Ali Mansour")
    page.locator("#phone").fill("12")
    page.locator("#password").fill("كلمة سر طويلة جدا")
    page.locator("#password_confirm").fill("كلمة سر طويلة جدا")
    page.locator("form button.primary").click()

    # "+49 171 1234567" in an Arabic sentence, not "1234567 171 49+"
    # (a locator waits for the answer page; page.evaluate would read the form still being sent)
    edges = page.locator("#phone-error").evaluate(LEFT_EDGES, ["+49", "171", "1234567"])
    assert edges["+49"] < edges["171"] < edges["1234567"]
    assert page.locator("#phone").evaluate("el => getComputedStyle(el).textAlign") == "right"
    # the consent's error goes under its label instead of squeezing it
    label, error = page.locator("label[for=consent_matching]"), page.locator("#consent_matching-error")
    assert error.bounding_box()["y"] >= label.bounding_box()["y"] + label.bounding_box()["height"] - 1
    assert label.bounding_box()["width"] > 200

    page.locator("#phone").fill("0176 1234 5678")
    page.locator("#password").fill("كلمة سر طويلة جدا")
    page.locator("#password_confirm").fill("كلمة سر طويلة جدا")
    page.locator("#consent_matching").check()
    page.locator("form button.primary").click()
    page.wait_for_url(lambda url: "/welcome/account" not in url)  # registered, not cut off by the next step
    page.goto(f"{live_server}/welcome/me")
    edges = page.locator("main dl").evaluate(LEFT_EDGES, ["0176", "12345678"])
    assert edges["0176"] < edges["12345678"]
