"""Bad input and edge cases: each a clear message in the user's language, and nothing changed."""

from datetime import date, time, timedelta

import pytest
from flask_babel import force_locale

from app.appointments import services
from app.matching_problem import appointment_volunteers, matchable_volunteers, rank_appointment, volunteer_ref
from app.models import Appointment, AppointmentStatus, Notification, OfferStatus, VolunteerStatus, utcnow


def count(db, model) -> int:
    return db.session.query(model).count()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"day": date.today() - timedelta(days=1)}, services.InThePast),
        ({"minutes": 0}, services.EndBeforeStart),
        ({"minutes": -30}, services.EndBeforeStart),
        ({"day": date.today() + timedelta(days=800)}, services.TooFarAhead),
        ({"category_key": "mentoring"}, services.NotBookable),
        ({"languages": ()}, services.NoLanguage),
    ],
    ids=["past", "no-duration", "end-before-start", "too-far", "not-bookable", "no-language"],
)
def test_bad_requests_change_nothing(db, coordinator, refugee, request_data, changes, error):
    with pytest.raises(error):
        services.request_appointment(refugee.refugee_profile, request_data(**changes), coordinator)
    assert count(db, Appointment) == 0


def test_an_appointment_in_twenty_minutes_is_too_short_notice(db, coordinator, refugee, request_data):
    soon = (utcnow() + timedelta(minutes=20)).astimezone(services.BERLIN)
    data = request_data(day=soon.date(), at=soon.time().replace(second=0, microsecond=0, tzinfo=None))
    with pytest.raises(services.TooShortNotice) as raised:
        services.request_appointment(refugee.refugee_profile, data, coordinator)
    with force_locale("de"):
        assert "24 Stunden" in str(raised.value)
    assert count(db, Appointment) == 0


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
def test_a_past_date_is_refused_on_the_page_in_the_users_language(client, login, refugee, db, request_data, language):
    refugee.preferred_language = language
    db.session.commit()
    login(client, refugee)
    yesterday = date.today() - timedelta(days=1)
    page = client.post(
        f"/appointments/new?lang={language}",
        data={
            "kind": "interpreting",
            "day": yesterday.isoformat(),
            "at": "10:00",
            "minutes": "60",
            "place": "soest",
            "languages": ["ar"],
        },
        follow_redirects=True,
    )
    assert page.status_code == 200
    with force_locale(language):
        assert str(services.InThePast()) in page.text
    assert count(db, Appointment) == 0


def offered(make_request, coordinator, interpreters, in_order=False):
    appointment = make_request()
    services.offer(appointment, [i.volunteer_profile.id for i in interpreters], in_order, coordinator)
    return appointment


def test_the_second_to_accept_is_told_it_is_taken(db, make_request, coordinator, interpreters):
    appointment = offered(make_request, coordinator, interpreters)
    first, second = appointment.offers[:2]
    services.accept(first)
    with pytest.raises(services.AlreadyTaken):
        services.accept(second)
    db.session.refresh(appointment)
    assert appointment.volunteer_id == first.volunteer_id
    assert second.status == OfferStatus.TAKEN


def test_a_cancelled_appointment_cannot_be_accepted_through_an_old_link(
    client, db, make_request, coordinator, interpreters
):
    appointment = offered(make_request, coordinator, interpreters)
    token = services.offer_token(appointment.offers[0])
    services.cancel(appointment, coordinator)
    page = client.post(f"/appointments/answer/{token}", data={"answer": "accept"}, follow_redirects=True)
    assert "abgesagt" in page.text
    db.session.refresh(appointment)
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.volunteer_id is None


def test_a_forged_link_is_not_found(client):
    assert client.get("/appointments/answer/not-a-token").status_code == 404
    assert client.get("/appointments/calendar/not-a-token.ics").status_code == 404


