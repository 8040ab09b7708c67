"""Request logs without personal data, the 500 page's reference, health checks, the trusted proxy."""

import json
import logging
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from flask_migrate import downgrade
from sqlalchemy import delete

from app.extensions import db
from app.models import JobRun, JobStatus, utcnow
from app.observability import JsonFormatter

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture
def log_lines():
    """What the app logs during the test, as the JSON lines LOG_FORMAT=json writes."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Collect()
    logger = logging.getLogger("brueckenbau")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_one_line_per_request_with_its_id_route_status_and_duration_but_no_path(
    coordinator_client, coordinator, log_lines, make_refugee
):
    refugee = make_refugee("Samira Logtest", phone="+4917699887766")
    response = coordinator_client.get(
        f"/refugees/{refugee.refugee_profile.id}?q=Samira", headers={"X-Request-ID": "nginx-request-0001"}
    )

    assert response.headers["X-Request-ID"] == "nginx-request-0001"
    [line] = [entry for entry in log_lines if entry["logger"] == "brueckenbau.request"]
    assert line["request_id"] == "nginx-request-0001"
    assert (line["method"], line["route"], line["status"]) == ("GET", "/refugees/<int:profile_id>", 200)
    assert line["user_id"] == str(coordinator.id) and line["duration_ms"] >= 0
    assert "Samira" not in json.dumps(line) and str(refugee.refugee_profile.id) not in line["message"]


@pytest.mark.parametrize("offered", ["", "short", "x" * 65, "a b c d e f g h", "<script>alert(1)</script>"])
def test_an_unusable_request_id_is_replaced(client, offered):
    answered = client.get("/healthz", headers={"X-Request-ID": offered}).headers["X-Request-ID"]
    assert answered != offered and len(answered) == 32


@pytest.fixture
def failing_app(app_config):
    from app import create_app

    config = type("Failing", (app_config,), {"PROPAGATE_EXCEPTIONS": False})
    app = create_app(config)

    @app.route("/fail")
    def fail():
        raise RuntimeError("broken on purpose")

    with app.app_context():
        yield app


def test_an_error_shows_its_reference_and_logs_the_traceback_with_it(failing_app, log_lines):
    response = failing_app.test_client().get("/fail?name=Secret")

    assert response.status_code == 500
    reference = response.headers["X-Request-ID"]
    assert reference in response.get_data(as_text=True)
    [error] = [entry for entry in log_lines if entry["level"] == "ERROR"]
    assert error["request_id"] == reference and error["endpoint"] == "fail"
    assert "RuntimeError: broken on purpose" in error["traceback"] and "Secret" not in json.dumps(error)


def test_healthz_answers_while_the_process_runs(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_database_migrations_queue_and_daily_run(client, db):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ready"
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["head"]
    assert body["checks"]["daily"] == {"ok": True, "last_run": None}

    db.session.add(
        JobRun(kind="daily", status=JobStatus.FINISHED, finished_at=utcnow() - timedelta(hours=30), updated_at=utcnow())
    )
    db.session.commit()
    stale = client.get("/readyz")
    assert stale.status_code == 503 and stale.get_json()["checks"]["daily"]["age_hours"] == 30.0


def test_readyz_fails_while_the_queue_is_unreachable(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["queue"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.slow  # a database of its own
def test_readyz_fails_while_migrations_are_behind(own_app):
    with own_app.app_context():
        downgrade(directory=str(ROOT / "migrations"), revision="-1")
        db.engine.dispose()
    response = own_app.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["migrations"]["ok"] is False


@pytest.fixture
def limited(app_config, request):
    from app import create_app

    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",  # counters of this test only
        "LOGIN_RATE_LIMIT": "2 per minute",
        "TRUSTED_PROXIES": request.param,
    }
    app = create_app(type("Limited", (app_config,), settings))
    with app.app_context():
        yield app.test_client()
        forget_login_attempts()


def forget_login_attempts() -> None:
    """Apps built inside a test commit for real (they are not the rolled-back test app): forget the
    per-name login pauses they counted, so that later tests start without them."""
    from app.extensions import db
    from app.models import Throttle

    db.session.execute(delete(Throttle))
    db.session.commit()


def login_from(client, address: str, identifier: str = "x@example.org") -> int:
    return client.post(
        "/auth/login", data={"identifier": identifier, "password": "wrong"}, headers={"X-Forwarded-For": address}
    ).status_code


@pytest.mark.parametrize("limited", [1], indirect=True)
def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(limited):
    assert [login_from(limited, "203.0.113.1") for _ in range(3)][-1] == 429
    assert login_from(limited, "203.0.113.2") != 429


@pytest.mark.parametrize("limited", [0], indirect=True)
def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(limited):
    assert [login_from(limited, f"203.0.113.{n}") for n in range(3)][-1] == 429


def test_redis_counts_rate_limits_when_it_is_configured(redis_url):
    shown = subprocess.run(
        [sys.executable, "-c", "from config import Config; print(Config.RATELIMIT_STORAGE_URI)"],
        cwd=ROOT,
        env={"REDIS_URL": redis_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == redis_url


def test_the_log_scan_finds_names_contacts_and_phones_in_any_case():
    from log_scan import personal_data_in

    log = '{"message": "hello AMAL HADDAD"}\n{"message": "route /x"}\n{"user": "+4917611111111"}\n{"m": "Test"}'
    found = personal_data_in(log, {"Amal Haddad", "+4917611111111", "Test"})
    assert [line.split(" in: ")[0] for line in found] == ["'AMAL HADDAD'", "'+4917611111111'"]


def test_login_attempts_are_counted_in_redis(redis_url, app_config):
    from app import create_app

    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        "LOGIN_RATE_LIMIT": "2 per minute",
    }
    # Two web workers: separate apps, one count.
    first, second = (create_app(type("Shared", (app_config,), settings)) for _ in range(2))
    # A name of its own: the per-name pauses (app.security.throttle) must not be what answers 429 here.
    name = f"{uuid.uuid4().hex[:8]}@example.org"
    with first.app_context():
        assert login_from(first.test_client(), "-", name) != 429
        assert login_from(second.test_client(), "-", name) != 429
        assert login_from(first.test_client(), "-", name) == 429
        forget_login_attempts()


def test_the_entry_point_leaves_its_start_up_objects_out_of_garbage_collection(tmp_path):
    # Full collector passes walked the whole start-up heap whenever a request had made many objects.
    shown = subprocess.run(
        [sys.executable, "-c", "import gc, wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(shown.stdout) > 100_000
