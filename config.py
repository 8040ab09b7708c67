"""Configuration classes, read from the environment.

Pick one with ``BRUECKENBAU_CONFIG`` (development, testing, production);
``wsgi.py`` does that. Production refuses to start without ``SECRET_KEY``,
``DATABASE_URL`` and ``PUBLIC_URL`` so that a forgotten variable never runs a
public site with a development key, an embedded database or links built from
whatever Host header a client sends. Whatever the configuration, the app
refuses to serve requests with the public development key outside debug mode
(``app/security/keys.py``).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs (as hosters hand them out) at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# Known to everyone who reads this file: good only for ``flask run --debug`` on one's own machine.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"
# A key shorter than this is refused in production: 32 random bytes written as hex are 64 characters.
MIN_SECRET_KEY_LENGTH = 32
# Public like the key above: encrypts special-category notes (app/crypto.py) on developers' machines and in tests.
DEVELOPMENT_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWtleSE="


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'brueckenbau.sqlite'}")
    )
    # hide_parameters: errors and echo never show the values of a statement (names, hashes, phone numbers).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

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
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Stay logged in" lasts at most 30 days: a forgotten shared computer stays open no longer.
    REMEMBER_COOKIE_DURATION = timedelta(days=min(30, int(os.environ.get("REMEMBER_DAYS", "30"))))
    # Strict-Transport-Security max-age; 0 sends no header (plain http on one's own machine).
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))

    # Redis runs the job queue (``flask worker``) and, with several web workers, counts rate limits.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "brueckenbau")
    # Set by ``flask worker`` for the processes that perform jobs; tests with Redis perform them in-process.
    JOBS_IN_WORKER = False
    JOBS_WORKER_IN_PROCESS = False

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # One budget per client address for every way to log in: password (e-mail, phone, user name) and access code.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Per account (per login name, whether or not it exists): this many wrong passwords are free,
    # then each further one locks the name for twice as long as the one before, up to the maximum.
    LOGIN_FREE_ATTEMPTS = int(os.environ.get("LOGIN_FREE_ATTEMPTS", "5"))
    LOGIN_FIRST_DELAY_SECONDS = int(os.environ.get("LOGIN_FIRST_DELAY_SECONDS", "30"))
    LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", str(60 * 60)))
    # Registrations and password-reset requests per client address.
    REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "20 per hour;100 per day")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per hour;20 per day")
    # Mails to one address (reset links, confirmations): this many per hour, then growing pauses.
    MAILS_PER_ADDRESS_PER_HOUR = int(os.environ.get("MAILS_PER_ADDRESS_PER_HOUR", "3"))

    # Where people reach the site; links in mails sent from the command line point here.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Brückenbau <noreply@localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    # SMS for people without e-mail: "kannel" posts to an SMS gateway's HTTP interface (Kannel's sendsms,
    # e.g. http://127.0.0.1:13013/cgi-bin/sendsms), "console" prints them, "locmem" keeps them (tests).
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "kannel")
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL")
    SMS_USERNAME = os.environ.get("SMS_USERNAME")
    SMS_PASSWORD = os.environ.get("SMS_PASSWORD")
    SMS_SENDER = os.environ.get("SMS_SENDER", "Brueckenbau")
    SMS_TIMEOUT = int(os.environ.get("SMS_TIMEOUT", "30"))
    # No SMS at night unless a person chooses other quiet hours (local time); "" for none.
    SMS_QUIET_HOURS = os.environ.get("SMS_QUIET_HOURS", "21:00-08:00")
    # A password-reset code sent by SMS works this long, once.
    SMS_RESET_CODE_MINUTES = int(os.environ.get("SMS_RESET_CODE_MINUTES", "15"))
    # The outbox retries a failed delivery after 1, 2, 4 … minutes (at most 6 hours apart), then gives up
    # and shows the message to admins; a worker's claim on a message runs out after the lease.
    OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "60"))
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
    # Delivered messages are deleted after this many days (their bodies hold names).
    OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", "30"))
    # A matching run that has not finished after this long counts as failed (its worker stopped).
    MATCHING_TIMEOUT_SECONDS = int(os.environ.get("MATCHING_TIMEOUT_SECONDS", "1800"))
    # ``flask scheduler`` runs the daily tasks at this local time; /readyz fails when they are older.
    DAILY_AT = os.environ.get("DAILY_AT", "05:30")
    DAILY_MAX_AGE_HOURS = int(os.environ.get("DAILY_MAX_AGE_HOURS", "26"))

    # One JSON object a line with LOG_FORMAT=json (for a log collector), else readable text.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # How many reverse proxies (nginx …) stand in front and set X-Forwarded-For/-Proto/-Host.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Staff who see special-category data (coordinators, admins) must set up two-factor authentication
    # before any other page; on by default in production only.
    REQUIRE_STAFF_2FA = os.environ.get("REQUIRE_STAFF_2FA", "0") == "1"

    # Fernet keys, comma-separated, that encrypt notes on health, trauma or safety at rest (app/crypto.py):
    # the first encrypts, all decrypt; ``flask privacy rotate-key`` re-encrypts with the first.
    DATA_ENCRYPTION_KEYS = os.environ.get("DATA_ENCRYPTION_KEYS", "")

    # The installation's operator, filled into the imprint, privacy notice, accessibility statement, records
    # of processing and footer (app/legal). Operators write them in German; the pages mark them lang="de".
    # The defaults describe the demo district; an installation sets its own in the environment.
    INSTALLATION_NAME = os.environ.get("INSTALLATION_NAME", "Brückenbau Kreis Soest (Demo)")
    OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "Kreis Soest, Kommunales Integrationszentrum (Demo)")
    # Lines separated by " | " (street, postcode and town).
    OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS", "Hoher Weg 1–3 | 59494 Soest")
    OPERATOR_REPRESENTATIVE = os.environ.get("OPERATOR_REPRESENTATIVE", "Die Landrätin / der Landrat des Kreises Soest")
    OPERATOR_EMAIL = os.environ.get("OPERATOR_EMAIL", "integration@example.org")
    OPERATOR_PHONE = os.environ.get("OPERATOR_PHONE", "+49 2921 000000")
    # Public bodies name the authority that supervises them (§ 5 DDG); empty for an association.
    OPERATOR_SUPERVISORY_BODY = os.environ.get(
        "OPERATOR_SUPERVISORY_BODY", "Bezirksregierung Arnsberg, Seibertzstraße 1, 59821 Arnsberg"
    )
    DPO_NAME = os.environ.get("DPO_NAME", "Datenschutzbeauftragte des Kreises Soest")
    DPO_EMAIL = os.environ.get("DPO_EMAIL", "datenschutz@example.org")
    # The data-protection authority of the operator's Land (Art. 77 GDPR).
    SUPERVISORY_AUTHORITY = os.environ.get(
        "SUPERVISORY_AUTHORITY",
        "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen, "
        "Kavalleriestraße 2–4, 40213 Düsseldorf, poststelle@ldi.nrw.de",
    )
    # Who runs the servers on the operator's behalf (a processor under Art. 28 GDPR).
    HOSTING_PROVIDER = os.environ.get("HOSTING_PROVIDER", "Südwestfalen-IT (Demo), Sonnenblumenallee 3, 58675 Hemer")
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "barrierefreiheit@example.org")
    # full, partial or none: how far the site meets BITV 2.0 (EN 301 549 / WCAG 2.1 AA), by the operator's own check.
    ACCESSIBILITY_CONFORMANCE = os.environ.get("ACCESSIBILITY_CONFORMANCE", "partial")
    ACCESSIBILITY_REVIEWED_ON = os.environ.get("ACCESSIBILITY_REVIEWED_ON", "2026-12-01")
    # The Land's enforcement body (federal bodies: the Schlichtungsstelle nach § 16 BGG).
    ACCESSIBILITY_ENFORCEMENT = os.environ.get(
        "ACCESSIBILITY_ENFORCEMENT",
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen, "
        "Fürstenwall 25, 40219 Düsseldorf",
    )
    # Free additions in German to the imprint and the accessibility statement (known limitations of one's own).
    IMPRINT_ADDITION = os.environ.get("IMPRINT_ADDITION", "")
    ACCESSIBILITY_ADDITION = os.environ.get("ACCESSIBILITY_ADDITION", "")
    # The organisation's logo in the footer: a file in the instance folder (e.g. "logo.svg"), served by the app.
    LOGO = os.environ.get("LOGO", "")

    PASSWORD_RESET_MAX_AGE_SECONDS = 2 * 60 * 60
    EMAIL_CONFIRMATION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60
    # An access code on a slip works this long after it was printed.
    ACCESS_CODE_MAX_AGE_DAYS = int(os.environ.get("ACCESS_CODE_MAX_AGE_DAYS", "30"))
    # An extended police clearance (§72a SGB VIII) is commonly renewed every five years.
    CLEARANCE_VALID_YEARS = 5
    # Rows per page of the coordinators' volunteer and refugee lists.
    LIST_PAGE_SIZE = 25
    # A sponsorship without a check-in for this long is shown as inactive on the overview.
    CHECK_IN_WEEKS = int(os.environ.get("CHECK_IN_WEEKS", "6"))
    # The overview's needs, offers and gaps are counted again when the last count is older than this
    # (counting reads everyone in the scope; the page says when it counted, and a button counts now).
    OVERVIEW_MAX_AGE_MINUTES = int(os.environ.get("OVERVIEW_MAX_AGE_MINUTES", "10"))
    # Parties are reminded this many days before a sponsorship ends.
    END_REMINDER_DAYS = int(os.environ.get("END_REMINDER_DAYS", "14"))
    # Appointments are requested at most this many days ahead (and at least a day ahead: app.appointments).
    APPOINTMENT_MAX_DAYS_AHEAD = int(os.environ.get("APPOINTMENT_MAX_DAYS_AHEAD", "365"))
    # Unassigned appointments this close to their date are highlighted on the overview.
    APPOINTMENT_URGENT_DAYS = int(os.environ.get("APPOINTMENT_URGENT_DAYS", "3"))
    # The installation's allowances per kind of appointment in euro cents, per assignment and per km
    # (an organisation can set its own, app.models.AllowanceRate): 20 € per interpreting, 0.30 €/km for rides.
    APPOINTMENT_ALLOWANCES = {
        "interpreting": {"per_assignment_cents": 2000, "per_km_cents": 0},
        "driving": {"per_assignment_cents": 0, "per_km_cents": 30},
    }

    # Retention and erasure: how long personal data is kept (the privacy notice states these periods).
    # Accounts without a login and without an active sponsorship or group membership for this long are erased ...
    RETENTION_INACTIVE_ACCOUNT_MONTHS = int(os.environ.get("RETENTION_INACTIVE_ACCOUNT_MONTHS", "24"))
    # ... after their person was warned this long before; one click keeps the account.
    RETENTION_WARNING_DAYS = int(os.environ.get("RETENTION_WARNING_DAYS", "30"))
    RETENTION_UNFINISHED_REGISTRATION_DAYS = int(os.environ.get("RETENTION_UNFINISHED_REGISTRATION_DAYS", "30"))
    # Notes and check-in texts of sponsorships that ended this long ago are removed.
    RETENTION_ENDED_SPONSORSHIP_MONTHS = int(os.environ.get("RETENTION_ENDED_SPONSORSHIP_MONTHS", "36"))
    RETENTION_AUDIT_MONTHS = int(os.environ.get("RETENTION_AUDIT_MONTHS", "24"))
    # A requested erasure is carried out automatically after this (coordination can do it sooner).
    ERASURE_AFTER_DAYS = int(os.environ.get("ERASURE_AFTER_DAYS", "30"))

    @classmethod
    def init_app(cls, app) -> None:
        """Hook for checks that must run when an app is created."""


class DevelopmentConfig(Config):
    DATA_ENCRYPTION_KEYS = os.environ.get("DATA_ENCRYPTION_KEYS", DEVELOPMENT_ENCRYPTION_KEY)
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    # Without a gateway, SMS are printed to the terminal like mails.
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "kannel" if os.environ.get("SMS_GATEWAY_URL") else "console")


class TestingConfig(Config):
    TESTING = True
    # New for every test run, so that no key that signs test sessions is ever public.
    SECRET_KEY = secrets.token_hex(32)
    PUBLIC_URL = "http://localhost"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    DATA_ENCRYPTION_KEYS = DEVELOPMENT_ENCRYPTION_KEY
    MAIL_BACKEND = "locmem"
    SMS_BACKEND = "locmem"
    SERVER_NAME = None
    REQUIRE_STAFF_2FA = False
    # With REDIS_URL set, jobs go through Redis but are performed in the test's process and session.
    JOBS_QUEUE = f"brueckenbau-test-{os.getpid()}"
    JOBS_WORKER_IN_PROCESS = True
    # A test sees the overview of the data it has just made (tests/coordination/test_overview_snapshots.py
    # checks the kept counts).
    OVERVIEW_MAX_AGE_MINUTES = 0


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    REQUIRE_STAFF_2FA = os.environ.get("REQUIRE_STAFF_2FA", "1") == "1"

    @classmethod
    def init_app(cls, app) -> None:
        required = ("SECRET_KEY", "DATABASE_URL", "PUBLIC_URL", "DATA_ENCRYPTION_KEYS")
        missing = [name for name in required if not os.environ.get(name)]
        if missing:
            raise RuntimeError("Production configuration needs these environment variables: " + ", ".join(missing))
        key = os.environ["SECRET_KEY"]
        if key == DEVELOPMENT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY_LENGTH} characters, "
                "e.g. python3 -c 'import secrets; print(secrets.token_hex(32))'"
            )
        encryption_keys = [part.strip() for part in os.environ["DATA_ENCRYPTION_KEYS"].split(",")]
        if DEVELOPMENT_ENCRYPTION_KEY in encryption_keys:
            raise RuntimeError("DATA_ENCRYPTION_KEYS must not contain the public development key")
        from app.crypto import multi_fernet

        multi_fernet(os.environ["DATA_ENCRYPTION_KEYS"])  # a malformed key stops the start with its position


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
