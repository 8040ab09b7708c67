"""A small district for the security suite: one account of every role, and records of other people
that every route of the URL map can be pointed at (see ``district.py``)."""

from datetime import date, timedelta

import pytest
from district import World

from app.extensions import db as _db
from app.models import (
    Agreement,
    Appointment,
    AppointmentOffer,
    JobRun,
    MatchRun,
    MembershipStatus,
    MessageStatus,
    Notification,
    OutboxMessage,
    Proposal,
    Role,
    utcnow,
)


@pytest.fixture
def world(app, make_user, make_volunteer, make_refugee, make_group) -> World:
    """Accounts of each role who own nothing below, and records of other people."""
    users = {
        Role.VOLUNTEER: make_volunteer("Valentin Volunteer", email="valentin@example.org"),
        Role.REFUGEE: make_refugee("Rasha Refugee", phone="+4917600000001"),
        Role.COORDINATOR: make_user(Role.COORDINATOR, email="cora@example.org", name="Cora Coordinator"),
        Role.ADMIN: make_user(Role.ADMIN, email="ada@example.org", name="Ada Admin"),
        Role.DPO: make_user(Role.DPO, email="dora@example.org", name="Dora Datenschutz"),
    }
    staff_member = make_user(Role.COORDINATOR, email="sam@example.org", name="Sam Staff", places=("werl",))
    lead = make_volunteer("Lea Lead", email="lea@example.org", offers=("mentoring",))
    member = make_volunteer("Max Member", email="max@example.org", offers=("mentoring",))
    refugee = make_refugee("Amal Haddad", phone="+4917600000002")
    group = make_group(
        "interpreting-pool",
        members=[(lead, MembershipStatus.ACTIVE, True), (member, MembershipStatus.REQUESTED, False)],
    )
    agreement = Agreement(
        refugee=refugee.refugee_profile,
        volunteer=lead.volunteer_profile,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=90),
    )
    run = MatchRun(settings={}, metrics={"proposed": 1, "unmatched": 0, "seconds_total": 0.1})
    proposal = Proposal(
        run=run,
        volunteer=member.volunteer_profile,
        refugee=refugee.refugee_profile,
        score=0.5,
        reasons=[],
        alternatives=[],
    )
    job = JobRun(kind="matching", settings={"solver": "auto"})
    message = OutboxMessage(
        uid="security-suite", address="nobody@example.org", body="Hallo", status=MessageStatus.FAILED
    )
    notification = Notification(recipient=lead, kind="sponsorship_proposed", params={"agreement": 1})
    appointment = Appointment(
        refugee=refugee.refugee_profile,
        category_key="interpreting",
        starts_at=utcnow() + timedelta(days=5),
        ends_at=utcnow() + timedelta(days=5, hours=1),
        locality_id="soest",
        languages=["ar"],
    )
    offer = AppointmentOffer(appointment=appointment, volunteer=member.volunteer_profile)
    _db.session.add_all([agreement, run, proposal, job, message, notification, appointment, offer])
    _db.session.commit()
    values = {
        "filename": "css/app.css",
        "token": group.calendar_token,
        "step": 1,
        "group_id": group.id,
        "membership_id": group.memberships[1].id,
        "fmt": "csv",
        "proposal_id": proposal.id,
        "agreement_id": agreement.id,
        "action": "end",
        "locality_id": "soest",
        "key": "mentoring",
        "run_id": job.id,
        "message_id": message.id,
        "job_id": "no-such-job",
        "notification_id": notification.id,
        "organisation_id": staff_member.memberships[0].organisation_id,
        "area_id": staff_member.memberships[0].areas[0].id,
        "staff_membership_id": staff_member.memberships[0].id,
        "user_id": refugee.id,
        "appointment_id": appointment.id,
        "offer_id": offer.id,
        "answer": "decline",
        "month": "2026-11",
    }
    return World(app, users, values, member.volunteer_profile.id, refugee.refugee_profile.id)
