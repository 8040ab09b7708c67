"""The outbox: mail written with the change, delivered by a job, retried with backoff, never lost."""

import smtplib
from datetime import date, timedelta

import pytest
from mail_server import free_port, smtp_server, subject
from sqlalchemy import func, select

from app.agreements.services import daily
from app.email import message_id, queue_email
from app.jobs.queue import run_ready
from app.models import AgreementStatus, Channel, MessageStatus, OutboxMessage, utcnow
from app.outbox import services as outbox


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(database_url, make_config, smtp_port):
    # A real SMTP client against a port where, until a test starts one, no server listens.
    return make_config(
        database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, OUTBOX_RETRY_SECONDS=0
    )


def messages(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def mails(db) -> list[OutboxMessage]:
    return [message for message in messages(db) if message.channel == Channel.EMAIL]


def deliver_due() -> None:
    outbox.sweep()
    run_ready()


def test_with_the_mail_server_down_approval_succeeds_and_the_mail_goes_out_when_it_is_back(
    coordinator_client, agreed, db, smtp_port
):
    response = coordinator_client.post(f"/sponsorships/{agreed.id}/approve", follow_redirects=True)

    assert response.status_code == 200
    assert "Die Patenschaft ist bestätigt." in response.get_data(as_text=True)
    db.session.refresh(agreed)
    assert agreed.status == AgreementStatus.ACTIVE
    [waiting] = mails(db)  # the volunteer; the refugee has no e-mail address (an SMS goes to her phone)
    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        MessageStatus.PENDING,
        1,
        "ConnectionRefusedError: Connection refused",
    )

    with smtp_server(smtp_port) as inbox:
        deliver_due()
        deliver_due()  # a second sweep finds nothing left to send

    assert [m["To"] for m in inbox.messages] == ["vera@example.org"]
    assert subject(inbox.messages[0]) == "Brückenbau: Ihre Patenschaft ist bestätigt"
    [sent] = mails(db)
    assert (sent.status, sent.attempts) == (MessageStatus.SENT, 2)
    assert inbox.messages[0]["Message-ID"] == message_id(sent)


def test_a_message_is_written_only_if_its_change_is_committed(pair, db, outbox):
    volunteer, _ = pair
    queue_email(volunteer, "Hallo", "email/password_reset.txt", reset_url="http://x")
    db.session.rollback()
    db.session.commit()
    run_ready()
    assert messages(db) == [] and outbox == []


def test_only_one_worker_can_claim_a_message_until_its_lease_runs_out(pair, db):
    volunteer, _ = pair
    message = queue_email(volunteer, "Hallo", "email/password_reset.txt", reset_url="http://x")
    db.session.commit()

    assert outbox.claim(message.id) is not None
    assert outbox.claim(message.id) is None  # a second worker, or the same job delivered twice

    message = db.session.get(OutboxMessage, message.id)
    message.lease_until = utcnow() - timedelta(seconds=1)  # the first worker died
    db.session.commit()
    again = outbox.claim(message.id)
    assert again is not None and again.attempts == 2


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 60), (2, 120), (3, 240), (9, 15360), (10, 6 * 3600), (20, 6 * 3600)]
)
def test_retries_back_off_exponentially_up_to_six_hours(app, attempts, seconds):
    app.config["OUTBOX_RETRY_SECONDS"] = 60
    assert outbox.retry_delay(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("error", "described", "permanent"),
    [
        (
            smtplib.SMTPRecipientsRefused({"vera@example.org": (550, b"5.1.1 <vera@example.org>: unknown")}),
            "SMTPRecipientsRefused 550",
            True,
        ),
        (
            smtplib.SMTPRecipientsRefused({"vera@example.org": (450, b"mailbox busy vera@example.org")}),
            "SMTPRecipientsRefused 450",
            False,
        ),
        (smtplib.SMTPDataError(554, b"rejected for vera@example.org"), "SMTPDataError 554", True),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "SMTPServerDisconnected", False),
        (ConnectionRefusedError(111, "Connection refused"), "ConnectionRefusedError: Connection refused", False),
    ],
)
def test_errors_are_described_without_the_servers_text(error, described, permanent):
    assert outbox.describe(error) == described
    assert "vera" not in outbox.describe(error)
    assert outbox._permanent(error) is permanent


class RefusingInbox:
    """A server that refuses every recipient for good (an address that does not exist)."""

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        return "550 5.1.1 no such user"


def test_a_refused_message_fails_at_once_and_an_admin_can_send_it_again(
    client, login, admin, pair, db, smtp_port, outbox
):
    volunteer, _ = pair
    with smtp_server(smtp_port, RefusingInbox()):
        queue_email(volunteer, "Hallo", "email/password_reset.txt", reset_url="http://x")
        db.session.commit()
        run_ready()
    [failed] = messages(db)
    assert (failed.status, failed.attempts, failed.last_error) == (MessageStatus.FAILED, 1, "SMTPRecipientsRefused 550")

    login(client, admin)
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert f'id="message-{failed.id}"' in page and "SMTPRecipientsRefused 550" in page
    with smtp_server(smtp_port) as inbox:
        client.post(f"/admin/jobs/messages/{failed.id}/retry")
    assert len(inbox.messages) == 1
    assert messages(db)[0].status == MessageStatus.SENT
    assert "nicht (mehr) fehlgeschlagen" in client.post(
        f"/admin/jobs/messages/{failed.id}/retry", follow_redirects=True
    ).get_data(as_text=True)


def test_after_the_last_attempt_the_message_is_failed(app, pair, db):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    volunteer, _ = pair
    queue_email(volunteer, "Hallo", "email/password_reset.txt", reset_url="http://x")
    db.session.commit()
    run_ready()
    deliver_due()
    assert messages(db)[0].status == MessageStatus.PENDING
    deliver_due()
    [message] = messages(db)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)
    deliver_due()
    assert messages(db)[0].attempts == 3  # failed messages wait for an admin


@pytest.fixture
def ending(agreed, db):
    """An active sponsorship that ends within the reminder period."""
    agreed.status, agreed.ends_on = AgreementStatus.ACTIVE, date.today() + timedelta(days=5)
    db.session.commit()
    return agreed


def test_a_reminder_counts_as_sent_only_when_delivered_and_is_written_once(ending, db, smtp_port):
    assert daily()["reminded"] == 1
    run_ready()  # the server is down
    assert daily()["reminded"] == 0  # queued already: not written twice
    db.session.refresh(ending)
    assert ending.reminder_sent_at is None
    assert {m.status for m in messages(db)} == {MessageStatus.PENDING}
    assert len(messages(db)) == 2  # the volunteer and the contact person

    with smtp_server(smtp_port) as inbox:
        deliver_due()

    assert sorted(m["To"] for m in inbox.messages) == ["coordinator@example.org", "vera@example.org"]
    db.session.refresh(ending)
    assert ending.reminder_sent_at is not None
    assert daily()["reminded"] == 0


def test_delivered_messages_are_deleted_after_the_keeping_period(pair, db):
    volunteer, _ = pair
    old, recent, waiting = (
        queue_email(volunteer, "Hallo", "email/password_reset.txt", reset_url="http://x") for _ in range(3)
    )
    old.status, old.sent_at = MessageStatus.SENT, utcnow() - timedelta(days=31)
    recent.status, recent.sent_at = MessageStatus.SENT, utcnow() - timedelta(days=29)
    db.session.commit()
    assert outbox.purge_sent(30) == 1
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
    assert waiting.status == MessageStatus.PENDING
