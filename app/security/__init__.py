"""Protections that hold for every request, whatever the feature package.

``register_security`` installs them from ``create_app``; it must run before the
blueprints are registered, because the bounded ``int`` URL converter has to be
in the URL map when the routes are added. SECURITY.md describes the model.
"""

from flask import Flask


def register_security(app: Flask) -> None:
    from app.security import converters, headers, inputs, keys, sessions

    converters.register(app)
    keys.register(app)
    inputs.register(app)
    headers.register(app)
    sessions.register(app)
