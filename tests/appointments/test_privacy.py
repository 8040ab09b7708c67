"""Appointments and the privacy lifecycle: notes for coordination encrypted at rest, appointments in the
person's own data, and what erasure (app.privacy) does to a refugee's requests and a volunteer's bookings."""

from datetime import date, timedelta

from sqlalchemy import select, text

from app.appointments import services
from app.models import AppointmentStatus, Notification, OfferStatus
from app.privacy import services as privacy

CLINIC = "Psychiatrische Sprechstunde, Diagnose PTBS"


def test_notes_for_coordination_are_stored_encrypted(make_request, db):
    appointment = make_request(special_notes=CLINIC)
    db.session.expire_all()

    stored = db.session.execute(
        text("SELECT special_notes FROM appointments WHERE id = :id"), {"id": appointment.id}
    ).scalar_one()
    assert "PTBS" not in stored and stored.startswith("gAAAAA")  # a Fernet token
    assert appointment.special_notes == CLINIC


def test_the_own_data_holds_the_appointments_of_both_sides(make_request, interpreters, coordinator, refugee):
    appointment = make_request()
    services.assign(appointment, interpreters[0].volunteer_profile, coordinator)

    asked = privacy.person_data(refugee)["appointments"]
    taken = privacy.person_data(interpreters[0])["appointments"]

    assert [(a["id"], a["kind"], a["address"]) for a in asked] == [
        (appointment.id, "interpreting", appointment.address)
    ]
    assert [(a["id"], a["status"]) for a in taken] == [(appointment.id, "assigned")]


def test_erasing_the_refugee_cancels_her_open_appointments_and_tells_the_volunteer(
    make_request, interpreters, coordinator, refugee, db
):
    appointment = make_request(notes="Bitte Ausweis mitbringen", special_notes=CLINIC)
    services.assign(appointment, interpreters[0].volunteer_profile, coordinator)

    privacy.erase(refugee, coordinator)

    assert appointment.status == AppointmentStatus.CANCELLED
    texts = (appointment.address, appointment.meeting_point, appointment.notes, appointment.special_notes)
    assert texts == ("", "", "", "")
    # kind, place and time stay for the statistics
    assert (appointment.category_key, appointment.locality_id) == ("interpreting", "soest")
    told = db.session.scalars(select(Notification.kind).where(Notification.recipient_id == interpreters[0].id)).all()
    assert "appointment_cancelled" in told


def test_erasing_a_volunteer_opens_the_appointments_they_took_and_withdraws_their_offers(
    make_request, interpreters, coordinator, db
):
    booked, offered = make_request(), make_request(day=date.today() + timedelta(days=10))
    services.assign(booked, interpreters[0].volunteer_profile, coordinator)
    [offer] = services.offer(offered, [interpreters[0].volunteer_profile.id], False, coordinator)

    privacy.erase(interpreters[0], coordinator)

    assert booked.status == AppointmentStatus.OPEN and booked.volunteer is None
    assert offer.status == OfferStatus.WITHDRAWN
