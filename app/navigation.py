"""Where to send people after login and after a redirect, and the menu: both follow the policies."""

from urllib.parse import urlsplit

from flask import url_for
from flask_babel import lazy_gettext as _l

from app import policies
from app.models import Role, User


def _coordinates(user: User) -> bool:
    return policies.can(user, "coordinate")


# (endpoint, label, who sees it); the same policies decide as on the pages themselves.
MENU = (
    ("coordination.dashboard", _l("Overview"), _coordinates),
    ("refugees.index", _l("Refugees"), _coordinates),
    ("volunteers.index", _l("Volunteers"), _coordinates),
    ("matches.index", _l("Matching"), _coordinates),
    ("agreements.index", _l("Sponsorships"), _coordinates),
    ("appointments.index", _l("Appointments"), _coordinates),
    ("appointments.mine", _l("My appointments"), lambda user: policies.can(user, "own_appointments")),
    ("agreements.mine", _l("My sponsorships"), lambda user: user.role in (Role.VOLUNTEER, Role.REFUGEE)),
    ("groups.index", _l("Working groups"), lambda user: user.role == Role.VOLUNTEER or _coordinates(user)),
    ("staff.index", _l("Staff"), lambda user: policies.can(user, "manage_staff")),
    ("admin.index", _l("Administration"), lambda user: policies.can(user, "administer")),
    ("privacy.requests", _l("Requests for erasure"), lambda user: policies.can(user, "see_erasure_requests")),
    ("audit_log.index", _l("Audit log"), lambda user: policies.can(user, "read_audit")),
    ("legal.records", _l("Records of processing"), lambda user: policies.can(user, "read_records_of_processing")),
    ("two_factor.setup", _l("Two-factor authentication"), lambda user: policies.can(user, "use_second_factor")),
    ("volunteers.profile", _l("My profile"), lambda user: user.role == Role.VOLUNTEER),
    ("intake.profile", _l("My data"), lambda user: user.role == Role.REFUGEE),
    ("privacy.mine", _l("Privacy and my data"), lambda user: policies.can(user, "read_own_data")),
)


def menu(user: User) -> list[tuple[str, str]]:
    """(url, label) of the pages ``user`` may open from the menu."""
    if not user.is_authenticated:
        return []
    return [(url_for(endpoint), str(label)) for endpoint, label, allowed in MENU if allowed(user)]


def home_url(user: User) -> str:
    """The page a user starts on: coordination for staff, the audit log for the data-protection officer,
    the own profile for everyone else."""
    if user.erasure_requested_at is not None:
        # Someone who asked for erasure and logs in again first sees the request, and can withdraw it.
        return url_for("privacy.mine")
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
