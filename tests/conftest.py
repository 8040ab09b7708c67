"""Fixtures shared by all tests.

The database is SQLite in a temporary file by default; set
``TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
to run the same suite on PostgreSQL. The schema is built once per run by the
real Alembic migrations and the shipped reference data (localities, help
categories) is committed once. Each app is created once per run and config.

Every test runs inside a transaction that is rolled back afterwards: the
session is joined to it so that the services' commits only release
savepoints. Tests whose data must really be committed, because another
connection or thread reads it, are marked ``real_commits``; their tables are
emptied afterwards instead.

Hypothesis runs the ``dev`` profile (few examples) unless
``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) asks for the thorough one.
"""

import itertools
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import settings
from sms_gateway import USERNAME as KANNEL_USERNAME
from sms_gateway import KannelGateway, binaries
from sqlalchemy import event, text
from werkzeug.security import generate_password_hash

from app import create_app
from app.consents import set_consent
from app.extensions import db as _db
from app.extensions import limiter
from app.models import (
    Agreement,
    Area,
    Commitment,
    ConsentPurpose,
    Gender,
    GroupMembership,
    HelpCategory,
    HouseholdMember,
    LanguageLevel,
    Locality,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    RefugeeAvailability,
    RefugeeInterest,
    RefugeeLanguage,
    RefugeeNeed,
    RefugeeProfile,
    Relation,
    Resilience,
    Role,
    StaffMembership,
    StaffRole,
    Urgency,
    User,
    VolunteerAvailability,
    VolunteerInterest,
    VolunteerLanguage,
    VolunteerProfile,
    WorkingGroup,
    utcnow,
)
from app.reference_data import import_reference_data
from config import TestingConfig, normalise_database_url

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)
# One cheap hash for all test users (a hash of an older kind, PBKDF2 of one round): the deliberate cost of
# Argon2id would dominate the suite. A log-in through the form replaces it, as it replaces any older hash.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")

# Per-example time varies with the machine's load, so neither profile has a deadline.
settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

_configs: dict[tuple, type[TestingConfig]] = {}


