"""A database of the test's own, for tests whose work crosses connections or processes (a real worker).

Such tests cannot use the suite's shared database: another connection or
process sees only what is really committed. SQLite gets a new file,
PostgreSQL a new schema, both built by the migrations and removed afterwards.
"""

import os
import tempfile
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from app.models import utcnow
from app.reference_data import import_reference_data

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")


@pytest.fixture
def own_database(database_url, tmp_path, make_config):
    """The URL of a new, migrated database with the reference data; another process can use it too."""
    if database_url.startswith("sqlite"):
        url, schema = f"sqlite:///{tmp_path / 'own.sqlite'}", None
    else:
        schema = f"own_{uuid.uuid4().hex[:10]}"
        url = f"{database_url}{'&' if '?' in database_url else '?'}options=-csearch_path%3D{schema}"
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
    app = create_app(make_config(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        import_reference_data()
        db.engine.dispose()
    yield url
    if schema:
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def own_app(own_database, make_config):
    app = create_app(make_config(own_database))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def agreed(draft, db):
    """A draft both parties agreed to, waiting for the coordinator's approval."""
    draft.volunteer_agreed_at = draft.refugee_agreed_at = utcnow()
    db.session.commit()
    return draft


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A reachable Redis (``REDIS_URL``, else database 1 on this machine); skipped without one.

    ``.ci/run`` sets BRUECKENBAU_REQUIRE_REDIS=1, which turns the skip into a failure.
    """
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except RedisDown:
        reason = f"these tests need Redis at {url} (redis-server); .ci/run starts it"
        if os.environ.get("BRUECKENBAU_REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return url


_recording = None


def pytest_collection_finish(session):
    """Record every log line of the session (INFO and up, all loggers) from the first test on."""
    global _recording
    from log_scan import Recording

    _recording = Recording(Path(tempfile.mkdtemp(prefix="brueckenbau-log-")) / "suite.log")
    _recording.start()


def pytest_sessionfinish(session, exitstatus):
    if _recording is None:
        return
    found = _recording.stop()
    if found:
        print("\nPersonal data in the log written by the test suite:\n" + "\n".join(found[:20]))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
