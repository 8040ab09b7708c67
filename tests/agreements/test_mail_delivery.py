"""Notifications reach a real SMTP server, in the recipient's language."""

import email
import email.header
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.models import Proposal


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def app_config(database_url, make_config, smtp):
    return make_config(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[1])


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_a_proposal_mails_the_volunteer_in_their_language(coordinator_client, pair, smtp, db):
    volunteer, _ = pair
    volunteer.preferred_language = "en"
    db.session.commit()
    coordinator_client.post("/matching/run")
    proposal = db.session.scalar(select(Proposal))

    coordinator_client.post(f"/matching/proposals/{proposal.id}/accept")

    inbox, _ = smtp
    assert [m["To"] for m in inbox.messages] == ["vera@example.org"]
    assert subject(inbox.messages[0]) == "Brückenbau: a sponsorship is proposed to you"
    body = inbox.messages[0].get_payload(decode=True).decode()
    assert "Hello Vera Volunteer," in body and "/sponsorships/" in body
