"""Sending e-mail in the recipient's language.

The backend is Flask-Mailman's: ``console`` in development prints the mail,
``locmem`` in tests collects it, ``smtp`` in production sends it.
"""

from contextlib import nullcontext

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage

from app.models import User
from app.security.links import public_url_for


def send_email(recipient: User, subject: str, template: str, to: str | None = None, **context) -> None:
    """Render ``template`` (plain text) and the lazy ``subject`` in the recipient's language and send it
    to ``to``, by default the recipient's address.

    Every link in a mail points to ``PUBLIC_URL``, never to the Host a request named:
    the templates' ``url_for`` is ``public_url_for``.
    """
    locale = recipient.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]
    outside_request = current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])
    with nullcontext() if has_request_context() else outside_request, force_locale(locale):
        body = render_template(template, user=recipient, url_for=public_url_for, **context)
        message = EmailMessage(subject=str(subject), body=body, to=[to or recipient.email])
    message.send()