@pytest.mark.parametrize("how", ["paused", "account_deactivated"])
def test_a_deactivated_volunteer_cannot_be_booked(db, make_request, coordinator, interpreters, how):
    appointment = offered(make_request, coordinator, interpreters)
    volunteer = interpreters[0]
    if how == "paused":
        volunteer.volunteer_profile.status = VolunteerStatus.PAUSED
    else:
        volunteer.active = False
    db.session.commit()
    with pytest.raises(services.VolunteerInactive):
        services.accept(appointment.offers[0])
    db.session.refresh(appointment)
    assert appointment.status == AppointmentStatus.OPEN and appointment.volunteer_id is None


def test_a_volunteer_is_not_booked_twice_at_overlapping_times(db, make_request, coordinator, interpreters):
    first = make_request()
    second = make_request(at=time(10, 30))
    volunteer = interpreters[0].volunteer_profile
    services.assign(first, volunteer, coordinator)
    with pytest.raises(services.VolunteerBusy):
        services.assign(second, volunteer, coordinator)
    db.session.refresh(second)
    assert second.status == AppointmentStatus.OPEN


def test_back_to_back_appointments_are_fine(db, make_request, coordinator, interpreters):
    first, second = make_request(), make_request(at=time(11, 0))
    volunteer = interpreters[0].volunteer_profile
    services.assign(first, volunteer, coordinator)
    services.assign(second, volunteer, coordinator)
    assert second.volunteer_id == volunteer.id


def test_in_order_the_next_is_asked_when_one_declines(db, make_request, coordinator, interpreters):
    appointment = offered(make_request, coordinator, interpreters, in_order=True)
    assert [o.status for o in appointment.offers] == [OfferStatus.OFFERED, OfferStatus.WAITING, OfferStatus.WAITING]
    services.decline(appointment.offers[0])
    assert [o.status for o in appointment.offers] == [OfferStatus.DECLINED, OfferStatus.OFFERED, OfferStatus.WAITING]


def test_everyone_involved_is_told_of_a_move(db, make_request, coordinator, refugee, interpreters):
    appointment = offered(make_request, coordinator, interpreters)
    services.accept(appointment.offers[0])
    local = appointment.starts_at.astimezone(services.BERLIN)
    services.move(appointment, local.date() + timedelta(days=1), time(9, 0), 90, coordinator)
    told = {n.recipient_id for n in db.session.query(Notification).filter_by(kind="appointment_moved")}
    assert told == {refugee.id, interpreters[0].id}
    assert appointment.minutes == 90


def test_moving_to_the_past_changes_nothing(db, make_request, coordinator):
    appointment = make_request()
    before = appointment.starts_at
    with pytest.raises(services.InThePast):
        services.move(appointment, date.today() - timedelta(days=2), time(9, 0), 60, coordinator)
    assert appointment.starts_at == before


def test_a_rate_changed_mid_month_keeps_approved_amounts(db, make_request, coordinator, interpreters, started, admin):
    first, second = make_request(), make_request(at=time(14, 0))
    for appointment, volunteer in zip((first, second), interpreters, strict=False):
        services.assign(appointment, volunteer.volunteer_profile, coordinator)
        started(appointment)
        services.report(appointment, True, 60, 0, volunteer)
    services.approve(first, coordinator)
    organisation = first.organisation
    services.set_rates(organisation, "interpreting", services.Rates(2500, 0), admin)
    services.approve(second, coordinator)
    assert (first.allowance_cents, first.rate_per_assignment_cents) == (2000, 2000)
    assert (second.allowance_cents, second.rate_per_assignment_cents) == (2500, 2500)


def test_rides_are_paid_per_km(db, make_request, coordinator, interpreters, started):
    ride = make_request(category_key="driving")
    volunteer = interpreters[0]
    services.assign(ride, volunteer.volunteer_profile, coordinator)
    started(ride)
    services.report(ride, True, 120, 42, volunteer)
    services.approve(ride, coordinator)
    assert ride.allowance_cents == 42 * 30


