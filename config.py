"""Configuration classes, read from the environment.

Pick one with ``BRUECKENBAU_CONFIG`` (development, testing, production);
``wsgi.py`` does that. Production refuses to start without ``SECRET_KEY``
and ``DATABASE_URL`` so that a forgotten variable never runs a public site
with a development key or an embedded database.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs (as hosters hand them out) at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'brueckenbau.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Languages the interface is offered in: German (the field's default), English, and the
    # languages refugees in German municipalities speak most: Dari (Persian of Afghanistan,
    # fa_AF) apart from Iranian Persian (fa), Kurdish as Kurmanji (Latin script).
    LANGUAGES = ["de", "en", "ar", "fa_AF", "fa", "ps", "ti", "ku", "uk", "ru", "tr"]
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # A questionnaire can take longer than an hour on a phone; the token is
    # bound to the session anyway.
    WTF_CSRF_TIME_LIMIT = None
    # Free-text answers are short; anything bigger is refused before parsing.
    MAX_CONTENT_LENGTH = 256 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")

    # Where people reach the site; links in mails sent from the command line point here.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Brückenbau <noreply@localhost>")

    PASSWORD_RESET_MAX_AGE_SECONDS = 2 * 60 * 60
    # An extended police clearance (§72a SGB VIII) is commonly renewed every five years.
    CLEARANCE_VALID_YEARS = 5
    # Rows per page of the coordinators' volunteer and refugee lists.
    LIST_PAGE_SIZE = 25
    # A sponsorship without a check-in for this long is shown as inactive on the overview.
    CHECK_IN_WEEKS = int(os.environ.get("CHECK_IN_WEEKS", "6"))
    # Parties are reminded this many days before a sponsorship ends.
    END_REMINDER_DAYS = int(os.environ.get("END_REMINDER_DAYS", "14"))

    @classmethod
    def init_app(cls, app) -> None:
        """Hook for checks that must run when an app is created."""


class DevelopmentConfig(Config):
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "locmem"
    SERVER_NAME = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def init_app(cls, app) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError("Production configuration needs these environment variables: " + ", ".join(missing))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
