"""The core loop through the pages: request → candidates → offer → accept → confirm → report → approve → payout."""

import pytest

from app.appointments import services
from app.models import Appointment, AppointmentStatus, Notification, OfferStatus, Role


def kinds_for(db, user) -> list[str]:
    return [n.kind for n in db.session.query(Notification).filter_by(recipient_id=user.id).order_by(Notification.id)]


def test_refugee_request_waits_for_review(client, login, refugee, db, request_data):
    login(client, refugee)
    page = client.get("/appointments/new")
    assert page.status_code == 200
    data = request_data()
    answer = client.post(
        "/appointments/new",
        data={
            "kind": "interpreting",
            "day": data.day.isoformat(),
            "at": "10:00",
            "minutes": "60",
            "place": "soest",
            "languages": ["ar", "de"],
            "gender": "f",
            "meeting_point": "Rathaus",
        },
    )
    assert answer.status_code == 302
    appointment = db.session.query(Appointment).one()
    assert appointment.status == AppointmentStatus.REVIEW
    assert appointment.refugee_id == refugee.refugee_profile.id
    assert appointment.languages == ["ar", "de"]


def test_whole_loop(client, login, coordinator, refugee, interpreters, make_request, db, started, outbox):
    appointment = make_request()
    login(client, coordinator)
    page = client.get(f"/appointments/{appointment.id}")
    assert page.status_code == 200
    for interpreter in interpreters:
        assert interpreter.full_name in page.text
    ids = [i.volunteer_profile.id for i in interpreters[:2]]
    assert client.post(f"/appointments/{appointment.id}/offer", data={"volunteers": ids}).status_code == 302
    offers = appointment.offers
    assert [o.status for o in offers] == [OfferStatus.OFFERED, OfferStatus.OFFERED]
    assert kinds_for(db, interpreters[0]) == ["appointment_offer"]

    # The first interpreter answers through the signed link in the message, without logging in.
    client.get("/auth/logout")
    token = services.offer_token(offers[0])
    assert client.get(f"/appointments/answer/{token}").status_code == 200
    client.post(f"/appointments/answer/{token}", data={"answer": "accept"})
    db.session.refresh(appointment)
    assert appointment.status == AppointmentStatus.ASSIGNED
    assert appointment.volunteer_id == interpreters[0].volunteer_profile.id
    assert kinds_for(db, interpreters[1]) == ["appointment_offer", "appointment_taken"]
    assert kinds_for(db, refugee) == ["appointment_confirmed"]
    assert "appointment_confirmed" in kinds_for(db, interpreters[0])
    calendar = client.get(f"/appointments/calendar/{services.calendar_token(appointment.id)}.ics")
    assert calendar.mimetype == "text/calendar" and b"BEGIN:VEVENT" in calendar.data
    assert b"Vor dem Eingang" in calendar.data

    started(appointment)
    login(client, interpreters[0])
    client.post(f"/appointments/{appointment.id}/report", data={"took_place": "yes", "minutes": "90"})
    db.session.refresh(appointment)
    assert appointment.status == AppointmentStatus.REPORTED

    login(client, coordinator)
    client.post(f"/appointments/{appointment.id}/approve")
    db.session.refresh(appointment)
    assert appointment.status == AppointmentStatus.APPROVED and appointment.allowance_cents == 2000
    month = appointment.starts_at.strftime("%Y-%m")
    organisation = appointment.organisation_id
    payouts = client.get(f"/appointments/payouts?organisation={organisation}&month={month}")
    assert "20,00" in payouts.text and interpreters[0].full_name in payouts.text
    csv = client.get(f"/appointments/payouts/{organisation}/{month}.csv")
    assert "Interpreter 0" in csv.data.decode("utf-8-sig") and "20,00" in csv.data.decode("utf-8-sig")
    assert client.get(f"/appointments/payouts/{organisation}/{month}.xlsx").status_code == 200

    login(client, interpreters[0])
    mine = client.get("/appointments/mine")
    assert "20,00" in mine.text


