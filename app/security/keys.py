"""The secret key: never the public development key on a served site, and keyed digests made with it."""

import hashlib
import hmac
import logging

from flask import Flask, current_app

from config import DEVELOPMENT_SECRET_KEY

logger = logging.getLogger(__name__)


def key_is_public(key: str | None) -> bool:
    return not key or key == DEVELOPMENT_SECRET_KEY


def keyed_digest(value: str) -> str:
    """An HMAC of ``value`` with the secret key: looks values up without storing them readably."""
    return hmac.new(current_app.config["SECRET_KEY"].encode(), value.encode(), hashlib.sha256).hexdigest()


def register(app: Flask) -> None:
    def refuse_public_key():
        # Whoever knows the key can forge sessions, remember-me cookies and reset links; only a
        # developer's own debug server may use the public one, whatever the configuration says.
        if not app.debug and key_is_public(app.config.get("SECRET_KEY")):
            from app.errors import render_error

            logger.critical("refusing to serve: SECRET_KEY is the public development key and debug mode is off")
            return render_error(503)
        return None

    # First of all request hooks: nothing else runs for such a request.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_public_key)
