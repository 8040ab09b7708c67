"""Recording audit events; the calling service commits them with its own change."""

from typing import Any

from flask_login import current_user
from sqlalchemy import inspect

from app.extensions import db
from app.models import AuditEvent, User


def record(action: str, subject: object | None = None, actor: User | None = None, **detail: Any) -> AuditEvent:
    """Add an audit event for ``action`` on ``subject`` by ``actor`` (default: the signed-in user)."""
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user._get_current_object()
    event = AuditEvent(
        actor=actor,
        action=action,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=_primary_key(subject) if subject is not None else None,
        detail=detail or None,
    )
    db.session.add(event)
    return event


def _primary_key(subject: object) -> str:
    mapper = inspect(subject).mapper
    values = mapper.primary_key_from_instance(subject)
    if any(value is None for value in values):
        db.session.flush()  # a new row gets its generated key
        values = mapper.primary_key_from_instance(subject)
    return ":".join(str(value) for value in values)
