"""Sending e-mail in the recipient's language.

The backend is Flask-Mailman's: ``console`` in development prints the mail,
``locmem`` in tests collects it, ``smtp`` in production sends it.
"""

from contextlib import nullcontext

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage

from app.models import User


def send_email(recipient: User, subject: str, template: str, **context) -> None:
    """Render ``template`` (plain text) and the lazy ``subject`` in the recipient's language and send it."""
    locale = recipient.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]
    # Mails sent from the command line (daily reminders) link to the public address of the site.
    outside_request = current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])
    with nullcontext() if has_request_context() else outside_request, force_locale(locale):
        body = render_template(template, user=recipient, **context)
        message = EmailMessage(subject=str(subject), body=body, to=[recipient.email])
    message.send()
