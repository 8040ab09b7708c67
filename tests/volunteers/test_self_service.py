"""Volunteers pause, resume, withdraw and manage their consents."""

from datetime import date, timedelta

from sqlalchemy import select

from app.consents import has_consent
from app.models import AuditEvent, Consent, ConsentPurpose, VolunteerStatus


def test_pause_until_a_date_and_resume(volunteer_client, volunteer, db):
    until = date.today() + timedelta(days=14)

    volunteer_client.post("/volunteers/me/pause", data={"paused_until": until.isoformat()})

    profile = volunteer.volunteer_profile
    assert profile.status == VolunteerStatus.PAUSED and profile.paused_until == until
    volunteer_client.post("/volunteers/me/resume")
    db.session.expire_all()
    assert profile.status == VolunteerStatus.ACTIVE and profile.paused_until is None
    assert {"volunteer.paused", "volunteer.resumed"} <= set(db.session.scalars(select(AuditEvent.action)))


def test_pause_with_a_past_date_is_refused(volunteer_client, volunteer):
    response = volunteer_client.post("/volunteers/me/pause", data={"paused_until": "2001-01-01"}, follow_redirects=True)
    assert "in der Zukunft" in response.get_data(as_text=True)
    assert volunteer.volunteer_profile.status == VolunteerStatus.ACTIVE


def test_withdraw_needs_the_confirmation_box(volunteer_client, volunteer, db):
    volunteer_client.post("/volunteers/me/withdraw", data={})
    assert volunteer.volunteer_profile.status == VolunteerStatus.ACTIVE

    volunteer_client.post("/volunteers/me/withdraw", data={"confirm": "y"})
    db.session.expire_all()
    assert volunteer.volunteer_profile.status == VolunteerStatus.WITHDRAWN


def test_withdrawing_a_consent_keeps_the_record(volunteer_client, volunteer, db):
    assert volunteer_client.get("/auth/consents").status_code == 200

    volunteer_client.post("/auth/consents", data={"consent_contact_lists": "y"})

    db.session.expire_all()
    assert not has_consent(volunteer, ConsentPurpose.MATCHING)
    assert has_consent(volunteer, ConsentPurpose.CONTACT_LISTS)
    matching = db.session.scalars(select(Consent).where(Consent.purpose == ConsentPurpose.MATCHING)).all()
    assert len(matching) == 1 and matching[0].withdrawn_at is not None


def test_giving_a_consent_again_adds_a_new_record(volunteer_client, volunteer, db):
    volunteer_client.post("/auth/consents", data={})
    volunteer_client.post("/auth/consents", data={"consent_matching": "y"})
    db.session.expire_all()
    rows = db.session.scalars(select(Consent).where(Consent.purpose == ConsentPurpose.MATCHING)).all()
    assert [row.withdrawn_at is None for row in rows] == [False, True]


def test_profile_page_shows_the_answers(volunteer_client):
    page = volunteer_client.get("/volunteers/me").get_data(as_text=True)
    assert "Soest" in page and "Patenschaft" in page and "Dienstag abends" in page
