"""The inbox page, its badge in the header, marking read, the settings page and the refugee's start page."""

from datetime import time

import pytest
from locales import arabic
from sqlalchemy import select

from app.agreements import services as agreements
from app.models import Notification, NotificationPreference, Role
from app.notifications import services


def test_the_inbox_shows_entries_in_the_readers_language_with_a_badge(app, db, client, login, pair, draft):
    volunteer, refugee = pair
    services.notify(refugee, "proposal_waiting", agreement=draft.id)
    db.session.commit()
    login(client, refugee)  # reads Arabic
    page = client.get("/inbox/").get_data(as_text=True)
    assert "تم اقتراح متطوع لك. من فضلك انظر وقل نعم أو لا." in page
    assert '<span class="badge" aria-hidden="true">1</span>' in page
    assert 'dir="rtl"' in page


def test_opening_an_entry_marks_it_read_and_leads_to_its_page(app, db, client, login, pair, draft):
    volunteer, _ = pair
    services.notify(volunteer, "sponsorship_proposed", agreement=draft.id)
    db.session.commit()
    [entry] = services.inbox(volunteer)
    login(client, volunteer)
    response = client.post(f"/inbox/{entry.id}/read")
    assert response.status_code == 302 and response.location == f"/sponsorships/{draft.id}"
    assert entry.read_at is not None
    assert 'class="badge"' not in client.get("/inbox/").get_data(as_text=True)


def test_nobody_reads_anothers_entry(app, db, client, login, pair, draft, coordinator):
    volunteer, _ = pair
    services.notify(volunteer, "sponsorship_proposed", agreement=draft.id)
    db.session.commit()
    [entry] = services.inbox(volunteer)
    login(client, coordinator)
    assert client.post(f"/inbox/{entry.id}/read").status_code == 404
    assert client.post("/inbox/999999/read").status_code == 404
    assert entry.read_at is None


def test_all_can_be_marked_read(app, db, client, login, volunteer):
    for _ in range(3):
        services.notify(volunteer, "appointment_confirmed", when=services.utcnow())
    db.session.commit()
    login(client, volunteer)
    assert services.unread_count(volunteer) == 3
    client.post("/inbox/read")
    assert services.unread_count(volunteer) == 0


def test_the_settings_page_saves_channels_and_quiet_hours(app, db, client, login, refugee):
    login(client, refugee)
    page = client.get("/inbox/settings").get_data(as_text=True)
    assert 'name="by_sms"' in page and 'name="by_email"' not in page  # no address: no e-mail choice
    client.post("/inbox/settings", data={"by_sms": "y", "quiet_from": "22:00", "quiet_until": "07:00"})
    saved = db.session.get(NotificationPreference, refugee.id)
    assert (saved.by_sms, saved.quiet_from, saved.quiet_until) == (True, time(22), time(7))


@pytest.mark.parametrize(
    "data", [{"quiet_from": "22:00"}, {"quiet_until": "07:00"}, {"quiet_from": "25:00", "quiet_until": "07:00"}]
)
def test_half_or_wrong_quiet_hours_are_refused_and_nothing_is_saved(app, db, client, login, refugee, data):
    login(client, refugee)
    response = client.post("/inbox/settings", data={"by_sms": "y", **data})
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    assert db.session.get(NotificationPreference, refugee.id) is None


def test_the_refugees_start_page_says_plainly_what_is_new(app, client, login, pair, draft, coordinator):
    volunteer, refugee = pair
    login(client, refugee)
    page = client.get("/welcome/me").get_data(as_text=True)
    assert "تم اقتراح متطوع لك" in page and f"/sponsorships/{draft.id}" in page
    agreements.agree(draft, refugee)
    page = client.get("/welcome/me").get_data(as_text=True)
    assert "تم اقتراح متطوع لك" not in page
    assert arabic("You said yes. The coordination office will confirm the sponsorship soon.") in page
    agreements.agree(draft, volunteer)
    agreements.approve(draft, coordinator)
    page = client.get("/welcome/me").get_data(as_text=True)
    assert arabic("Your sponsorship is confirmed.") in page
    assert arabic("Thank you! The coordination office will look for a volunteer and contact you.") not in page


def test_drafting_and_answering_tell_the_right_people(app, db, pair, draft, coordinator, make_user):
    volunteer, refugee = pair
    agreements.agree(draft, volunteer)
    agreements.agree(draft, refugee)
    kinds = {
        user.role: [n.kind for n in db.session.scalars(select(Notification).where(Notification.recipient == user))]
        for user in (volunteer, refugee, coordinator)
    }
    assert kinds[Role.COORDINATOR] == ["agreement_to_confirm"]
    agreements.approve(draft, coordinator)
    assert [n.kind for n in services.inbox(refugee)] == ["sponsorship_confirmed"]
