"""Counted attempts under a key, for login names and mail addresses."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime


class Throttle(db.Model):
    """How often something happened under one key since ``window_started_at``, and until when it must wait.

    The key is a keyed digest (``app.security.keys.keyed_digest``) of a kind and a value, so the
    table holds no login names, phone numbers or addresses.
    """

    __tablename__ = "throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
