"""Growing pauses after repeated attempts under one key: a login name, or an address mails go to.

An attempt is counted *before* it is made, by a compare-and-set on the
counter, so that parallel requests (from many addresses at once) cannot all
slip through while the first is still checking its password: of two requests
that read the same count, one is refused. After ``free`` attempts in the
window, every attempt makes the key wait, each time twice as long, up to
``max_delay``. A successful login clears its key.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import ngettext
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Throttle, utcnow
from app.security.keys import keyed_digest

# Rows older than this are no longer needed by any policy's window.
FORGET_AFTER = timedelta(days=2)
# Doubling beyond this could not be waited out anyway (and would overflow a timedelta).
MAX_DOUBLINGS = 30


@dataclass(frozen=True)
class Policy:
    free: int
    first_delay: timedelta
    max_delay: timedelta
    window: timedelta

    def delay(self, count: int) -> timedelta | None:
        """How long the key waits after its ``count``-th attempt in the window."""
        if count < self.free:
            return None
        return min(self.first_delay * 2 ** min(count - self.free, MAX_DOUBLINGS), self.max_delay)


class Throttled(Exception):
    """The key must wait ``seconds`` before the next attempt."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))

    @property
    def message(self) -> str:
        return ngettext(
            "Too many attempts for this login. Please wait %(num)d minute and try again.",
            "Too many attempts for this login. Please wait %(num)d minutes and try again.",
            self.minutes,
        )


def login_policy() -> Policy:
    config = current_app.config
    return Policy(
        free=config["LOGIN_FREE_ATTEMPTS"],
        first_delay=timedelta(seconds=config["LOGIN_FIRST_DELAY_SECONDS"]),
        max_delay=timedelta(seconds=config["LOGIN_MAX_DELAY_SECONDS"]),
        window=timedelta(days=1),
    )


def mail_policy() -> Policy:
    return Policy(
        free=current_app.config["MAILS_PER_ADDRESS_PER_HOUR"],
        first_delay=timedelta(minutes=15),
        max_delay=timedelta(days=1),
        window=timedelta(hours=1),
    )


def _key(kind: str, value: str) -> str:
    return keyed_digest(f"{kind}:{value}")


def take(kind: str, value: str, policy: Policy) -> None:
    """Count one attempt under ``kind``/``value``; raises Throttled (and counts nothing) while it must wait."""
    key, now = _key(kind, value), utcnow()
    row = db.session.execute(
        select(Throttle.count, Throttle.window_started_at, Throttle.blocked_until).where(Throttle.key == key)
    ).first()
    if row is not None and row.blocked_until is not None and row.blocked_until > now:
        raise Throttled(math.ceil((row.blocked_until - now).total_seconds()))
    fresh = row is None or row.window_started_at < now - policy.window
    count = 1 if fresh else row.count + 1
    delay = policy.delay(count)
    values = {"count": count, "blocked_until": now + delay if delay else None}
    if fresh:
        values["window_started_at"] = now
    try:
        if row is None:
            db.session.execute(delete(Throttle).where(Throttle.window_started_at < now - FORGET_AFTER))
            with db.session.begin_nested():
                db.session.execute(insert(Throttle).values(key=key, **values))
        else:
            counted = update(Throttle).where(Throttle.key == key, Throttle.count == row.count).values(**values)
            if db.session.execute(counted).rowcount != 1:
                raise Throttled(1)  # another attempt under this key got there first
    except IntegrityError as error:
        db.session.rollback()
        raise Throttled(1) from error
    db.session.commit()


def clear(kind: str, value: str) -> None:
    db.session.execute(delete(Throttle).where(Throttle.key == _key(kind, value)))
    db.session.commit()
