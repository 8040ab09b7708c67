"""Two-factor authentication for staff: enrolment, the code at login, replays, recovery codes, enforcement."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.models import AuditEvent, RecoveryCode, Role, SecondFactor
from app.two_factor import services
from config import DevelopmentConfig, ProductionConfig

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def secret_on_page(page: str) -> str:
    return re.search(r'<p class="secret" dir="ltr">([A-Z2-7 ]+)</p>', page).group(1).replace(" ", "")


def previous_code(secret: str) -> str:
    """The app's code of the time step before this one: still accepted (clocks drift), leaving the current one."""
    return pyotp.TOTP(secret).at(time.time() - 30)


@pytest.fixture
def enrol():
    """``enrol(user)``: switch two-factor authentication on for ``user``; returns (secret, recovery codes)."""

    def enrol(user):
        factor = services.pending_enrolment(user)
        codes = services.confirm_enrolment(user, previous_code(factor.secret))
        return factor.secret, codes

    return enrol


def log_in(client, user, password):
    return client.post("/auth/login", data={"identifier": user.email, "password": password}, environ_base=ENGLISH)


def enter_code(client, code):
    return client.post("/auth/login/code", data={"code": code}, environ_base=ENGLISH)


def signed_in(client) -> bool:
    return client.get("/coordination/").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_first_code(client, db, make_user, login):
    user = make_user(Role.COORDINATOR, email="cora@example.org", language="en")
    login(client, user)

    page = client.get("/auth/two-factor/").get_data(as_text=True)
    secret = secret_on_page(page)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    assert client.get("/auth/two-factor/").get_data(as_text=True).count(secret[:4]) >= 1  # the same until confirmed

    wrong = client.post("/auth/two-factor/", data={"code": "000000"})
    assert "This code is not right" in wrong.get_data(as_text=True)
    assert not services.is_enrolled(user)

    version = user.session_version
    answer = client.post("/auth/two-factor/", data={"code": pyotp.TOTP(secret).now()})

    codes = re.findall(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>", answer.get_data(as_text=True))
    assert len(codes) == len(set(codes)) == 10
    assert services.is_enrolled(user) and user.session_version == version + 1
    digests = list(db.session.scalars(select(RecoveryCode.digest).where(RecoveryCode.user_id == user.id)))
    assert len(digests) == 10 and not any(code.replace("-", "") in digest for code in codes for digest in digests)
    assert "user.second_factor_enabled" in db.session.scalars(select(AuditEvent.action))
    # This session goes on under the new version; the enrolled page offers no new secret.
    assert "Two-factor authentication is on" in client.get("/auth/two-factor/").get_data(as_text=True)


def test_enrolment_ends_every_other_session(app, make_user, login, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    other = app.test_client()
    login(other, user)
    other_session_id = user.get_id()
    with other.session_transaction() as session:
        session["_user_id"] = other_session_id
    assert signed_in(other)

    enrol(user)

    assert not signed_in(other)


def test_login_asks_for_the_code_after_the_password(client, db, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    secret, _ = enrol(user)

    answer = log_in(client, user, password)
    assert answer.status_code == 302 and answer.location.endswith("/auth/login/code")
    assert not signed_in(client)

    done = enter_code(client, pyotp.TOTP(secret).now())
    assert done.status_code == 302 and done.location.endswith("/coordination/")
    assert signed_in(client)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "user.login")) == "user.login"


def test_the_code_may_be_typed_in_arabic_or_persian_digits(client, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    secret, _ = enrol(user)
    log_in(client, user, password)

    arabic = pyotp.TOTP(secret).now().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert enter_code(client, arabic).location.endswith("/coordination/")


def test_staff_without_a_second_factor_log_in_with_the_password_alone(client, make_user, password):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    assert log_in(client, user, password).location.endswith("/coordination/")


@pytest.mark.parametrize("code", ["000000", "12345", "ABCDE-FGHJK", "9" * 20, "😀😀😀", "٠٠٠٠٠٠", "ÄÖÜ", "²³⁴"])
def test_a_wrong_code_logs_nobody_in(client, make_user, password, enrol, code):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    enrol(user)
    log_in(client, user, password)

    answer = enter_code(client, code)

    assert answer.status_code == 200
    assert "This code is not right" in answer.get_data(as_text=True)
    assert not signed_in(client)


def test_wrong_codes_pause_the_account_like_wrong_passwords(client, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    secret, _ = enrol(user)
    log_in(client, user, password)

    answers = [enter_code(client, "000000").status_code for _ in range(6)]

    assert answers == [200, 200, 200, 200, 200, 429]
    assert enter_code(client, pyotp.TOTP(secret).now()).status_code == 429  # even the right code waits
    assert not signed_in(client)


def test_a_code_works_only_once(app, client, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    secret, _ = enrol(user)
    code = pyotp.TOTP(secret).now()
    log_in(client, user, password)
    assert enter_code(client, code).status_code == 302

    other = app.test_client()
    log_in(other, user, password)
    replayed = enter_code(other, code)

    assert "This code is not right" in replayed.get_data(as_text=True)
    assert not signed_in(other)


def test_an_older_code_is_refused_once_a_newer_one_was_used(client, db, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    secret, _ = enrol(user)  # used the previous time step
    log_in(client, user, password)

    assert enter_code(client, pyotp.TOTP(secret).at(time.time() - 30)).status_code == 200
    assert not signed_in(client)


def test_a_recovery_code_works_once_and_its_use_is_audited(app, client, db, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    _, codes = enrol(user)
    log_in(client, user, password)

    assert enter_code(client, codes[3].lower().replace("-", " ")).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.recovery_code_used"))
    assert event.actor_id == user.id and event.detail == {"left": 9}

    other = app.test_client()
    log_in(other, user, password)
    assert "This code is not right" in enter_code(other, codes[3]).get_data(as_text=True)
    assert enter_code(other, codes[4]).status_code == 302


def test_the_code_page_needs_a_password_just_given(client, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    secret, _ = enrol(user)

    assert client.get("/auth/login/code").location.endswith("/auth/login")
    log_in(client, user, password)
    with client.session_transaction() as session:
        session[services.PENDING_KEY] = {**session[services.PENDING_KEY], "until": int(time.time()) - 1}
    assert enter_code(client, pyotp.TOTP(secret).now()).location.endswith("/auth/login")
    assert not signed_in(client)


def test_a_new_password_meanwhile_ends_the_waiting_login(client, db, make_user, password, enrol):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    secret, _ = enrol(user)
    log_in(client, user, password)

    user.set_password("another long password")
    db.session.commit()

    assert enter_code(client, pyotp.TOTP(secret).now()).location.endswith("/auth/login")


def test_switching_off_needs_a_code_and_ends_other_sessions(client, db, make_user, login, enrol):
    user = make_user(Role.ADMIN, email="ada@example.org", language="en")
    secret, _ = enrol(user)
    login(client, user)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()

    refused = client.post("/auth/two-factor/disable", data={"code": "000000", "confirm": "y"})
    assert refused.status_code == 400 and services.is_enrolled(user)
    unconfirmed = client.post("/auth/two-factor/disable", data={"code": pyotp.TOTP(secret).now()})
    assert unconfirmed.status_code == 400 and services.is_enrolled(user)

    version = user.session_version
    done = client.post("/auth/two-factor/disable", data={"code": pyotp.TOTP(secret).now(), "confirm": "y"})

    assert done.location.endswith("/auth/two-factor/")
    assert not services.is_enrolled(user) and user.session_version == version + 1
    assert db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id)) is None
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id)) is None
    assert "user.second_factor_disabled" in db.session.scalars(select(AuditEvent.action))
    # Still signed in here, and a new enrolment (a new secret) can start.
    assert "<svg" in client.get("/auth/two-factor/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.REFUGEE])
def test_only_staff_enrol(client, make_user, login, role):
    login(client, make_user(role))
    assert client.get("/auth/two-factor/").status_code == 403


def test_production_requires_it_and_development_does_not():
    assert ProductionConfig.REQUIRE_STAFF_2FA is True
    assert DevelopmentConfig.REQUIRE_STAFF_2FA is False


class TestEnforcement:
    @pytest.fixture
    def app_config(self, database_url, make_config):
        return make_config(database_url, REQUIRE_STAFF_2FA=True)

    @pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
    @pytest.mark.parametrize("path", ["/coordination/", "/refugees/", "/admin/", "/", "/no-such-page"])
    def test_staff_with_special_category_data_enrol_before_any_other_page(self, client, make_user, login, role, path):
        login(client, make_user(role))
        answer = client.get(path)
        assert answer.status_code == 302 and answer.location.endswith("/auth/two-factor/")

    def test_enrolment_logging_out_and_the_language_stay_open(self, client, make_user, login):
        login(client, make_user(Role.COORDINATOR))
        assert client.get("/auth/two-factor/").status_code == 200
        assert client.post("/language", data={"language": "en"}).status_code == 302
        assert client.post("/auth/logout").location.endswith("/")

    def test_after_enrolment_every_page_opens(self, client, make_user, login, enrol):
        user = make_user(Role.COORDINATOR)
        enrol(user)
        login(client, user)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
        assert client.get("/refugees/").status_code == 200

    @pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.DPO])
    def test_others_are_not_held(self, client, make_user, login, role):
        login(client, make_user(role))
        assert client.get("/").status_code == 200


def test_the_command_line_removes_a_lost_second_factor(runner, db, make_user, enrol):
    user = make_user(Role.ADMIN, email="ada@example.org")
    enrol(user)
    version = user.session_version

    done = runner.invoke(args=["reset-two-factor", "ADA@example.org"])
    again = runner.invoke(args=["reset-two-factor", "ada@example.org"])

    assert done.exit_code == 0, done.output
    assert not services.is_enrolled(user) and user.session_version == version + 1
    assert "user.second_factor_reset" in db.session.scalars(select(AuditEvent.action))
    assert again.exit_code != 0 and "no account with ada@example.org" in again.output
