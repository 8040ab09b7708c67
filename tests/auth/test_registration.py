"""Volunteer registration: the account, its consents and the refusals."""

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Consent, ConsentPurpose, Role, User

VALID = {
    "full_name": "Erika Mustermann",
    "email": "Erika@Example.org",
    "password": "ein langes passwort",
    "password_confirm": "ein langes passwort",
    "consent_matching": "y",
    "consent_email_contact": "y",
}


def user_count(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_registration_creates_volunteer_with_consents_and_logs_in(client, db):
    response = client.post("/auth/register", data=VALID)

    assert response.status_code == 302
    assert response.location.endswith("/volunteers/questionnaire/1")
    user = db.session.scalar(select(User))
    assert user.email == "erika@example.org"
    assert user.role == Role.VOLUNTEER
    assert user.password_hash != VALID["password"] and user.check_password(VALID["password"])
    assert user.volunteer_profile is not None and user.volunteer_profile.steps_done == 0
    consents = {c.purpose: c for c in db.session.scalars(select(Consent))}
    assert set(consents) == {ConsentPurpose.MATCHING, ConsentPurpose.EMAIL_CONTACT}
    assert all(c.text_version and c.given_at and c.withdrawn_at is None for c in consents.values())
    assert db.session.scalar(select(AuditEvent.action)) == "user.registered"
    assert client.get("/volunteers/questionnaire/1").status_code == 200


def test_registration_stores_the_language_of_the_page(client, db):
    client.post("/auth/register?lang=en", data=VALID)
    assert db.session.scalar(select(User.preferred_language)) == "en"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"full_name": ""}, "Bitte geben Sie Ihren Namen ein."),
        ({"full_name": "x" * 121}, "Höchstens 120 Zeichen."),
        ({"email": ""}, "Bitte geben Sie Ihre E-Mail-Adresse ein."),
        ({"email": "not-an-address"}, "keine gültige E-Mail-Adresse"),
        ({"password": "short", "password_confirm": "short"}, "mindestens 10 Zeichen"),
        ({"password_confirm": "something else entirely"}, "stimmen nicht überein"),
        ({"consent_matching": ""}, "Ohne diese Einwilligung"),
    ],
)
def test_bad_registration_is_refused_with_a_german_message(client, db, change, message):
    response = client.post("/auth/register", data={**VALID, **change})

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count(db) == 0


def test_english_messages_for_english_users(client, db):
    response = client.post(
        "/auth/register", data={**VALID, "email": "nope"}, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert "This is not a valid e-mail address." in response.get_data(as_text=True)


def test_duplicate_email_is_refused_whatever_its_case(client, db, make_user):
    make_user(Role.VOLUNTEER, email="erika@example.org")

    response = client.post("/auth/register", data={**VALID, "email": " ERIKA@example.org "})

    assert response.status_code == 200
    assert "gibt es bereits ein Konto" in response.get_data(as_text=True)
    assert user_count(db) == 1


def test_registration_without_email_and_consent_fields_is_harmless(client, db):
    response = client.post("/auth/register", data={})
    assert response.status_code == 200
    assert user_count(db) == 0
