"""Booking at the same moment never books a volunteer twice: checked on PostgreSQL's real row locks."""

from datetime import time

import pytest
from sqlalchemy import select

from app.appointments import services
from app.extensions import db as _db
from app.models import Appointment, AppointmentOffer, AppointmentStatus, Role, User, VolunteerProfile

# Each thread's own connection must see the appointments: they are committed for real.
pytestmark = pytest.mark.real_commits


@pytest.fixture
def postgres_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and concurrent transactions are checked on PostgreSQL (TEST_DATABASE_URL)")


def assigning(appointment_id: int, volunteer_id: int, coordinator_id: int):
    """A task for ``at_once``: a coordinator books the volunteer directly; says how it went."""

    def assign() -> str:
        appointment = _db.session.get(Appointment, appointment_id)
        volunteer, actor = _db.session.get(VolunteerProfile, volunteer_id), _db.session.get(User, coordinator_id)
        try:
            services.assign(appointment, volunteer, actor)
        except services.AppointmentError as error:
            return type(error).__name__
        return "booked"

    return assign


def accepting(offer_id: int):
    def accept() -> str:
        try:
            services.accept(_db.session.get(AppointmentOffer, offer_id))
        except services.AppointmentError as error:
            return type(error).__name__
        return "booked"

    return accept


def test_two_coordinators_book_one_volunteer_at_overlapping_times(
    postgres_only, at_once, db, make_user, make_request, make_interpreter
):
    volunteer = make_interpreter().volunteer_profile
    first, second = make_request(), make_request(at=time(10, 30))
    coordinators = [make_user(Role.COORDINATOR, email=f"desk{n}@example.org") for n in range(2)]

    tasks = [assigning(a.id, volunteer.id, c.id) for a, c in zip((first, second), coordinators, strict=True)]
    assert at_once(tasks) == ["VolunteerBusy", "booked"]

    db.session.expire_all()
    booked = db.session.scalars(select(Appointment).where(Appointment.status == AppointmentStatus.ASSIGNED)).all()
    assert len(booked) == 1


def test_two_volunteers_accept_one_appointment_at_once(
    postgres_only, at_once, db, coordinator, make_request, interpreters
):
    appointment = make_request()
    offers = services.offer(appointment, [i.volunteer_profile.id for i in interpreters[:2]], False, coordinator)

    assert at_once([accepting(o.id) for o in offers]) == ["AlreadyTaken", "booked"]

    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).volunteer_id in {o.volunteer_id for o in offers}
