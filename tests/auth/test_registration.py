"""Volunteer registration: the account, its consents, the mailed confirmation and the refusals."""

import re

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


def without_csrf_token(page: str) -> str:
    """The page without its CSRF token, which is signed anew with a timestamp on every page."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def confirmation_link(mail) -> str:
    return re.search(r"http://localhost(/auth/confirm/\S+)", mail.body).group(1)


def test_registration_creates_volunteer_with_consents_and_the_mailed_link_logs_in(client, db, outbox):
    response = client.post("/auth/register", data=VALID)

    assert response.status_code == 302 and response.location.endswith("/auth/login")
    user = db.session.scalar(select(User))
    assert user.email is None and user.pending_email == "erika@example.org"
    assert user.role == Role.VOLUNTEER
    assert user.password_hash != VALID["password"] and user.check_password(VALID["password"])
    consents = {c.purpose: c for c in db.session.scalars(select(Consent))}
    assert set(consents) == {ConsentPurpose.MATCHING, ConsentPurpose.EMAIL_CONTACT}
    assert all(c.text_version and c.given_at and c.withdrawn_at is None for c in consents.values())
    assert db.session.scalar(select(AuditEvent.action)) == "user.registered"
    assert len(outbox) == 1 and outbox[0].to == ["erika@example.org"]
    assert client.get("/volunteers/questionnaire/1").status_code == 302  # not logged in before confirming

    link = confirmation_link(outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": VALID["password"]})

    assert response.status_code == 302 and response.location.endswith("/volunteers/questionnaire/1")
    assert user.email == "erika@example.org" and user.pending_email is None
    assert user.volunteer_profile is not None and user.volunteer_profile.steps_done == 0
    assert client.get("/volunteers/questionnaire/1").status_code == 200
    assert "user.email_confirmed" in db.session.scalars(select(AuditEvent.action)).all()


def test_the_link_asks_for_the_password_and_works_once(client, db, outbox):
    client.post("/auth/register", data=VALID)
    link = confirmation_link(outbox[0])

    wrong = client.post(link, data={"password": "not the password at all"})
    assert wrong.status_code == 200 and "nicht das Passwort" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(User.email)) is None

    client.post(link, data={"password": VALID["password"]})
    client.post("/auth/logout")
    again = client.get(link, follow_redirects=True)
    assert "ungültig, abgelaufen oder schon benutzt" in again.get_data(as_text=True)


def test_logging_in_before_confirming_mails_a_new_link(client, db, outbox):
    client.post("/auth/register", data=VALID)

    response = client.post(
        "/auth/login", data={"identifier": "erika@example.org", "password": VALID["password"]}, follow_redirects=True
    )

    assert "bestätigen Sie zuerst Ihre E-Mail-Adresse" in response.get_data(as_text=True)
    assert len(outbox) == 2 and confirmation_link(outbox[1])
    wrong = client.post("/auth/login", data={"identifier": "erika@example.org", "password": "a wrong password"})
    assert "Die Anmeldedaten oder das Passwort sind falsch." in wrong.get_data(as_text=True) and len(outbox) == 2


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


def test_a_registered_address_gets_the_same_answer_and_its_owner_a_note(client, db, make_user, outbox):
    make_user(Role.VOLUNTEER, email="erika@example.org", name="Erika", language="en")

    taken = client.post("/auth/register", data={**VALID, "email": " ERIKA@example.org "}, follow_redirects=True)
    new = client.post("/auth/register", data={**VALID, "email": "other@example.org"}, follow_redirects=True)

    assert taken.status_code == new.status_code == 200
    assert without_csrf_token(taken.get_data(as_text=True)) == without_csrf_token(new.get_data(as_text=True))
    assert user_count(db) == 2  # the owner's account and the new, unconfirmed one
    note, link = outbox
    assert note.to == ["erika@example.org"] and "Hello Erika," in note.body and "already belongs" in note.body
    assert "http://localhost/auth/reset" in note.body and "/auth/confirm/" not in note.body
    assert link.to == ["other@example.org"] and "/auth/confirm/" in link.body


def test_an_address_confirmed_by_another_account_meanwhile_is_not_taken_twice(client, db, make_user, outbox):
    client.post("/auth/register", data=VALID)
    make_user(Role.VOLUNTEER, email="erika@example.org")

    response = client.post(confirmation_link(outbox[0]), data={"password": VALID["password"]}, follow_redirects=True)

    assert "gehört schon zu einem anderen Konto" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id)).where(User.email == "erika@example.org")) == 1


def test_registration_without_email_and_consent_fields_is_harmless(client, db):
    response = client.post("/auth/register", data={})
    assert response.status_code == 200
    assert user_count(db) == 0
