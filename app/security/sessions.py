"""Sessions that can be revoked, and a CSRF token that does not survive a login.

A user's ``session_version`` is part of the id Flask-Login keeps in the
session and in the remember-me cookie (``User.get_id`` gives ``"<id>:<version>"``);
the user loader accepts only the current version. Logging out everywhere,
a new password, deactivation and a role change raise the version
(``User._revoke_sessions``), so every copy of an older cookie stops working.
"""

from flask import Flask, current_app, g, session
from flask_login import user_logged_in

from app.security.converters import MAX_ID


def parse_session_id(value: str) -> tuple[int, int] | None:
    """``"<id>:<version>"`` as numbers; a bare id (a session from before versions) is version 0."""
    user_id, _, version = value.partition(":")
    version = version or "0"
    if not (_is_number(user_id) and _is_number(version)) or not 0 < int(user_id) <= MAX_ID:
        return None
    return int(user_id), int(version)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def renew_csrf_token(sender, user, **extra) -> None:
    """A token handed out before the login (perhaps planted by someone else) is not accepted after it."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)


def register(app: Flask) -> None:
    user_logged_in.connect(renew_csrf_token, app)