def test_overview_lists_open_requests(coordinator_client, make_request):
    appointment = make_request()
    page = coordinator_client.get("/appointments/")
    assert page.status_code == 200
    assert f"/appointments/{appointment.id}" in page.text


def test_candidates_are_explained_and_requests_that_found_nobody_reach_the_gap_dashboard(
    coordinator_client, make_request, interpreters, make_interpreter
):
    found = make_request()
    page = coordinator_client.get(f"/appointments/{found.id}").text
    assert "spricht Arabisch" in page and "0 Termine in den letzten 30 Tagen" in page
    nobody = make_request(languages=("ti",))
    page = coordinator_client.get(f"/appointments/{nobody.id}").text
    assert "spricht die Sprachen nicht gut genug" in page
    dashboard = coordinator_client.get("/coordination/").text
    assert f"/appointments/{nobody.id}" in dashboard and f"/appointments/{found.id}" not in dashboard


def test_a_sponsor_asks_for_their_family_only(client, login, db, pair, make_refugee, request_data):
    from datetime import date, timedelta

    from app.models import Agreement, AgreementStatus

    volunteer, family = pair
    db.session.add(
        Agreement(
            refugee=family.refugee_profile,
            volunteer=volunteer.volunteer_profile,
            status=AgreementStatus.ACTIVE,
            starts_on=date.today(),
            ends_on=date.today() + timedelta(days=90),
        )
    )
    db.session.commit()
    stranger = make_refugee("Someone Else", phone="+4917699999999")
    login(client, volunteer)
    form = client.get("/appointments/new").text
    assert family.full_name in form and stranger.full_name not in form
    data = request_data()
    fields = {
        "kind": "driving",
        "day": data.day.isoformat(),
        "at": "09:00",
        "minutes": "120",
        "place": "soest",
        "languages": ["de"],
    }
    client.post("/appointments/new", data={**fields, "refugee": str(stranger.refugee_profile.id)})
    assert db.session.query(Appointment).count() == 0
    client.post("/appointments/new", data={**fields, "refugee": str(family.refugee_profile.id)})
    appointment = db.session.query(Appointment).one()
    assert appointment.status == AppointmentStatus.OPEN and appointment.refugee_id == family.refugee_profile.id


def test_organisation_admins_set_their_own_rates(client, login, make_user, db):
    from app.models import AllowanceRate, StaffRole

    manager = make_user(Role.COORDINATOR, email="boss@example.org", staff_role=StaffRole.ORG_ADMIN)
    login(client, manager)
    client.post("/appointments/rates", data={"kind": "interpreting", "per_assignment": "25.00", "per_km": "0"})
    rate = db.session.query(AllowanceRate).one()
    assert (rate.category_key, rate.per_assignment_cents) == ("interpreting", 2500)
    assert "25,00" in client.get("/appointments/rates").text


def test_plain_coordinators_see_the_rates_but_cannot_change_them(coordinator_client, db):
    from app.models import AllowanceRate

    assert "20,00" in coordinator_client.get("/appointments/rates").text
    coordinator_client.post("/appointments/rates", data={"kind": "interpreting", "per_assignment": "99", "per_km": "0"})
    assert db.session.query(AllowanceRate).count() == 0


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "²", "-1", "zwei"])
def test_a_strange_volunteer_id_is_refused_and_changes_nothing(client, login, coordinator, make_request, db, value):
    appointment = make_request()
    login(client, coordinator)
    offered = client.post(f"/appointments/{appointment.id}/offer", data={"volunteers": [value]})
    assert offered.status_code == 302  # back to the appointment, with "Please choose at least one volunteer."
    assert client.post(f"/appointments/{appointment.id}/assign", data={"volunteer": value}).status_code == 404
    db.session.refresh(appointment)
    assert appointment.offers == [] and appointment.volunteer_id is None
