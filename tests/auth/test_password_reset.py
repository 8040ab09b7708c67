"""Password reset by an e-mailed link."""

import re

import pytest
from sqlalchemy import select

from app.models import AuditEvent, Role

NEW_PASSWORD = "a brand new passphrase"


def link_in(mail) -> str:
    return re.search(r"http://localhost(/auth/reset/\S+)", mail.body).group(1)


@pytest.fixture
def user(make_user):
    return make_user(Role.VOLUNTEER, email="vera@example.org", name="Vera", language="en")


def test_reset_mails_a_link_in_the_users_language_and_sets_the_password(client, db, user, outbox, password):
    response = client.post("/auth/reset", data={"email": "vera@example.org"})

    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0].to == ["vera@example.org"]
    assert "Hello Vera," in outbox[0].body and "reset your password" in outbox[0].subject
    link = link_in(outbox[0])
    assert client.get(link).status_code == 200

    response = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    assert response.status_code == 302 and response.location.endswith("/auth/login")
    assert user.check_password(NEW_PASSWORD) and not user.check_password(password)
    assert "user.password_reset" in db.session.scalars(select(AuditEvent.action)).all()


def test_a_reset_link_works_only_once(client, user, outbox):
    client.post("/auth/reset", data={"email": "vera@example.org"})
    link = link_in(outbox[0])
    client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    response = client.post(link, data={"password": "yet another phrase", "password_confirm": "yet another phrase"})

    assert response.status_code == 302 and response.location.endswith("/auth/reset")
    assert user.check_password(NEW_PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, outbox):
    response = client.post("/auth/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "Falls es zu dieser Adresse ein Konto gibt" in response.get_data(as_text=True)
    assert outbox == []


def test_tampered_token_is_refused(client, user):
    response = client.get("/auth/reset/not-a-token", follow_redirects=True)
    assert "ungültig oder abgelaufen" in response.get_data(as_text=True)


def test_mismatching_new_passwords_change_nothing(client, user, outbox, password):
    client.post("/auth/reset", data={"email": "vera@example.org"})
    response = client.post(link_in(outbox[0]), data={"password": NEW_PASSWORD, "password_confirm": "other"})
    assert response.status_code == 200
    assert user.check_password(password)
