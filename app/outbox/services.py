"""The outbox: every message is a row written in the transaction of the change that causes it.

A job delivers it. Delivery claims the row first (a conditional UPDATE that
only one worker can win, with a lease), sends, then marks it sent; a worker
killed before the mark leaves a lease that runs out, and the periodic sweep
hands the message to another worker. So a message is never lost, and it is
sent twice only if a worker dies in the milliseconds between the server's
acceptance and the commit of "sent" (the stable Message-ID lets the receiver
tell). Failures are retried with exponential backoff; when the attempts are
used up, or the server refuses for good, the message is failed and shown to
admins, who can retry it.
"""

import logging
import smtplib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from app import audit
from app.extensions import db
from app.jobs.queue import defer, task
from app.models import Channel, MessageStatus, OutboxMessage, User, utcnow

log = logging.getLogger("brueckenbau.outbox")

SWEEP_BATCH = 500
LONGEST_WAIT = timedelta(hours=6)

SENDERS: dict[Channel, Callable[[OutboxMessage], None]] = {}
ON_DELIVERED: dict[str, Callable[[int], None]] = {}


class PermanentFailure(Exception):
    """The receiving side refused for good: another attempt cannot succeed."""


def sender(channel: Channel):
    """Register how messages of ``channel`` are sent (raise to have the attempt retried)."""

    def register(function):
        SENDERS[channel] = function
        return function

    return register


def on_delivered(topic: str):
    """Register ``function(topic_id)``, called in the delivering transaction when a message of ``topic`` is sent."""

    def register(function):
        ON_DELIVERED[topic] = function
        return function

    return register


def add(
    channel: Channel,
    address: str,
    body: str,
    subject: str = "",
    recipient: User | None = None,
    topic: str = "",
    topic_id: int | None = None,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Write a message into the current transaction; it is delivered once that commits,
    or from ``not_before`` on (the sweep hands it on then)."""
    message = OutboxMessage(
        uid=uuid.uuid4().hex,
        channel=channel,
        address=address,
        subject=subject,
        body=body,
        recipient=recipient,
        topic=topic,
        topic_id=topic_id,
        dedupe_key=dedupe_key,
        next_attempt_at=not_before or utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    if not_before is None:
        defer(deliver, message.id)
    return message


def existing_keys(keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))


def _due(now):
    return or_(
        and_(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim(message_id: int) -> OutboxMessage | None:
    """Take the message for one attempt, or None if it is not due or another worker has it.

    The WHERE clause is evaluated under the row's lock, so of two workers
    claiming at once exactly one changes the row.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(
            status=MessageStatus.SENDING,
            lease_until=now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"]),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, message_id, populate_existing=True) if claimed == 1 else None


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failed attempt: base, 2×base, 4×base … at most 6 hours."""
    base = current_app.config["OUTBOX_RETRY_SECONDS"]
    return min(timedelta(seconds=base * 2 ** (attempts - 1)), LONGEST_WAIT)


def describe(error: Exception) -> str:
    """The kind of error and the server's code; the server's text can quote the address, so it is left out."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return f"{type(error).__name__} {','.join(map(str, codes))}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    if isinstance(error, OSError) and error.strerror:
        return f"{type(error).__name__}: {error.strerror}"
    return type(error).__name__


def _permanent(error: Exception) -> bool:
    if isinstance(error, PermanentFailure):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@task(timeout=120)
def deliver(message_id: int) -> str:
    """One delivery attempt of a message; returns what happened ("sent", "retry", "failed", "skipped")."""
    message = claim(message_id)
    if message is None:
        return "skipped"
    try:
        SENDERS[message.channel](message)
    except Exception as error:  # every failure is recorded on the message and retried or shown to admins
        return _failed_attempt(message, error)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(status=MessageStatus.SENT, sent_at=utcnow(), lease_until=None, last_error="")
        .execution_options(synchronize_session=False)
    )
    if message.topic in ON_DELIVERED:
        ON_DELIVERED[message.topic](message.topic_id)
    db.session.commit()
    log.info("message %s sent (attempt %s)", message.id, message.attempts)
    return "sent"


def _failed_attempt(message: OutboxMessage, error: Exception) -> str:
    db.session.rollback()
    give_up = _permanent(error) or message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    values = {"lease_until": None, "last_error": describe(error)[:255]}
    if give_up:
        values["status"] = MessageStatus.FAILED
    else:
        values.update(status=MessageStatus.PENDING, next_attempt_at=utcnow() + retry_delay(message.attempts))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    log.warning(
        "message %s: attempt %s failed (%s); %s",
        message.id,
        message.attempts,
        values["last_error"],
        "given up" if give_up else "will retry",
    )
    return "failed" if give_up else "retry"


@task(timeout=120)
def sweep() -> int:
    """Hand on every message that is due again: its backoff is over, or its worker's lease ran out."""
    due = list(
        db.session.scalars(select(OutboxMessage.id).where(_due(utcnow())).order_by(OutboxMessage.id).limit(SWEEP_BATCH))
    )
    for message_id in due:
        defer(deliver, message_id)
    db.session.commit()
    return len(due)


def purge_sent(older_than_days: int) -> int:
    """Delete delivered messages after a while: their bodies hold names that are kept elsewhere anyway."""
    limit = utcnow() - timedelta(days=older_than_days)
    return db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENT, OutboxMessage.sent_at < limit)
    ).rowcount


def failed_messages(limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == MessageStatus.FAILED)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def counts() -> dict[str, int]:
    return {
        str(status): count
        for status, count in db.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)
        )
    }


def retry(message_id: int) -> bool:
    """An admin sends a failed message again, with a fresh set of attempts; False if it is not failed."""
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.FAILED)
        .values(status=MessageStatus.PENDING, attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        audit.record("outbox.retried", message=message_id)
        defer(deliver, message_id)
    db.session.commit()
    return changed == 1


def undelivered(topic: str, topic_id: int) -> int:
    """How many messages about ``topic`` ``topic_id`` are not delivered yet."""
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.topic == topic,
            OutboxMessage.topic_id == topic_id,
            OutboxMessage.status != MessageStatus.SENT,
        )
    )
