"""Appointments' fixtures: interpreters of Arabic in Soest, a refugee, and a request a few days ahead."""

from datetime import date, datetime, time, timedelta

import pytest

from app.appointments import services
from app.extensions import db as _db
from app.models import TIME_SLOTS, Gender

EVERY_SLOT = TIME_SLOTS


def next_weekday(weekday: int, at_least_days: int = 3) -> date:
    """The first day with ``weekday`` (0 = Monday) at least ``at_least_days`` from today."""
    day = date.today() + timedelta(days=at_least_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def make_interpreter(make_volunteer):
    def build(name: str = "Ines Interpreter", email: str | None = None, **fields):
        answers = dict(
            offers=("interpreting", "driving", "authority_accompaniment"),
            languages={"de": "native", "ar": "C1"},
            slots=EVERY_SLOT,
            gender=Gender.FEMALE,
        )
        answers.update(fields)
        return make_volunteer(name, email=email, **answers)

    return build


@pytest.fixture
def interpreters(make_interpreter):
    return [make_interpreter(f"Interpreter {n}", email=f"interpreter{n}@example.org") for n in range(3)]


def _request_data(**changes) -> services.RequestData:
    values = dict(
        category_key="interpreting",
        day=next_weekday(1),
        at=time(10, 0),
        minutes=60,
        locality_id="soest",
        languages=("ar", "de"),
        address="Jobcenter, Am Vreithof 2",
        meeting_point="Vor dem Eingang",
    )
    values.update(changes)
    return services.RequestData(**values)


@pytest.fixture
def request_data():
    """``request_data(**changes)``: an interpreter in Arabic at the job centre in Soest, next week."""
    return _request_data


@pytest.fixture
def make_request(coordinator, refugee):
    """``make_request(**changes)``: an open request of the refugee, made by coordination."""

    def build(actor=None, for_refugee=None, **changes):
        return services.request_appointment(
            (for_refugee or refugee).refugee_profile, _request_data(**changes), actor or coordinator
        )

    return build


@pytest.fixture
def started(db):
    """``started(appointment)``: let the appointment lie in the past (as if its day had come)."""
    return _started


def _started(appointment, hours_ago: int = 2) -> None:
    length = appointment.ends_at - appointment.starts_at
    appointment.starts_at = datetime.now(appointment.starts_at.tzinfo) - timedelta(hours=hours_ago)
    appointment.ends_at = appointment.starts_at + length
    _db.session.commit()
