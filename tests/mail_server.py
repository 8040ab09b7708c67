"""A real SMTP server on a local port (aiosmtpd), for the tests of mail delivery."""

import email
import email.header
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Inbox:
    """Keeps every message the server accepted."""

    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(port: int, handler=None):
    """Serve ``handler`` (default: a new Inbox) on ``port`` until the block ends; yields the handler."""
    handler = handler or Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))
