"""Sessions end when they should, on every device: a copied session or remember-me cookie stops working
after logging out everywhere, a password reset, deactivation and a role change."""

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.models import Role

REMEMBER = "remember_token"


@pytest.fixture
def vera(make_user):
    return make_user(Role.VOLUNTEER, email="vera@example.org", name="Vera")


def logged_in(app, vera, password, remember=False):
    client = app.test_client()
    response = client.post(
        "/auth/login",
        data={"identifier": "vera@example.org", "password": password, "remember": "y" if remember else ""},
    )
    assert response.status_code == 302
    return client, response


def copy_of(app, client, name: str):
    """Another browser holding a copy of ``client``'s cookie ``name`` (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def signed_in(client) -> bool:
    return client.get("/auth/consents").status_code == 200


def test_logging_out_everywhere_ends_copied_sessions_and_remember_cookies(app, vera, password):
    client, _ = logged_in(app, vera, password, remember=True)
    stolen_session, stolen_remember = copy_of(app, client, "session"), copy_of(app, client, REMEMBER)
    assert signed_in(stolen_session) and signed_in(stolen_remember)

    client.post("/auth/logout-everywhere")

    assert not signed_in(client) and not signed_in(stolen_session) and not signed_in(stolen_remember)
    fresh, _ = logged_in(app, vera, password)
    assert signed_in(fresh)


def test_a_plain_logout_ends_this_browser_only(app, vera, password):
    client, _ = logged_in(app, vera, password)
    other, _ = logged_in(app, vera, password)
    client.post("/auth/logout")
    assert not signed_in(client) and signed_in(other)


def test_a_password_reset_ends_every_session(app, vera, password, outbox):
    client, _ = logged_in(app, vera, password, remember=True)
    stolen = copy_of(app, client, REMEMBER)
    app.test_client().post("/auth/reset", data={"email": "vera@example.org"})
    link = re.search(r"http://localhost(/auth/reset/\S+)", outbox[0].body).group(1)
    app.test_client().post(
        link, data={"password": "a brand new passphrase", "password_confirm": "a brand new passphrase"}
    )
    assert not signed_in(client) and not signed_in(stolen)


@pytest.mark.parametrize(
    "change", [lambda user: setattr(user, "active", False), lambda user: setattr(user, "role", Role.REFUGEE)]
)
def test_deactivation_and_a_role_change_end_every_session(app, db, vera, password, change):
    client, _ = logged_in(app, vera, password, remember=True)
    stolen = copy_of(app, client, REMEMBER)
    change(vera)
    db.session.commit()
    assert not signed_in(client) and not signed_in(stolen)


def test_other_changes_keep_the_session(app, db, vera, password):
    client, _ = logged_in(app, vera, password)
    vera.full_name, vera.preferred_language, vera.role, vera.active = "Vera V.", "en", Role.VOLUNTEER, True
    db.session.commit()
    assert signed_in(client)


def test_the_remember_cookie_lasts_thirty_days_at_most_and_stays_on_this_site(app, vera, password):
    _, response = logged_in(app, vera, password, remember=True)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(REMEMBER))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    expires = datetime.strptime(re.search(r"Expires=([^;]+)", cookie).group(1), "%a, %d %b %Y %H:%M:%S GMT")
    assert expires.replace(tzinfo=timezone.utc) <= datetime.now(timezone.utc) + timedelta(days=30, minutes=1)


def test_sessions_from_before_versions_count_as_the_first_version(app, db, vera):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(vera.id)
    assert signed_in(client)
    vera.session_version += 1
    db.session.commit()
    assert not signed_in(client)


@pytest.mark.parametrize("value", ["abc", "1:x", "-1:0", f"{2**63}:0", "1:0:0", "", "١:0"])
def test_a_tampered_session_id_is_nobody(app, vera, value):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = value
    assert not signed_in(client)
