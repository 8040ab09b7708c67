"""Retention periods with a moved clock: the plan, the purge, the daily job, and a purge that stops half-way."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Agreement,
    AgreementStatus,
    AuditEvent,
    CheckIn,
    Notification,
    OutboxMessage,
    utcnow,
)
from app.operations.daily import run_daily
from app.privacy import services

TODAY = utcnow().date()


def reasons(today: date) -> dict[int, str]:
    return {item.id: item.reason for item in services.plan(today) if item.kind == "account"}


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("months", "expected"),
    [((date(2026, 3, 31), 1), date(2026, 2, 28)), ((date(2024, 5, 15), 24), date(2022, 5, 15))],
)
def test_months_before_keeps_the_day_where_the_month_has_it(months, expected):
    assert services.months_before(*months) == expected


def test_a_requested_erasure_is_carried_out_after_the_configured_days(refugee, app):
    services.request_erasure(refugee, now=at(TODAY))
    days = app.config["ERASURE_AFTER_DAYS"]

    assert refugee.id not in reasons(TODAY + timedelta(days=days - 1))
    assert reasons(TODAY + timedelta(days=days))[refugee.id] == "erasure_requested"
    services.purge(TODAY + timedelta(days=days))
    assert refugee.erased_at is not None and refugee.full_name.startswith("person-")


def test_an_unfinished_registration_goes_after_30_days(new_volunteer, volunteer):
    assert new_volunteer.id not in reasons(TODAY + timedelta(days=29))

    done = services.purge(TODAY + timedelta(days=31))

    assert done["unfinished_registration"] == 1 and new_volunteer.erased_at is not None
    assert volunteer.erased_at is None  # answered everything


def test_an_inactive_account_is_warned_then_erased_and_one_click_keeps_it(volunteer, refugee, app):
    months, warning = app.config["RETENTION_INACTIVE_ACCOUNT_MONTHS"], app.config["RETENTION_WARNING_DAYS"]
    due = date(TODAY.year + months // 12, TODAY.month, min(TODAY.day, 28)) + timedelta(days=2)
    before_warning = due - timedelta(days=warning + 3)
    warned_on = due - timedelta(days=warning - 1)

    assert volunteer.id not in reasons(before_warning)
    services.purge(warned_on)
    entries = db.session.scalars(select(Notification).where(Notification.recipient_id == volunteer.id)).all()
    assert [e.kind for e in entries] == ["retention_warning"] and volunteer.retention_warned_at is not None
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == volunteer.id)).all()
    assert len(mails) == 1 and "vera@example.org" == mails[0].address
    services.purge(warned_on + timedelta(days=1))  # the next day: nobody is warned twice
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.recipient_id == volunteer.id)) == 1

    services.keep_account(refugee, now=at(warned_on + timedelta(days=2)))  # the refugee clicks "keep"
    done = services.purge(warned_on + timedelta(days=warning))

    assert done["inactive_account"] == 1
    assert volunteer.erased_at is not None and refugee.erased_at is None


def test_the_keep_button_on_the_own_page(refugee_client, refugee):
    refugee.retention_warned_at = utcnow()
    db.session.commit()
    page = refugee_client.get("/me/data").get_data(as_text=True)
    assert "/me/keep" in page

    refugee_client.post("/me/keep")

    assert refugee.retention_warned_at is None and refugee.retention_kept_at is not None


def test_a_running_sponsorship_keeps_an_account(draft, app):
    volunteer, refugee = draft.volunteer.user, draft.refugee.user
    draft.status = AgreementStatus.ACTIVE
    db.session.commit()

    later = TODAY + timedelta(days=31 * 30)

    assert volunteer.id not in reasons(later) and refugee.id not in reasons(later)


def test_ended_sponsorships_lose_their_notes_after_36_months(pair):
    volunteer, refugee = pair
    agreement = Agreement(
        refugee=refugee.refugee_profile,
        volunteer=volunteer.volunteer_profile,
        starts_on=TODAY - timedelta(days=200),
        ends_on=TODAY - timedelta(days=10),
        ended_on=TODAY - timedelta(days=10),
        status=AgreementStatus.ENDED,
        end_reason="moved to Köln",
    )
    agreement.check_ins.append(CheckIn(happened_on=TODAY - timedelta(days=20), note="Amal is well"))
    db.session.add(agreement)
    db.session.commit()

    assert ("agreement", agreement.id) not in {(i.kind, i.id) for i in services.plan(TODAY + timedelta(days=35 * 30))}
    services.purge(TODAY + timedelta(days=37 * 31))

    assert agreement.check_ins[0].note == "" and agreement.end_reason == ""
    assert agreement.status == AgreementStatus.ENDED  # the sponsorship itself is still counted


def test_access_codes_go_after_their_expiry(refugee, app):
    profile = refugee.refugee_profile
    profile.access_code_digest, profile.access_code_issued_at = "d" * 64, at(TODAY)
    db.session.commit()
    days = app.config["ACCESS_CODE_MAX_AGE_DAYS"]

    assert ("access_code", profile.id) not in {(i.kind, i.id) for i in services.plan(TODAY + timedelta(days=days - 1))}
    services.purge(TODAY + timedelta(days=days + 1))

    assert profile.access_code_digest is None and profile.access_code_issued_at is None


def test_audit_events_go_after_24_months(coordinator):
    old = AuditEvent(action="refugee.viewed", actor=coordinator, created_at=at(TODAY) - timedelta(days=2 * 366))
    recent = AuditEvent(action="refugee.viewed", actor=coordinator, created_at=at(TODAY) - timedelta(days=300))
    db.session.add_all([old, recent])
    db.session.commit()
    old_id, recent_id = old.id, recent.id

    services.purge(TODAY)

    assert db.session.get(AuditEvent, old_id) is None and db.session.get(AuditEvent, recent_id) is not None


def test_dry_run_lists_ids_and_reasons_without_names_and_changes_nothing(runner, refugee, new_volunteer):
    services.request_erasure(refugee, now=at(TODAY))
    day = (TODAY + timedelta(days=40)).isoformat()

    result = runner.invoke(args=["privacy", "purge", "--dry-run", "--today", day])

    assert result.exit_code == 0, result.output
    assert f"account {refugee.id}: erasure_requested" in result.output
    assert f"account {new_volunteer.id}: unfinished_registration" in result.output
    assert "Amal" not in result.output and "Nina" not in result.output and "newbie@" not in result.output
    assert refugee.erased_at is None and new_volunteer.erased_at is None
    result = runner.invoke(args=["privacy", "purge", "--today", day])
    assert result.exit_code == 0 and refugee.erased_at is not None and new_volunteer.erased_at is not None


def test_a_purge_that_stops_half_way_resumes_without_loss_or_double_messages(make_volunteer, make_refugee, monkeypatch):
    people = []
    for n in range(3):
        refugee = make_refugee(f"Person {n} Refugee", phone=f"+49176000000{n}1")
        volunteer = make_volunteer(f"Partner {n} Volunteer", email=f"partner{n}@example.org")
        agreement = Agreement(
            refugee=refugee.refugee_profile,
            volunteer=volunteer.volunteer_profile,
            starts_on=TODAY,
            ends_on=TODAY + timedelta(days=90),
            status=AgreementStatus.ACTIVE,
        )
        db.session.add(agreement)
        services.request_erasure(refugee, now=at(TODAY))
        people.append((refugee, volunteer))
    day = TODAY + timedelta(days=31)
    real_scrub, calls = services._scrub, []

    def stops_on_the_second(*args):
        calls.append(1)
        real_scrub(*args)
        if len(calls) == 2:
            raise RuntimeError("the worker was stopped")

    monkeypatch.setattr(services, "_scrub", stops_on_the_second)
    with pytest.raises(RuntimeError):
        services.purge(day)
    db.session.rollback()
    assert [r.erased_at is not None for r, _ in people] == [True, False, False]
    assert people[1][0].full_name == "Person 1 Refugee"  # untouched, not half-erased

    monkeypatch.setattr(services, "_scrub", real_scrub)
    services.purge(day)

    assert all(r.erased_at is not None for r, _ in people)
    for _, partner in people:
        told = db.session.scalars(select(Notification.kind).where(Notification.recipient_id == partner.id)).all()
        assert told == ["sponsorship_partner_erased"]
        mails = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient_id == partner.id))
        assert mails == 1


def test_the_daily_job_applies_the_periods_and_tells_the_admins_once(admin, new_volunteer):
    day = TODAY + timedelta(days=31)

    result = run_daily(day)
    run_daily(day)

    assert result["privacy_unfinished_registration"] == 1 and new_volunteer.erased_at is not None
    told = db.session.scalars(select(Notification).where(Notification.recipient_id == admin.id)).all()
    assert [(n.kind, n.params["accounts"]) for n in told] == [("privacy_purge_done", 1)]
