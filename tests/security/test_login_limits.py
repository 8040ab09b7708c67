"""Guessing is slow: per login name (whether or not it has an account) growing pauses after a few
wrong passwords, from any number of addresses; per address one budget shared by password, phone and
access-code login; limits on registrations and on reset mails."""

import re
from datetime import timedelta

import pytest

from app.auth.services import authenticate
from app.models import Role, Throttle, utcnow
from app.security.throttle import Throttled

WRONG = "a wrong password"


def attempt(client, identifier, password=WRONG, address="10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"identifier": identifier, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def code_attempt(client, code, address="10.0.0.1") -> int:
    return client.post("/welcome/code", data={"code": code}, environ_base={"REMOTE_ADDR": address}).status_code


def time_passes(db, seconds: int) -> None:
    """Every pause started ``seconds`` earlier than it did."""
    for throttle in db.session.query(Throttle).filter(Throttle.blocked_until.is_not(None)):
        throttle.blocked_until -= timedelta(seconds=seconds)
    db.session.commit()


@pytest.mark.parametrize("identifier", ["vera@example.org", "nobody@example.org", "0176 99999999", "samira_t"])
def test_a_name_pauses_after_five_wrong_passwords_whoever_asks(client, make_user, identifier):
    make_user(Role.VOLUNTEER, email="vera@example.org")
    answers = [attempt(client, identifier, address=f"10.0.0.{n}").status_code for n in range(7)]
    assert answers == [200, 200, 200, 200, 200, 429, 429]
    page = attempt(client, identifier, address="10.9.9.9").get_data(as_text=True)
    assert "Zu viele Versuche" in page and "30 Sekunden" not in page


def test_the_right_password_waits_too_and_the_pause_doubles(client, db, make_user, password):
    make_user(Role.VOLUNTEER, email="vera@example.org")
    for _ in range(5):
        attempt(client, "vera@example.org")
    assert attempt(client, "vera@example.org", password).status_code == 429

    time_passes(db, 31)
    assert attempt(client, "vera@example.org").status_code == 200  # the sixth wrong one: now 60 s
    time_passes(db, 31)
    assert attempt(client, "vera@example.org", password).status_code == 429
    time_passes(db, 30)
    assert attempt(client, "vera@example.org", password).status_code == 302
    assert db.session.query(Throttle).count() == 0  # a successful login forgets the attempts


def test_phone_numbers_in_any_format_share_one_count(client, make_refugee):
    make_refugee(phone="+4917612345678")
    for number in ["0176 12345678", "+49 176 1234 5678", "0049176-12345678", "(0176) 1234 5678", "+4917612345678"]:
        attempt(client, number)
    assert attempt(client, "01761 2345678").status_code == 429


def test_the_pauses_are_capped(app, db, client):
    for _ in range(40):
        time_passes(db, 10**6)
        attempt(client, "someone@example.org")
    blocked_until = db.session.scalar(db.select(Throttle.blocked_until))
    assert blocked_until - utcnow() <= timedelta(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"])


def test_the_table_holds_no_login_names(client, db):
    attempt(client, "vera@example.org")
    attempt(client, "0176 12345678")
    keys = [row.key for row in db.session.query(Throttle)]
    assert len(keys) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)


class TestPerAddress:
    @pytest.fixture
    def app_config(self, database_url, make_config):
        return make_config(
            database_url,
            RATELIMIT_ENABLED=True,
            LOGIN_RATE_LIMIT="4 per minute",
            REGISTRATION_RATE_LIMIT="2 per hour",
            RESET_RATE_LIMIT="3 per hour",
        )

    def test_password_and_code_login_share_one_budget(self, client):
        statuses = [
            attempt(client, "a@example.org").status_code,
            code_attempt(client, "AAAA-BBBB-CCCC"),
            attempt(client, "0176 12345678").status_code,
            code_attempt(client, "DDDD-EEEE-FFFF"),
            attempt(client, "b@example.org").status_code,
            code_attempt(client, "GGGG-HHHH-JJJJ"),
        ]
        assert statuses == [200, 200, 200, 200, 429, 429]

    def test_registrations_of_volunteers_and_refugees_share_one_budget(self, client):
        statuses = [
            client.post("/auth/register", data={"email": "x"}).status_code,
            client.post("/welcome/account", data={"phone": "x"}).status_code,
            client.post("/auth/register", data={"email": "y"}).status_code,
        ]
        assert statuses == [200, 200, 429]

    def test_reset_requests_per_address(self, client):
        statuses = [client.post("/auth/reset", data={"email": f"{n}@example.org"}).status_code for n in range(4)]
        assert statuses == [302, 302, 302, 429]


def test_an_address_gets_three_reset_mails_an_hour_and_the_same_answer(client, make_user, outbox):
    make_user(Role.VOLUNTEER, email="vera@example.org")
    answers = {
        client.post("/auth/reset", data={"email": "vera@example.org"}, follow_redirects=True).status_code
        for _ in range(30)
    }
    assert answers == {200}
    assert len(outbox) == 3


def test_registrations_cannot_flood_an_address_with_mail(client, outbox):
    data = {
        "full_name": "Erika",
        "email": "erika@example.org",
        "password": "ein langes passwort",
        "password_confirm": "ein langes passwort",
        "consent_matching": "y",
    }
    for _ in range(10):
        client.post("/auth/register", data=data)
    assert len(outbox) == 3


def guess(identifier: str) -> str:
    try:
        return "checked" if authenticate(identifier, WRONG) is None else "in"
    except Throttled:
        return "refused"


@pytest.mark.real_commits  # separate connections guess at the same moment
@pytest.mark.parametrize("earlier", [0, 4])
def test_parallel_guesses_are_counted_one_by_one(app, at_once, db, client, make_user, earlier):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent transactions are checked on PostgreSQL (TEST_DATABASE_URL)")
    make_user(Role.VOLUNTEER, email="vera@example.org")
    for _ in range(earlier):
        attempt(client, "vera@example.org")
    results = at_once([lambda: guess("vera@example.org")] * 8)
    checked = results.count("checked")
    # Never more passwords checked than the free attempts left, and every one of them counted.
    assert 1 <= checked <= app.config["LOGIN_FREE_ATTEMPTS"] - earlier
    assert results.count("refused") == 8 - checked
    db.session.expire_all()
    assert db.session.scalar(db.select(Throttle.count)) == earlier + checked