@pytest.mark.parametrize(
    ("took_place", "minutes", "km"),
    [(True, 0, 0), (True, 3000, 0), (True, 60, -5)],
    ids=["no-time", "too-long", "negative-km"],
)
def test_bad_reports_change_nothing(db, make_request, coordinator, interpreters, started, took_place, minutes, km):
    appointment = make_request()
    services.assign(appointment, interpreters[0].volunteer_profile, coordinator)
    started(appointment)
    with pytest.raises(services.BadReport):
        services.report(appointment, took_place, minutes, km, interpreters[0])
    assert appointment.status == AppointmentStatus.ASSIGNED


def test_a_report_before_the_appointment_is_refused(db, make_request, coordinator, interpreters):
    appointment = make_request()
    services.assign(appointment, interpreters[0].volunteer_profile, coordinator)
    with pytest.raises(services.NotYet):
        services.report(appointment, True, 60, 0, interpreters[0])


def test_requests_of_an_erased_person_still_render(coordinator_client, db, make_request, refugee, interpreters):
    appointment = make_request()
    db.session.delete(refugee)
    db.session.commit()
    db.session.expire_all()
    assert appointment.refugee_id is None
    page = coordinator_client.get(f"/appointments/{appointment.id}")
    assert page.status_code == 200
    assert coordinator_client.get("/appointments/").status_code == 200


def test_reminders_the_day_before_are_sent_once(db, make_request, coordinator, refugee, interpreters):
    tomorrow = date.today() + timedelta(days=1)
    appointment = make_request(day=tomorrow + timedelta(days=3))
    services.assign(appointment, interpreters[0].volunteer_profile, coordinator)
    appointment.starts_at -= timedelta(days=3)
    appointment.ends_at -= timedelta(days=3)
    db.session.commit()
    assert services.send_reminders(date.today()) == 2
    assert services.send_reminders(date.today()) == 0
    reminded = {n.recipient_id for n in db.session.query(Notification).filter_by(kind="appointment_reminder")}
    assert reminded == {refugee.id, interpreters[0].id}


def test_outside_the_scope_an_appointment_does_not_exist(client, login, make_user, make_request):
    appointment = make_request()
    from app.models import Role

    elsewhere = make_user(Role.COORDINATOR, email="werl@example.org", places=("werl",))
    login(client, elsewhere)
    assert client.get(f"/appointments/{appointment.id}").status_code == 404
    assert f"/appointments/{appointment.id}" not in client.get("/appointments/").text


def test_special_notes_are_for_coordination_only(client, login, coordinator, make_request, interpreters):
    appointment = make_request(special_notes="Schwangerschaft, 20. Woche")
    services.assign(appointment, interpreters[0].volunteer_profile, coordinator)
    login(client, interpreters[0])
    assert "Schwangerschaft" not in client.get(f"/appointments/{appointment.id}").text
    login(client, coordinator)
    assert "Schwangerschaft" in client.get(f"/appointments/{appointment.id}").text


def test_those_who_do_not_offer_the_kind_are_counted_as_the_engine_would_exclude_them(
    db, make_request, make_interpreter, make_volunteer
):
    """The adapter ranks only who offers the kind and counts the others in the database: the same
    candidates and exclusion counts as the engine ranking everyone."""
    make_interpreter("Near", email="near@example.org")
    make_interpreter("Far", email="far@example.org", locality="geseke", travel_km=1)
    for n in range(3):
        make_volunteer(f"Tutor {n}", email=f"tutor{n}@example.org", offers=("homework_help",))
    appointment = make_request()
    volunteers, without_offer = appointment_volunteers(appointment)
    ranking = rank_appointment(appointment)

    assert without_offer == 3 and len(volunteers) == 2
    everyone = matchable_volunteers()
    assert len(everyone) == 5
    assert ranking.excluded["no_matching_offer"] == 3
    assert [c.volunteer for c in ranking.candidates] == [
        volunteer_ref(v.id) for v in everyone if v.user.full_name == "Near"
    ]
