"""Coordination registers a person on their behalf and prints a slip with a personal access code."""

import re

import pytest
from sqlalchemy import select

from app.models import AuditEvent, ConsentPurpose, RefugeeProfile, Role, User


def slip_code(page: str) -> str:
    return re.search(r'class="slip-code" dir="ltr">([A-Z0-9-]+)<', page).group(1)


@pytest.fixture
def registered_profile(coordinator_client, db):
    response = coordinator_client.post(
        "/welcome/assisted", data={"full_name": "Senait Tesfay", "phone": "", "language": "ti", "consent_matching": "y"}
    )
    profile = db.session.scalar(select(RefugeeProfile))
    assert response.location.endswith(f"/welcome/{profile.id}/step/1")
    return profile


def test_the_person_is_registered_with_consent_recorded_by_the_coordinator(registered_profile, coordinator, db):
    user = registered_profile.user
    assert (user.role, user.preferred_language, user.phone) == (Role.REFUGEE, "ti", None)
    assert registered_profile.registered_by_id == coordinator.id
    consent = user.consents[0]
    assert consent.purpose == ConsentPurpose.MATCHING and consent.recorded_by_id == coordinator.id
    assert "refugee.registered_on_behalf" in db.session.scalars(select(AuditEvent.action)).all()


def test_the_coordinator_answers_the_steps_and_returns_to_the_record(coordinator_client, registered_profile, db):
    base = f"/welcome/{registered_profile.id}/step"
    coordinator_client.post(
        f"{base}/1", data={"gender": "f", "birth_year": "1995", "members-0-relation": "child", "members-0-age": "3"}
    )
    coordinator_client.post(
        f"{base}/2", data={"languages-0-language": "ti", "languages-0-level": "native", "german_level": ""}
    )
    coordinator_client.post(f"{base}/3", data={"needs": ["childcare"]})
    coordinator_client.post(f"{base}/4", data={"locality_id": "warstein", "travel_km": "3", "slots": ["mon-morning"]})
    response = coordinator_client.post(
        f"{base}/5",
        data={"preferred_mentor_gender": "f", "protection_notes": "alleinerziehend", "consent_protection_needs": "y"},
    )

    assert response.location.endswith(f"/refugees/{registered_profile.id}")
    db.session.expire_all()
    assert registered_profile.completed_at is not None and registered_profile.has_children
    notes_consent = [c for c in registered_profile.user.consents if c.purpose == ConsentPurpose.PROTECTION_NEEDS][0]
    assert notes_consent.recorded_by is not None
    page = coordinator_client.get(f"/refugees/{registered_profile.id}").get_data(as_text=True)
    assert "alleinerziehend" in page


def test_the_slip_is_in_the_persons_language_and_its_code_logs_in(coordinator_client, registered_profile, db):
    page = coordinator_client.post(f"/welcome/{registered_profile.id}/slip").get_data(as_text=True)

    assert '<html lang="ti" dir="ltr">' in page and "<svg" in page
    code = slip_code(page)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert registered_profile.access_code_digest and code not in registered_profile.access_code_digest

    # The QR code's link carries the code after "#", which browsers never send: no log can hold it.
    assert f"http://localhost/welcome/code#{code}" not in page  # not printed as text either
    assert re.search(r"<title>http://localhost/welcome/code</title>", page)
    coordinator_client.post("/auth/logout")
    form = coordinator_client.get("/welcome/code").get_data(as_text=True)
    assert "data-code-from-link" in form
    response = coordinator_client.post("/welcome/code", data={"code": code.lower().replace("-", " ")})
    assert response.location.endswith("/welcome/me")
    assert "Senait Tesfay" in coordinator_client.get("/welcome/me").get_data(as_text=True)


def test_an_arabic_slip_is_right_to_left(coordinator_client, make_refugee):
    profile = make_refugee(language="ar").refugee_profile
    page = coordinator_client.post(f"/welcome/{profile.id}/slip").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


def test_a_new_slip_makes_the_old_code_useless(coordinator_client, registered_profile, client):
    old = slip_code(coordinator_client.post(f"/welcome/{registered_profile.id}/slip").get_data(as_text=True))
    slip_code(coordinator_client.post(f"/welcome/{registered_profile.id}/slip").get_data(as_text=True))
    coordinator_client.post("/auth/logout")
    response = coordinator_client.post("/welcome/code", data={"code": old})
    assert response.status_code == 200 and 'id="code-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("code", ["", "AAAA-BBBB-CCCC", "' OR 1=1 --", "x" * 41])
def test_wrong_codes_are_refused(client, registered_profile, code):
    response = client.post("/welcome/code", data={"code": code})
    assert response.status_code == 200 and 'id="code-error"' in response.get_data(as_text=True)


def test_only_coordinators_register_on_behalf_or_print_slips(volunteer_client, make_refugee):
    profile = make_refugee().refugee_profile
    assert volunteer_client.get("/welcome/assisted").status_code == 403
    assert volunteer_client.post(f"/welcome/{profile.id}/slip").status_code == 403


def test_assisted_intake_refuses_a_registered_phone(coordinator_client, make_refugee, db):
    make_refugee(phone="+4917612345678")
    response = coordinator_client.post(
        "/welcome/assisted",
        data={"full_name": "Amal", "phone": "0176 12345678", "language": "ar", "consent_matching": "y"},
    )
    assert 'id="phone-error"' in response.get_data(as_text=True)
    assert len(db.session.scalars(select(User)).all()) == 2  # the coordinator and the first registration
