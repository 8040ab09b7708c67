"""notify(): an inbox entry for everyone, mail or SMS by the person's choice, in their language, after quiet hours."""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.jobs.queue import run_ready
from app.models import Channel, MessageStatus, Notification, OutboxMessage, Role
from app.notifications import services

BERLIN = ZoneInfo("Europe/Berlin")


def at(hour: int, minute: int = 0, day: date = date(2026, 12, 1)) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def entries(db, user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user.id)))


def test_a_volunteer_gets_a_mail_and_a_refugee_without_e_mail_an_sms_in_her_language(
    app, db, pair, draft, outbox, sms_outbox
):
    volunteer, refugee = pair
    services.notify(volunteer, "sponsorship_proposed", agreement=draft.id, now=at(12))
    services.notify(refugee, "proposal_waiting", agreement=draft.id, now=at(12))
    db.session.commit()
    run_ready()

    assert [mail.to for mail in outbox] == [["vera@example.org"]]
    [(number, text)] = sms_outbox
    with force_locale("ar"):
        expected = str(services.KINDS["proposal_waiting"].text)
    assert number == "+4917611111111"
    assert text == f"{expected} http://localhost/sponsorships/{draft.id}"
    assert expected != "A volunteer has been proposed for you. Please look and say yes or no."  # translated
    assert [entry.kind for entry in entries(db, refugee)] == ["proposal_waiting"]


def test_the_entry_stores_no_text_only_kind_and_parameters_and_reads_in_each_language(app, db, pair, draft):
    volunteer, _ = pair
    services.notify(volunteer, "sponsorship_ending", agreement=draft.id, end=date(2027, 3, 31))
    db.session.commit()
    [entry] = entries(db, volunteer)
    assert entry.params == {"agreement": draft.id, "end": "2027-03-31"}
    with force_locale("de"):
        assert services.text_of(entry) == "Eine Patenschaft endet am 31.03.2027. Möchten Sie sie verlängern?"
    with force_locale("en"):
        assert "Mar 31, 2027" in services.text_of(entry) or "31 Mar 2027" in services.text_of(entry)


def test_appointments_can_be_told_with_their_time_in_german_time(app, db, volunteer, outbox):
    when = datetime(2027, 1, 12, 14, 30, tzinfo=timezone.utc)
    services.notify(volunteer, "appointment_moved", when=when, endpoint="agreements.mine")
    db.session.commit()
    run_ready()
    [entry] = entries(db, volunteer)
    with force_locale("de"):
        assert "15:30" in services.text_of(entry)  # 14:30 UTC is 15:30 in Berlin in January
    with app.test_request_context():
        assert services.link_of(entry) == "/sponsorships/mine"
    [mail] = outbox
    assert "15:30" in mail.body and mail.subject == "Brückenbau: Ihr Termin"


def test_an_unknown_kind_is_refused(app, volunteer):
    with pytest.raises(services.UnknownKind):
        services.notify(volunteer, "no_such_kind")


@pytest.mark.parametrize(
    ("local", "waits_until"),
    [
        (at(22, 30), at(8, 0, date(2026, 12, 2))),  # evening: until the next morning
        (at(3, 0), at(8, 0)),  # night: until this morning
        (at(8, 0), None),
        (at(20, 59), None),
    ],
)
def test_an_sms_in_the_quiet_hours_waits_for_their_end(app, db, pair, draft, local, waits_until, sms_outbox):
    _, refugee = pair
    [message] = services.notify(refugee, "proposal_waiting", agreement=draft.id, now=local)
    db.session.commit()
    run_ready()
    if waits_until is None:
        assert len(sms_outbox) == 1
    else:
        assert sms_outbox == []
        db.session.refresh(message)
        assert (message.status, message.next_attempt_at) == (MessageStatus.PENDING, waits_until)


def test_quiet_hours_within_one_day_and_none_at_all(app, db, refugee):
    services.save_choice(refugee, False, True, time(12, 0), time(14, 0))
    choice = services.choice_of(refugee)
    assert services.quiet_hours_end(choice, at(13, 0)) == at(14, 0)
    assert services.quiet_hours_end(choice, at(23, 0)) is None
    services.save_choice(refugee, False, True, None, None)
    assert services.quiet_hours_end(services.choice_of(refugee), at(3, 0)) is None


def test_the_choice_of_channels_is_followed(app, db, make_user, draft, outbox, sms_outbox):
    both = make_user(Role.VOLUNTEER, email="both@example.org", phone="+4917612121212")
    assert services.choice_of(both).channels == [Channel.EMAIL]  # SMS only where there is no address
    services.save_choice(both, True, True, None, None)
    services.notify(both, "sponsorship_confirmed", agreement=draft.id)
    services.save_choice(both, False, False, None, None)
    services.notify(both, "sponsorship_confirmed", agreement=draft.id)
    db.session.commit()
    run_ready()
    assert len(outbox) == 1 and len(sms_outbox) == 1
    assert len(entries(db, both)) == 2  # the inbox has everything


def test_a_reminder_that_only_goes_to_inboxes_counts_as_sent(app, db, pair, coordinator, outbox):
    from datetime import timedelta

    from app.agreements.services import daily
    from app.models import Agreement, AgreementStatus

    volunteer, refugee = pair
    agreement = Agreement(
        refugee=refugee.refugee_profile,
        volunteer=volunteer.volunteer_profile,
        contact_person=coordinator,
        status=AgreementStatus.ACTIVE,
        starts_on=date.today() - timedelta(days=170),
        ends_on=date.today() + timedelta(days=3),
    )
    db.session.add(agreement)
    db.session.commit()
    for user in (volunteer, coordinator):
        services.save_choice(user, False, False, None, None)
    assert daily()["reminded"] == 1
    assert agreement.reminder_sent_at is not None
    assert daily()["reminded"] == 0  # nothing written twice
    assert outbox == [] and db.session.scalars(select(OutboxMessage)).all() == []
    assert [e.kind for e in entries(db, volunteer)] == ["sponsorship_ending"]
