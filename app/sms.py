"""SMS in the recipient's language, through the outbox, like ``app.email`` for mail.

``queue_sms`` writes the text into the current transaction; the outbox
delivers it once that commits, through the backend ``SMS_BACKEND`` names,
as ``MAIL_BACKEND`` does for mail: ``kannel`` (production) posts it to an
SMS gateway's HTTP interface, Kannel's ``sendsms`` (POST, UTF-8; which operators and
providers accept), ``console`` (development without a gateway) prints it to
the terminal as the mail console backend does, ``locmem`` (tests) collects
it on the app. Nothing here logs a number or a text.
"""

import sys
from datetime import datetime
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from flask import current_app
from flask_babel import force_locale

from app.models import Channel, OutboxMessage, User
from app.outbox import services as outbox

# GSM 03.38: the basic alphabet and its extension table; any other character needs UCS-2.
GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f"
)
# Kannel's ``coding``: 0 the GSM 7-bit alphabet, 2 UCS-2 (Arabic, Cyrillic, Ge'ez, …).
CODING_GSM7, CODING_UCS2 = 0, 2


class SmsGatewayNotConfigured(outbox.PermanentFailure):
    """SMS_BACKEND is kannel but SMS_GATEWAY_URL is not set."""


class SmsGatewayRefused(outbox.PermanentFailure):
    """The gateway refused the message (4xx: wrong credentials, a number it does not take)."""


class SmsGatewayUnavailable(Exception):
    """The gateway could not take the message now (5xx, no connection): the outbox tries again."""


def coding(text: str) -> int:
    return CODING_GSM7 if set(text) <= GSM7 else CODING_UCS2


def queue_sms(
    recipient: User, text, to: str | None = None, not_before: datetime | None = None, **outbox_fields
) -> OutboxMessage:
    """Write the lazy ``text`` in the recipient's language to ``to`` (by default their phone) into the outbox."""
    with force_locale(recipient.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = str(text)
    return outbox.add(
        Channel.SMS, to or recipient.phone, body, recipient=recipient, not_before=not_before, **outbox_fields
    )


def kannel(to: str, text: str) -> None:
    """Post the SMS to Kannel's ``sendsms``; raises SmsGatewayRefused or SmsGatewayUnavailable."""
    config = current_app.config
    if not config["SMS_GATEWAY_URL"]:
        raise SmsGatewayNotConfigured()
    # Kannel's POST form: the text is the body, the rest in X-Kannel headers, so that neither the
    # number nor the text nor the password lands in a web server's access log.
    request = Request(
        config["SMS_GATEWAY_URL"],
        data=text.encode(),
        headers={
            "Content-Type": "text/plain; charset=UTF-8",
            "X-Kannel-Username": config["SMS_USERNAME"] or "",
            "X-Kannel-Password": config["SMS_PASSWORD"] or "",
            "X-Kannel-From": config["SMS_SENDER"],
            "X-Kannel-To": to,
            "X-Kannel-Coding": str(coding(text)),
        },
    )
    try:
        with urlopen(request, timeout=config["SMS_TIMEOUT"]) as response:
            response.read()
    except HTTPError as error:
        if 400 <= error.code < 500:
            raise SmsGatewayRefused(error.code) from None
        raise SmsGatewayUnavailable(error.code) from None
    except (URLError, TimeoutError) as error:
        raise SmsGatewayUnavailable() from error


def console(to: str, text: str) -> None:
    sys.stdout.write(f"SMS to {to}:\n{text}\n{'-' * 40}\n")
    sys.stdout.flush()


def locmem(to: str, text: str) -> None:
    current_app.extensions.setdefault("sms_outbox", []).append((to, text))


BACKENDS = {"kannel": kannel, "console": console, "locmem": locmem}


@outbox.sender(Channel.SMS)
def send(message: OutboxMessage) -> None:
    BACKENDS[current_app.config["SMS_BACKEND"]](message.address, message.body)
