"""Keys, links and logs: no served site with the public development key, no link built from a
forged Host header, no access code in a URL and none that lasts for ever, no SQL parameters in logs."""

import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from flask import template_rendered
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.intake import services as intake
from app.models import RefugeeProfile, Role, User
from app.security.links import public_url_for
from config import DEVELOPMENT_SECRET_KEY, ProductionConfig


def forged_admin_cookie(app, admin) -> str:
    """A session cookie signed with the public key, as anyone who read config.py could make."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": admin.get_id(), "_fresh": True})


@pytest.mark.parametrize("overrides", [{}, {"TESTING": False}, {"TESTING": False, "ENV": "production"}])
def test_the_public_key_is_refused_outside_debug_whatever_the_configuration(
    database_url, make_config, admin, overrides
):
    app = create_app(make_config(database_url, SECRET_KEY=DEVELOPMENT_SECRET_KEY, **overrides))
    client = app.test_client()
    client.set_cookie("session", forged_admin_cookie(app, admin))
    for path in ("/", "/admin/", "/auth/login", "/auth/reset/anything"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "Administration" not in response.get_data(as_text=True)


def test_a_developer_may_use_it_in_debug_mode(database_url, make_config):
    app = create_app(make_config(database_url, SECRET_KEY=DEVELOPMENT_SECRET_KEY, TESTING=False, DEBUG=True))
    assert app.test_client().get("/").status_code == 200


@pytest.mark.parametrize("key", [DEVELOPMENT_SECRET_KEY, "short", "x" * 31])
def test_production_refuses_a_public_or_short_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/brueckenbau")
    monkeypatch.setenv("PUBLIC_URL", "https://brueckenbau.example")
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_needs_the_public_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/brueckenbau")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(ProductionConfig)


def test_a_forged_reset_token_needs_the_key(client, make_user):
    user = make_user(Role.ADMIN, email="ada@example.org")
    forged = URLSafeTimedSerializer(DEVELOPMENT_SECRET_KEY, salt="password-reset").dumps(
        {"user": user.id, "hash": user.password_hash[-16:]}
    )
    response = client.get(f"/auth/reset/{forged}", follow_redirects=True)
    assert "ungültig oder abgelaufen" in response.get_data(as_text=True)


class TestLinksFromThePublicAddress:
    @pytest.fixture
    def app_config(self, database_url, make_config):
        return make_config(database_url, PUBLIC_URL="https://brueckenbau.example/kreis")

    def test_a_reset_link_ignores_the_host_header(self, client, make_user, outbox):
        make_user(Role.VOLUNTEER, email="vera@example.org")
        client.post("/auth/reset", data={"email": "vera@example.org"}, headers={"Host": "evil.example"})
        links = re.findall(r"\S+://\S+", outbox[0].body)
        assert links and all(link.startswith("https://brueckenbau.example/kreis/auth/reset/") for link in links)

    def test_every_link_in_a_mail_comes_from_the_public_address(self, client, make_user, outbox):
        make_user(Role.VOLUNTEER, email="vera@example.org")
        client.post(
            "/auth/register",
            data={
                "full_name": "Vera",
                "email": "vera@example.org",
                "password": "ein langes passwort",
                "password_confirm": "ein langes passwort",
                "consent_matching": "y",
            },
            headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
        )
        assert "evil.example" not in outbox[0].body and "https://brueckenbau.example/kreis/auth/login" in outbox[0].body


def slip_link(client, profile_id) -> tuple[str, str]:
    """The printed code and the link its QR code holds."""
    seen = {}

    def remember(sender, template, context, **extra):
        seen.update(context)

    with template_rendered.connected_to(remember):
        page = client.post(f"/welcome/{profile_id}/slip").get_data(as_text=True)
    code = re.search(r'class="slip-code" dir="ltr">([A-Z0-9-]+)<', page).group(1)
    return code, public_url_for("intake.code_login", _anchor=code), seen


def test_the_qr_link_keeps_the_code_out_of_every_logged_url(coordinator_client, make_refugee):
    profile = make_refugee().refugee_profile
    code, link, context = slip_link(coordinator_client, profile.id)
    parts = urlsplit(link)
    assert parts.path == "/welcome/code" and parts.query == "" and parts.fragment == code
    assert code not in context["login_page"]


def test_access_codes_expire(app, coordinator_client, client, make_refugee, db):
    profile = make_refugee().refugee_profile
    code, _, _ = slip_link(coordinator_client, profile.id)
    days = app.config["ACCESS_CODE_MAX_AGE_DAYS"]
    assert days == 30

    profile.access_code_issued_at -= timedelta(days=days - 1)
    db.session.commit()
    assert intake.user_for_access_code(code) == profile.user
    profile.access_code_issued_at -= timedelta(days=1, seconds=1)
    db.session.commit()
    assert intake.user_for_access_code(code) is None
    response = client.post("/welcome/code", data={"code": code})
    assert response.status_code == 200 and 'id="code-error"' in response.get_data(as_text=True)


def test_the_slip_says_until_when_the_code_works(coordinator_client, make_refugee):
    profile = make_refugee(language="de").refugee_profile
    page = coordinator_client.post(f"/welcome/{profile.id}/slip").get_data(as_text=True)
    assert re.search(r"Gültig bis \d{2}\.\d{2}\.\d{4}", page)


def test_database_errors_do_not_show_the_values(db, make_user):
    make_user(Role.VOLUNTEER, email="vera@example.org")
    with pytest.raises(IntegrityError) as error:
        db.session.execute(
            text(
                "INSERT INTO users (email, password_hash, full_name, role, active, session_version, created_at) "
                "VALUES (:email, :hash, :name, 'volunteer', true, 0, CURRENT_TIMESTAMP)"
            ),
            {"email": "vera@example.org", "hash": "scrypt:hash-value-123", "name": "Secret Name"},
        )
    db.session.rollback()
    assert "SQL parameters hidden" in str(error.value)
    assert "hash-value-123" not in str(error.value) and "Secret Name" not in str(error.value)


@pytest.mark.real_commits  # its own connections: SQLAlchemy decides whether to log when a connection opens
def test_statement_logs_hold_no_parameters(client, make_refugee, password, caplog):
    make_refugee(phone="+4917612345678", name="Amal Haddad")
    engine_logger = logging.getLogger("sqlalchemy.engine")
    previous = engine_logger.level
    engine_logger.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO):
            client.post("/auth/login", data={"identifier": "0176 12345678", "password": password})
    finally:
        engine_logger.setLevel(previous)
    assert "SELECT" in caplog.text
    assert "+4917612345678" not in caplog.text and "Amal" not in caplog.text


def test_users_table_has_no_readable_codes(coordinator_client, make_refugee, db):
    profile = make_refugee().refugee_profile
    code, _, _ = slip_link(coordinator_client, profile.id)
    stored = db.session.get(RefugeeProfile, profile.id).access_code_digest
    assert code not in stored and code.replace("-", "") not in stored
    assert db.session.scalar(db.select(User).where(User.id == profile.user_id)).password_hash != code
