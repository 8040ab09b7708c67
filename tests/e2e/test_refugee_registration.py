"""A family registers in Arabic on a phone; the pages read right to left."""

import pytest
from locales import arabic
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]


def assert_fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def box(locator) -> dict:
    return locator.bounding_box()


def test_a_family_registers_in_arabic_on_a_phone(live_server, phone, db):
    page = phone
    page.goto(f"{live_server}/welcome/")
    page.get_by_role("link", name="العربية").click()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.get_by_role("textbox", name=arabic("Name"), exact=True).fill("محمد الحسن")
    page.get_by_role("textbox", name=arabic("Phone number"), exact=True).fill("0176 1234 5678")
    page.get_by_role("textbox", name=arabic("Password"), exact=True).fill("كلمة سر طويلة جدا")
    page.get_by_role("textbox", name=arabic("Repeat the password")).fill("كلمة سر طويلة جدا")
    page.locator("#consent_matching").check()
    page.get_by_role("button", name=arabic("Create account")).click()

    # Step 1: the family. Labels start at the right edge on a right-to-left page.
    expect(page.locator("h1")).to_have_text(arabic("You and your family"))
    label, field = box(page.locator("label[for=birth_year]")), box(page.locator("#birth_year"))
    assert label["x"] + label["width"] == pytest.approx(field["x"] + field["width"], abs=2)
    page.locator("#gender").select_option("m")
    page.locator("#birth_year").fill("1988")
    page.locator("#members-0-relation").select_option("partner")
    page.locator("#members-0-age").fill("31")
    page.get_by_role("button", name=arabic("Add a person")).click()
    page.locator("#members-1-relation").select_option("child")
    page.locator("#members-1-age").fill("6")
    assert_fits_a_phone(page)
    page.get_by_role("button", name=arabic("Save and continue")).click()

    expect(page.locator("h1")).to_have_text(arabic("Languages"))
    page.locator("#languages-0-language").fill("العربية")
    page.locator("#languages-0-level").select_option("native")
    page.locator("#german_level").select_option("A1")
    page.get_by_role("button", name=arabic("Save and continue")).click()

    expect(page.locator("h1")).to_have_text(arabic("What would help you"))
    page.locator("input[name=needs][value=homework_help]").check()
    page.locator("input[name=urgent][value=paperwork]").check()
    icon = page.locator("svg.icon.directional").last  # the arrow on the button points the way of reading
    assert "matrix(-1" in page.evaluate("el => getComputedStyle(el).transform", icon.element_handle())
    assert_fits_a_phone(page)
    page.get_by_role("button", name=arabic("Save and continue")).click()

    # Step 4: the weekly grid is mirrored, weekdays on the right.
    expect(page.locator("h1")).to_have_text(arabic("Time and place"))
    day, first_cell = box(page.locator("tbody th").first), box(page.locator("tbody td").first)
    assert day["x"] > first_cell["x"]
    page.locator("#locality_id").select_option("warstein")  # named in Arabic letters, with its German name
    page.locator("#travel_km").fill("5")
    page.locator("#slot-tue-afternoon").check()
    assert_fits_a_phone(page)
    page.get_by_role("button", name=arabic("Save and continue")).click()

    page.get_by_role("button", name=arabic("Finish")).click()

    expect(page.locator("h1")).to_have_text(arabic("My data"))
    expect(page.get_by_role("main")).to_contain_text("Warstein")
    expect(page.get_by_role("main")).to_contain_text(arabic("urgent"))
    assert_fits_a_phone(page)
