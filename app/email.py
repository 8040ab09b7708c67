"""E-mail in the recipient's language, through the outbox.

``queue_email`` renders the mail and writes it into the current transaction;
the outbox delivers it with Flask-Mailman's backend once that commits
(``console`` in development prints it, ``locmem`` in tests collects it,
``smtp`` in production sends it).
"""

from contextlib import nullcontext
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage

from app.models import Channel, OutboxMessage, User
from app.outbox import services as outbox
from app.security.links import public_url_for


def queue_email(
    recipient: User,
    subject,
    template: str,
    to: str | None = None,
    topic: str = "",
    topic_id: int | None = None,
    dedupe_key: str | None = None,
    **context,
) -> OutboxMessage:
    """Render ``template`` (plain text) and the lazy ``subject`` in the recipient's language, for the outbox,
    addressed to ``to``, by default the recipient's address.

    Every link in a mail points to ``PUBLIC_URL``, never to the Host a request named:
    the templates' ``url_for`` is ``public_url_for``.
    """
    locale = recipient.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]
    # Mails written outside a request (daily reminders, jobs) link to the public address of the site.
    outside_request = current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])
    with nullcontext() if has_request_context() else outside_request, force_locale(locale):
        body = render_template(template, user=recipient, url_for=public_url_for, **context)
        subject = str(subject)
    return outbox.add(
        Channel.EMAIL,
        to or recipient.email,
        body,
        subject=subject,
        recipient=recipient,
        topic=topic,
        topic_id=topic_id,
        dedupe_key=dedupe_key,
    )


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt, so that a repeated delivery can be recognised."""
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return f"<{message.uid}@{host}>"


@outbox.sender(Channel.EMAIL)
def send(message: OutboxMessage) -> None:
    EmailMessage(
        subject=message.subject, body=message.body, to=[message.address], headers={"Message-ID": message_id(message)}
    ).send()
