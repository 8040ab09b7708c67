"""Recording audit events; the calling service commits them with its own change."""

from typing import Any

from flask_login import current_user
from sqlalchemy import inspect

from app.extensions import db
from app.models import AuditEvent, User

# Every action the app records, for the audit viewer's filter (tests/audit_log/test_audit_viewer.py keeps it complete).
ACTIONS = (
    "agreement.alternative_chosen",
    "agreement.approved",
    "agreement.cancelled",
    "agreement.check_in",
    "agreement.drafted",
    "agreement.ended",
    "agreement.party_agreed",
    "agreement.party_declined",
    "agreement.renewal_drafted",
    "agreement.terms_changed",
    "appointment.accepted",
    "appointment.approved",
    "appointment.assigned",
    "appointment.cancelled",
    "appointment.declined",
    "appointment.moved",
    "appointment.offered",
    "appointment.payout_exported",
    "appointment.rates_changed",
    "appointment.reported",
    "appointment.requested",
    "appointment.reviewed",
    "area.saved",
    "audit.exported",
    "consent.changed",
    "group.exported",
    "group.join_requested",
    "group.lead_changed",
    "group.member_accepted",
    "group.member_removed",
    "group.members_added",
    "group.saved",
    "help_category.saved",
    "locality.saved",
    "matching.run",
    "organisation.saved",
    "outbox.retried",
    "privacy.account_kept",
    "privacy.data_exported",
    "privacy.erased",
    "privacy.erasure_requested",
    "privacy.erasure_withdrawn",
    "proposal.rejected",
    "proposal.swapped",
    "refugee.access_code_issued",
    "refugee.handed_over",
    "refugee.merged",
    "refugee.registered",
    "refugee.registered_on_behalf",
    "refugee.viewed",
    "staff.access_changed",
    "staff.deactivated",
    "staff.invitation_accepted",
    "staff.invited",
    "staff.role_attached",
    "user.admin_created",
    "user.dpo_created",
    "user.email_confirmed",
    "user.login",
    "user.password_reset",
    "user.recovery_code_used",
    "user.registered",
    "user.reset_code_sent",
    "user.second_factor_disabled",
    "user.second_factor_enabled",
    "user.second_factor_reset",
    "user.sessions_revoked",
    "volunteer.clearance_checked",
    "volunteer.paused",
    "volunteer.resumed",
    "volunteer.viewed",
    "volunteer.withdrawn",
)


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
