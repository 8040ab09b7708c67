"""Notifications reach a real SMTP server, in the recipient's language."""

import pytest
from mail_server import free_port, smtp_server, subject
from sqlalchemy import select

from app.models import Proposal


@pytest.fixture
def smtp():
    port = free_port()
    with smtp_server(port) as inbox:
        yield inbox, port


@pytest.fixture
def app_config(database_url, make_config, smtp):
    return make_config(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[1])


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