def config_for(database_url: str, **overrides) -> type[TestingConfig]:
    """A TestingConfig subclass pointing at ``database_url``, with ``overrides``.

    The same arguments give the same class, so that tests asking for the same
    settings share one app (the ``app`` fixture keeps one per class).
    """
    key = (database_url, tuple(sorted((name, repr(value)) for name, value in overrides.items())))
    if key not in _configs:
        _configs[key] = type("TestConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    return _configs[key]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    url = normalise_database_url(url) if url else f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app(config_for(url))
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        import_reference_data()
        _db.session.remove()
        _db.engine.dispose()
    return url


@pytest.fixture
def app_config(database_url):
    """The config class of the ``app`` fixture; override to change settings for a module."""
    return config_for(database_url)


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``.

    Requests reuse the test's app context (Flask pushes a new one only when
    none is active), so per-request caches on ``g`` (Flask-Login's user,
    Flask-Babel's locale) would otherwise leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        vars(g).clear()
        return super().open(*args, **kwargs)


class ConnectionSession(FlaskSession):
    """A session on the test's connection: Flask-SQLAlchemy's own would pick the app's engine."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


def _emit_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


@contextmanager
def rolled_back_session(engine):
    """Point ``db.session`` at one connection whose transaction is rolled back at the end.

    SQLAlchemy's recipe "Joining a Session into an External Transaction":
    with ``create_savepoint`` every commit of the session only releases a
    savepoint, and a rollback returns to the last one.
    """
    original = _db.session
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # pysqlite's legacy transaction control begins no transaction before a SELECT and
            # lets a SAVEPOINT escape the transaction; SQLAlchemy emits BEGIN itself instead
            # (SQLAlchemy's SQLite docs: "Enabling Non-Legacy SQLite Transactional Modes").
            connection.connection.driver_connection.isolation_level = None
            event.listen(connection, "begin", _emit_begin)
        transaction = connection.begin()
        _db.session = _db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": ConnectionSession}
        )
        try:
            yield
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            if sqlite:
                connection.connection.driver_connection.isolation_level = ""


def empty_tables() -> None:
    """Delete every row for real, then put the reference data back."""
    _db.session.remove()
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())
    import_reference_data()
    _db.session.remove()


@pytest.fixture(scope="session")
def _apps():
    """The apps created so far, one per config class; created once, they are reused by every test."""
    apps: dict[type, Flask] = {}
    yield apps
    for app in apps.values():
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture
def app(app_config, _apps, request):
    if app_config not in _apps:
        _apps[app_config] = create_app(app_config)
        _apps[app_config].test_client_class = FreshGlobalsClient
    app = _apps[app_config]
    config = app.config.copy()
    # The limiter is one object for all apps; creating an app used to set it up for that app.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    if limiter.enabled:
        limiter.reset()
    with app.app_context():
        if request.node.get_closest_marker("real_commits"):
            try:
                yield app
            finally:
                empty_tables()
        else:
            with rolled_back_session(_db.engine):
                yield app
    app.config.clear()
    app.config.update(config)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def build_organisation(name: str = "Koordination", kind: OrganisationKind = OrganisationKind.OTHER) -> Organisation:
    organisation = _db.session.query(Organisation).filter_by(name=name).one_or_none()
    if organisation is None:
        organisation = Organisation(name=name, kind=kind)
        _db.session.add(organisation)
    return organisation


def build_area(places: tuple[str, ...], name: str | None = None) -> Area:
    """The area of ``places`` (named after them unless ``name`` is given), made once."""
    name = name or ", ".join(places)
    area = _db.session.query(Area).filter_by(name=name).one_or_none()
    if area is None:
        area = Area(name=name, places=[_db.session.get(Locality, place) for place in places])
        _db.session.add(area)
    return area


def build_user(
    role: Role = Role.VOLUNTEER,
    email: str | None = None,
    name: str = "Test Person",
    language: str = "de",
    places: tuple[str, ...] | None = None,
    organisation: str = "Koordination",
    staff_role: StaffRole = StaffRole.COORDINATOR,
    **fields,
) -> User:
    """An account; a coordinator is a member of ``organisation`` responsible for an area of ``places``
    (None: the whole installation; an empty tuple: no area at all)."""
    email = email or f"{role}-{next(_sequence)}@example.org"
    user = User(
        email=email, full_name=name, role=role, password_hash=_PASSWORD_HASH, preferred_language=language, **fields
    )
    _db.session.add(user)
    if role == Role.COORDINATOR:
        _db.session.add(
            StaffMembership(
                organisation=build_organisation(organisation),
                user=user,
                role=staff_role,
                whole_installation=places is None,
                areas=[build_area(places)] if places else [],
                accepted_at=utcnow(),
            )
        )
    _db.session.commit()
    return user


def build_volunteer(
    name: str = "Vera Volunteer",
    email: str | None = None,
    locality: str = "soest",
    languages: dict[str, str] | None = None,
    offers: tuple[str, ...] = ("mentoring",),
    slots: tuple[str, ...] = ("tue-evening",),
    interests: tuple[str, ...] = ("cooking",),
    consents: tuple[ConsentPurpose, ...] = (ConsentPurpose.MATCHING,),
    **profile_fields,
) -> User:
    """A volunteer with a completed questionnaire; every answer can be overridden."""
    user = User(
        email=email or f"volunteer-{next(_sequence)}@example.org",
        full_name=name,
        role=Role.VOLUNTEER,
        password_hash=_PASSWORD_HASH,
        preferred_language="de",
    )
    answers = dict(
        gender=Gender.FEMALE,
        birth_year=1960,
        locality_id=locality,
        travel_km=10,
        travels_by_car=True,
        hours_per_month=8,
        commitment=Commitment.MONTHS_6,
        capacity=2,
        physical_resilience=Resilience.MEDIUM,
        emotional_resilience=Resilience.MEDIUM,
        interests_note="Kochen",
        steps_done=4,
        completed_at=utcnow(),
    )
    answers.update(profile_fields)
    profile = VolunteerProfile(**answers)
    profile.languages = [
        VolunteerLanguage(code=code, level=LanguageLevel(level))
        for code, level in (languages or {"de": "native"}).items()
    ]
    profile.offers = [_db.session.get(HelpCategory, key) for key in offers]
    profile.availability = [VolunteerAvailability(slot=slot) for slot in slots]
    profile.interests = [VolunteerInterest(key=key) for key in interests]
    user.volunteer_profile = profile
    for purpose in consents:
        set_consent(user, purpose, True)
    _db.session.add(user)
    _db.session.commit()
    return user


def sign_in(client, user: User) -> None:
    """Sign ``user`` in on ``client`` without going through the login form."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture
def coordinator(app) -> User:
    return build_user(Role.COORDINATOR, email="coordinator@example.org", name="Cora Coordinator")


@pytest.fixture
def admin(app) -> User:
    return build_user(Role.ADMIN, email="admin@example.org", name="Ada Admin")


@pytest.fixture
def volunteer(app) -> User:
    return build_volunteer(email="vera@example.org")


@pytest.fixture
def coordinator_client(client, coordinator):
    sign_in(client, coordinator)
    return client


@pytest.fixture
def admin_client(client, admin):
    sign_in(client, admin)
    return client


@pytest.fixture
def volunteer_client(client, volunteer):
    sign_in(client, volunteer)
    return client


@pytest.fixture
def new_volunteer(app) -> User:
    """A volunteer who has just registered and answered nothing yet."""
    user = build_user(Role.VOLUNTEER, email="newbie@example.org", name="Nina Newbie")
    user.volunteer_profile = VolunteerProfile()
    set_consent(user, ConsentPurpose.MATCHING, True)
    _db.session.commit()
    return user


@pytest.fixture
def new_volunteer_client(client, new_volunteer):
    sign_in(client, new_volunteer)
    return client


@pytest.fixture
def password() -> str:
    """The password of every user the builders create."""
    return PASSWORD


@pytest.fixture
def make_config():
    """``make_config(database_url, **settings)``: a test config class, for apps built inside a test."""
    return config_for


@pytest.fixture
def at_once(app_config):
    """``at_once(tasks)``: each task in its own thread, app and database connection, released together.

    The tasks run in an app context and return what they observed; the sorted results come back.
    The apps are built before any thread starts and the barrier has a timeout, so a task that fails
    cannot leave the others waiting for ever; its error is raised in the test.
    """

    def run(tasks: list[Callable[[], str]]) -> list[str]:
        apps = [create_app(app_config) for _ in tasks]
        barrier, results, failures = threading.Barrier(len(tasks), timeout=60), [], []

        def work(app: Flask, task: Callable[[], str]) -> None:
            with app.test_request_context():
                try:
                    barrier.wait()
                    results.append(task())
                except Exception as error:  # noqa: BLE001 - raised again in the test below
                    failures.append(error)
                    barrier.abort()
                finally:
                    _db.session.remove()
                    _db.engine.dispose()

        threads = [threading.Thread(target=work, args=pair) for pair in zip(apps, tasks, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
        return sorted(results)

    return run


@pytest.fixture
def rolled_back():
    """``rolled_back(engine)``: the transaction every test not marked ``real_commits`` runs in."""
    return rolled_back_session


@pytest.fixture
def make_user(app):
    return build_user


@pytest.fixture
def make_volunteer(app):
    return build_volunteer


@pytest.fixture
def login():
    return sign_in


@pytest.fixture
def outbox(app) -> list:
    """Mails sent during the test (Flask-Mailman's locmem backend keeps them on the app's state)."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox


def build_refugee(
    name: str = "Amal Haddad",
    phone: str | None = None,
    username: str | None = None,
    locality: str = "soest",
    languages: dict[str, str] | None = None,
    needs: dict[str, str] | None = None,
    slots: tuple[str, ...] = ("tue-afternoon",),
    members: tuple[tuple[str, int], ...] = (),
    interests: tuple[str, ...] = (),
    language: str = "ar",
    consents: tuple[ConsentPurpose, ...] = (ConsentPurpose.MATCHING,),
    **profile_fields,
) -> User:
    """A refugee or household with every question answered; each answer can be overridden."""
    user = User(
        full_name=name,
        phone=phone,
        username=username,
        role=Role.REFUGEE,
        password_hash=_PASSWORD_HASH,
        preferred_language=language,
    )
    answers = dict(
        gender=Gender.FEMALE,
        birth_year=1990,
        locality_id=locality,
        travel_km=5,
        german_level=LanguageLevel.A1,
        steps_done=5,
        completed_at=utcnow(),
    )
    answers.update(profile_fields)
    profile = RefugeeProfile(**answers)
    profile.languages = [
        RefugeeLanguage(code=code, level=LanguageLevel(level))
        for code, level in (languages or {"ar": "native"}).items()
    ]
    profile.needs = [
        RefugeeNeed(category_key=key, urgency=Urgency(urgency))
        for key, urgency in (needs or {"mentoring": "needed"}).items()
    ]
    profile.availability = [RefugeeAvailability(slot=slot) for slot in slots]
    profile.interests = [RefugeeInterest(key=key) for key in interests]
    profile.members = [HouseholdMember(relation=Relation(relation), age=age) for relation, age in members]
    user.refugee_profile = profile
    for purpose in consents:
        set_consent(user, purpose, True)
    _db.session.add(user)
    _db.session.commit()
    return user


@pytest.fixture
def make_refugee(app):
    return build_refugee


@pytest.fixture
def refugee(app) -> User:
    return build_refugee(phone="+491761234567")


@pytest.fixture
def refugee_client(client, refugee):
    sign_in(client, refugee)
    return client


@pytest.fixture
def make_group(app):
    """``make_group(slug, members=[(user, status, is_lead)], **fields)``: a working group with members."""

    def build(slug: str = "interpreting-pool", members=(), **fields) -> WorkingGroup:
        group = WorkingGroup(slug=slug, name=fields.pop("name", slug.replace("-", " ").title()), **fields)
        for user, status, is_lead in members:
            group.memberships.append(
                GroupMembership(profile=user.volunteer_profile, status=MembershipStatus(status), is_lead=is_lead)
            )
        _db.session.add(group)
        _db.session.commit()
        return group

    return build


@pytest.fixture
def pair(make_volunteer, make_refugee):
    """A volunteer and a refugee who fit each other well: same place, language, need and time."""
    volunteer = make_volunteer(
        "Vera Volunteer",
        email="vera@example.org",
        languages={"de": "native", "ar": "B2"},
        offers=("mentoring", "paperwork"),
        slots=("tue-afternoon",),
        capacity=1,
        interests=("cooking", "football"),
        interests_note="Kochen, Fußball",
    )
    refugee = make_refugee(
        "Amal Haddad",
        phone="+4917611111111",
        languages={"ar": "native"},
        needs={"mentoring": "needed"},
        slots=("tue-afternoon",),
        interests=("football",),
        interests_note="كرة القدم",
        language="ar",
    )
    return volunteer, refugee


@pytest.fixture
def draft(pair, coordinator):
    """A draft agreement between the ``pair``, waiting for both answers."""
    volunteer, refugee = pair
    agreement = Agreement(
        refugee=refugee.refugee_profile,
        volunteer=volunteer.volunteer_profile,
        contact_person=coordinator,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=90),
    )
    _db.session.add(agreement)
    _db.session.commit()
    return agreement


@pytest.fixture(scope="session")
def kannel(tmp_path_factory):
    """A running Kannel SMS gateway whose fake SMSC records what arrives; skipped without Kannel.

    ``.ci/run`` sets BRUECKENBAU_REQUIRE_SMS=1 (and installs kannel, kannel-extras), which turns the skip
    into a failure.
    """
    programs = binaries()
    if programs is None:
        reason = "SMS tests need Kannel with its fake SMSC (apt-get install kannel kannel-extras); .ci/run installs it"
        if os.environ.get("BRUECKENBAU_REQUIRE_SMS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    gateway = KannelGateway(tmp_path_factory.mktemp("kannel"), programs)
    try:
        gateway.start()
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture
def kannel_settings(kannel) -> dict:
    """App settings that send SMS through the ``kannel`` gateway, at any hour."""
    return {
        "SMS_BACKEND": "kannel",
        "SMS_GATEWAY_URL": kannel.url,
        "SMS_USERNAME": KANNEL_USERNAME,
        "SMS_PASSWORD": kannel.password,
        "SMS_QUIET_HOURS": "",
    }


class StatementCounter:
    """The SQL statements the app sends while it is active, without the test's own savepoints."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            self.statements.append(statement)

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counted: client.get(url)``; ``len(counted)`` is how many SQL
    statements the request sent. Tests compare the counts for few and many rows: a page whose
    count grows with its rows loads them one by one (N+1)."""

    @contextmanager
    def counting():
        counter = StatementCounter()
        engine = _db.session.get_bind()
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting
