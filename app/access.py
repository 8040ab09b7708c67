"""Role checks for views: who may open a page at all (object-level rules live with their services)."""

from functools import wraps

from flask import abort
from flask_login import current_user

from app import policies
from app.extensions import login_manager
from app.models import Role


def role_required(*roles: Role):
    """Let only signed-in users with one of ``roles`` through; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def policy_required(action: str):
    """Let only signed-in users through whom ``app.policies`` allows ``action``; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not policies.can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


coordinator_required = role_required(Role.COORDINATOR, Role.ADMIN)
admin_required = role_required(Role.ADMIN)
volunteer_required = role_required(Role.VOLUNTEER)
