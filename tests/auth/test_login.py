"""Logging in and out, rate limiting and safe redirects."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.forms import WTFORMS_MESSAGES
from app.models import AuditEvent, Role
from config import TestingConfig


def test_login_with_correct_password(client, db, make_user, password):
    user = make_user(Role.COORDINATOR, email="cora@example.org")

    response = client.post("/auth/login", data={"identifier": "Cora@example.org ", "password": password})

    assert response.status_code == 302 and response.location.endswith("/coordination/")
    assert user.last_login_at is not None
    assert db.session.scalar(select(AuditEvent.action)) == "user.login"


@pytest.mark.parametrize(("email", "right_password"), [("cora@example.org", False), ("nobody@example.org", True)])
def test_wrong_credentials_give_one_message(client, make_user, password, email, right_password):
    make_user(Role.COORDINATOR, email="cora@example.org")

    response = client.post(
        "/auth/login", data={"identifier": email, "password": password if right_password else "wrong password"}
    )

    assert response.status_code == 200
    assert "Die Anmeldedaten oder das Passwort sind falsch." in response.get_data(as_text=True)


def test_deactivated_account_cannot_log_in(client, make_user, password):
    make_user(Role.VOLUNTEER, email="gone@example.org", active=False)
    response = client.post("/auth/login", data={"identifier": "gone@example.org", "password": password})
    assert response.status_code == 200


def test_login_redirects_only_within_the_site(client, make_user, password):
    make_user(Role.COORDINATOR, email="cora@example.org")
    data = {"identifier": "cora@example.org", "password": password}

    inside = client.post("/auth/login?next=/admin/", data=data)
    client.post("/auth/logout")
    outside = client.post("/auth/login?next=//evil.example/", data=data)

    assert inside.location == "/admin/"
    assert outside.location.endswith("/coordination/")


def test_logout_needs_post(volunteer_client):
    assert volunteer_client.get("/auth/logout").status_code == 405
    assert volunteer_client.post("/auth/logout").status_code == 302
    assert volunteer_client.get("/volunteers/me").status_code == 302


class TestRateLimit:
    @pytest.fixture
    def app_config(self, database_url, make_config):
        return make_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")

    def test_too_many_login_attempts_are_refused(self, client):
        data = {"identifier": "someone@example.org", "password": "guess guess guess"}
        statuses = [client.post("/auth/login", data=data).status_code for _ in range(4)]

        assert statuses == [200, 200, 200, 429]
        page = client.post("/auth/login", data=data).get_data(as_text=True)
        assert "Zu viele Versuche" in page
        assert client.get("/auth/login").status_code == 200  # looking at the form is not limited


def test_testing_config_disables_rate_limit():
    assert TestingConfig.RATELIMIT_ENABLED is False


@pytest.mark.parametrize("locale", ["ps", "ti", "ku", "fa_AF"])
def test_wtforms_own_messages_on_the_login_page_are_in_the_readers_language(client, locale):
    """Languages WTForms has no catalogue for get our wording of its messages on account forms too."""
    client.get(f"/auth/login?lang={locale}")
    page = client.post("/auth/login", data={"identifier": "x" * 300, "password": "y"}).get_data(as_text=True)
    assert "Field cannot be longer" not in page
    with force_locale(locale):
        assert str(WTFORMS_MESSAGES["Field cannot be longer than %(max)d characters."]) % {"max": 254} in page
