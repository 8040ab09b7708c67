"""A refugee asks for an interpreter in Arabic on a phone; coordination offers it to the top candidates, one
accepts through the link in the message, both sides get the confirmation with the calendar entry, the
volunteer reports it done, coordination approves, and the payout list shows the allowance."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from browsing import log_in
from locales import arabic, in_language
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db as _db
from app.models import TIME_SLOTS, Appointment, AppointmentStatus, Notification, utcnow

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]


def notifications(user_id: int, kind: str) -> list[Notification]:
    _db.session.expire_all()
    return list(
        _db.session.scalars(select(Notification).where(Notification.recipient_id == user_id, Notification.kind == kind))
    )


def test_an_interpreter_in_arabic_from_request_to_payout(
    live_server, browser, refugee, coordinator, make_volunteer, password
):
    interpreters = [
        make_volunteer(
            f"Dolmetscherin {n}",
            email=f"interpreter{n}@example.org",
            offers=("interpreting",),
            languages={"de": "native", "ar": "C1"},
            slots=TIME_SLOTS,
        )
        for n in range(3)
    ]
    day = date.today() + timedelta(days=7)

    # The refugee asks on her phone, in Arabic, with the short form.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="ar").new_page()
    log_in(phone, live_server, refugee.phone, password)
    phone.goto(f"{live_server}/appointments/new")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("h1")).to_have_text(arabic("I need help with an appointment"))
    phone.locator("input[name=kind][value=interpreting]").check()
    phone.locator("#day").fill(day.isoformat())
    phone.locator("#at").fill("10:00")
    phone.locator("#place").select_option("soest")
    phone.locator("#meeting_point").fill("Rathaus, Haupteingang")
    phone.locator("input[name=gender][value=f]").check()
    expect(phone.locator("input[name=languages][value=ar]")).to_be_checked()  # her language, from her profile
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name=arabic("Ask for help")).click()
    expect(phone.locator(".flash-success")).to_contain_text(
        arabic("Thank you. The coordination office will look at your request.")
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # Coordination reviews it and offers it to the three top candidates at once.
    desk = browser.new_context(locale="de-DE", viewport={"width": 1024, "height": 800}).new_page()
    log_in(desk, live_server, coordinator.email, password)
    desk.goto(f"{live_server}/appointments/")
    desk.locator("table.list a[href*='/appointments/']").first.click()
    desk.get_by_role("button", name=in_language("de", "Reviewed: look for a volunteer")).click()
    candidates = desk.locator("ol.candidates > li")
    expect(candidates).to_have_count(3)
    expect(candidates.first).to_contain_text(in_language("de", "speaks %(language)s") % {"language": "Arabisch"})
    desk.get_by_role("button", name=in_language("de", "Offer"), exact=True).click()
    expect(desk.locator(".flash-success")).to_be_visible()

    # One interpreter answers through the signed link in her message, without logging in.
    chosen = interpreters[1]
    [offer] = notifications(chosen.id, "appointment_offer")
    volunteer = browser.new_context(locale="de-DE", viewport={"width": 360, "height": 740}).new_page()
    volunteer.goto(f"{live_server}/appointments/answer/{offer.params['values']['token']}")
    volunteer.get_by_role("button", name=in_language("de", "Yes, I will do it")).click()
    expect(volunteer.locator(".flash-success")).to_be_visible()
    others = [i for i in interpreters if i.id != chosen.id]
    assert all(notifications(other.id, "appointment_taken") for other in others)

    # Both sides are confirmed, with the calendar entry.
    for person in (refugee, chosen):
        [confirmed] = notifications(person.id, "appointment_confirmed")
        entry = volunteer.request.get(live_server + urlsplit(confirmed.params["calendar"]).path)
        assert entry.ok and "BEGIN:VEVENT" in entry.text() and "Haupteingang" in entry.text()
    phone.goto(f"{live_server}/appointments/mine")
    phone.locator("ul.edit-links a").first.click()
    expect(phone.locator("a[href*='/calendar/']")).to_be_visible()

    # The day has come (and gone): the interpreter reports it, coordination approves.
    appointment = _db.session.scalars(select(Appointment)).one()
    length = appointment.ends_at - appointment.starts_at
    appointment.starts_at = utcnow() - timedelta(hours=3)
    appointment.ends_at = appointment.starts_at + length
    _db.session.commit()
    log_in(volunteer, live_server, chosen.email, password)
    volunteer.goto(f"{live_server}/appointments/{appointment.id}")
    volunteer.locator("input[name=took_place][value=yes]").check()
    volunteer.locator("#minutes").fill("75")
    volunteer.get_by_role("button", name=in_language("de", "Report"), exact=True).click()
    expect(volunteer.locator(".flash-success")).to_be_visible()

    desk.goto(f"{live_server}/appointments/{appointment.id}")
    desk.get_by_role("button", name=in_language("de", "Approve"), exact=True).click()
    expect(desk.locator(".allowance")).to_contain_text("20,00")
    desk.goto(f"{live_server}/appointments/payouts")
    expect(desk.locator("table.payout")).to_contain_text("Dolmetscherin 1")
    expect(desk.locator("table.payout")).to_contain_text("20,00\xa0€")
    _db.session.expire_all()
    assert _db.session.get(Appointment, appointment.id).status == AppointmentStatus.APPROVED
