"""Nobody finds out anonymously who is registered: registration, login and password reset answer
the same for a registered and an unknown phone number, user name or e-mail address."""

import re

import pytest

from app.models import Role

PASSWORD = "ein langes passwort"


def page_of(response, typed: str = "") -> str:
    """What the visitor sees, without the parts that differ on every page (the CSRF token) or by
    design (what the visitor typed, shown again in the form)."""
    page = re.sub(r'name="csrf_token" (?:type="hidden" )?value="[^"]*"', "", response.get_data(as_text=True))
    return page.replace(typed, "…") if typed else page


def refugee_account(client, **fields):
    data = {"full_name": "Amal Haddad", "password": PASSWORD, "password_confirm": PASSWORD, "consent_matching": "y"}
    response = client.post("/welcome/account", data={**data, **fields})
    return response.status_code, response.location, page_of(client.get(response.location or "/"))


@pytest.mark.parametrize(
    ("registered", "unknown"),
    [
        ({"phone": "0176 12345678"}, {"phone": "0176 87654321"}),
        ({"username": "amal"}, {"username": "someone"}),
        ({"username": "x1", "email": "amal@example.org"}, {"username": "x1", "email": "nobody@example.org"}),
    ],
)
def test_refugee_registration_answers_the_same(app, make_refugee, make_user, registered, unknown):
    make_refugee(phone="+4917612345678", username="amal")
    make_user(Role.VOLUNTEER, email="amal@example.org")
    assert refugee_account(app.test_client(), **registered) == refugee_account(app.test_client(), **unknown)


def test_volunteer_registration_answers_the_same(app, make_user):
    make_user(Role.VOLUNTEER, email="vera@example.org")
    answers = []
    for email in ("vera@example.org", "nobody@example.org"):
        client = app.test_client()
        data = {"full_name": "V", "email": email, "password": PASSWORD, "password_confirm": PASSWORD}
        response = client.post("/auth/register", data={**data, "consent_matching": "y"}, follow_redirects=True)
        answers.append((response.status_code, page_of(response)))
    assert answers[0] == answers[1]


def test_login_and_reset_answer_the_same(app, make_user):
    make_user(Role.VOLUNTEER, email="vera@example.org")
    answers = []
    for email in ("vera@example.org", "nobody@example.org"):
        client = app.test_client()
        login = client.post("/auth/login", data={"identifier": email, "password": "wrong guess"})
        reset = client.post("/auth/reset", data={"email": email}, follow_redirects=True)
        answers.append((login.status_code, page_of(login, email), reset.status_code, page_of(reset, email)))
    assert answers[0] == answers[1]
