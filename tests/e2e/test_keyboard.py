"""Keyboard use on a phone: Enter ("Go") in a field saves the step and continues, never adds an empty row."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import RefugeeProfile

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]


def test_enter_saves_and_continues_on_the_steps_with_rows(live_server, phone, db):
    page = phone
    page.goto(f"{live_server}/welcome/account?lang=de")
    page.get_by_role("textbox", name="Name", exact=True).fill("Hamid Rahimi")
    page.get_by_role("textbox", name="Telefonnummer", exact=True).fill("0176 2222 3333")
    page.get_by_role("textbox", name="Passwort", exact=True).fill("ein langes passwort")
    page.get_by_role("textbox", name="Passwort wiederholen").fill("ein langes passwort")
    page.locator("#consent_matching").check()
    page.locator("#consent_matching").press("Enter")

    expect(page.locator("h1")).to_have_text("Sie und Ihre Familie")
    page.locator("#gender").select_option("m")
    page.locator("#members-0-relation").select_option("child")
    page.locator("#members-0-age").fill("4")
    page.locator("#birth_year").fill("1990")
    page.locator("#birth_year").press("Enter")

    expect(page.locator("h1")).to_have_text("Sprachen")
    page.locator("#languages-0-level").select_option("native")
    page.locator("#german_level").select_option("A2")
    page.locator("#languages-0-language").fill("Dari (fa)")
    page.locator("#languages-0-language").press("Enter")

    expect(page.locator("h1")).to_have_text("Was Ihnen helfen würde")
    db.session.remove()
    profile = db.session.scalar(select(RefugeeProfile))
    assert profile.steps_done == 2 and len(profile.members) == 1 and [row.code for row in profile.languages] == ["fa"]
