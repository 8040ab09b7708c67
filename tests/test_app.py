"""The application factory, configuration, error pages and asset policy."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from app.models import User
from config import ProductionConfig, normalise_database_url

APP_DIR = Path(__file__).resolve().parent.parent / "app"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/brueckenbau")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_without_database_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_database_urls_use_psycopg3(url, expected):
    assert normalise_database_url(url) == expected


@pytest.mark.parametrize(("language", "text"), [("de", "Seite nicht gefunden"), ("en", "Page not found")])
def test_not_found_page_in_the_users_language(client, language, text):
    response = client.get("/no/such/page", headers={"Accept-Language": language})
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_forbidden_page(volunteer_client):
    response = volunteer_client.get("/admin/")
    assert response.status_code == 403 and "Zugriff verweigert" in response.get_data(as_text=True)


def test_unexpected_errors_show_a_friendly_page_and_roll_back(database_url, make_config):
    app = create_app(make_config(database_url, TESTING=False))

    @app.route("/boom")
    def boom():
        from app.extensions import db

        db.session.add(User(email="half@example.org", full_name="Half", role="volunteer", password_hash="x"))
        db.session.flush()
        raise RuntimeError("boom")

    with app.app_context():
        response = app.test_client().get("/boom")
        from app.extensions import db

        assert response.status_code == 500
        assert "Etwas ist schiefgelaufen" in response.get_data(as_text=True)
        assert db.session.scalar(select(func.count(User.id)).where(User.email == "half@example.org")) == 0


class TestCsrf:
    @pytest.fixture
    def app_config(self, database_url, make_config):
        return make_config(database_url, WTF_CSRF_ENABLED=True)

    def test_a_post_without_token_is_refused_and_saves_nothing(self, client, db):
        response = client.post(
            "/auth/register",
            data={
                "full_name": "X",
                "email": "x@example.org",
                "password": "0123456789",
                "password_confirm": "0123456789",
                "consent_matching": "y",
            },
        )
        assert response.status_code == 400
        assert "Formular konnte nicht sicher gesendet werden" in response.get_data(as_text=True)
        assert db.session.scalar(select(func.count(User.id))) == 0

    def test_the_forms_carry_the_token(self, client):
        assert 'name="csrf_token"' in client.get("/auth/register").get_data(as_text=True)


EXTERNAL = re.compile(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", re.IGNORECASE)


def test_templates_and_styles_load_nothing_from_other_hosts():
    offenders = [
        str(path.relative_to(APP_DIR))
        for path in APP_DIR.rglob("*")
        if path.suffix in {".html", ".css", ".js"} and EXTERNAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_rendered_pages_reference_only_this_host(client):
    for path in ("/", "/auth/login", "/auth/register"):
        page = client.get(path).get_data(as_text=True)
        assert not EXTERNAL.search(page), path
