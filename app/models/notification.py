"""The in-app inbox, each person's choice of channels and quiet hours, and SMS codes for a new password."""

from datetime import datetime, time

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class Notification(db.Model):
    """Something that waits for a person. Only its kind and parameters (ids, dates) are stored:
    the text is written in the reader's language when it is shown."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_id_read_at", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Keeps a task that runs twice (the daily reminders) from writing the same entry twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """How a person wants to hear of news; without a row, e-mail where there is an address, else SMS."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    by_email: Mapped[bool] = mapped_column(default=True)
    by_sms: Mapped[bool] = mapped_column(default=True)
    # Local time in Europe/Berlin; no SMS from ``quiet_from`` to ``quiet_until`` (they wait for its end).
    quiet_from: Mapped[time | None]
    quiet_until: Mapped[time | None]


class SmsResetCode(db.Model):
    """A code sent by SMS to set a new password: stored as a keyed digest, short-lived, used once."""

    __tablename__ = "sms_reset_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
