"""Where to send people after login and after a redirect."""

from urllib.parse import urlsplit

from flask import url_for

from app.models import Role, User


def home_url(user: User) -> str:
    """The page a user starts on: coordination for staff, the audit log for the data-protection officer,
    the own profile for everyone else."""
    if user.is_coordinator:
        return url_for("coordination.dashboard")
    if user.role == Role.REFUGEE:
        return url_for("intake.profile")
    if user.role == Role.DPO:
        return url_for("audit_log.index")
    return url_for("volunteers.profile")


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it stays on this site (a relative path), else None: no open redirects."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
