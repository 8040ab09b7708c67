"""SMS through a real Kannel gateway: the app's client posts to sendsms, the fake SMSC shows what arrived."""

import pytest
from mail_server import free_port
from sqlalchemy import select

from app import sms
from app.jobs.queue import run_ready
from app.models import MessageStatus, OutboxMessage

pytestmark = pytest.mark.slow


@pytest.fixture
def app_config(database_url, make_config, kannel_settings):
    return make_config(database_url, **kannel_settings, OUTBOX_RETRY_SECONDS=0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hallo Amal, bitte melden Sie sich an.", sms.CODING_GSM7),
        ("Grüße aus Soest: 5 € für Bus & Bahn", sms.CODING_GSM7),
        ("تم اقتراح متطوع لك", sms.CODING_UCS2),
        ("Привіт", sms.CODING_UCS2),
        ("ሰላም", sms.CODING_UCS2),
        ("Ça va? œ", sms.CODING_UCS2),  # œ is not in the GSM alphabet
    ],
)
def test_texts_outside_the_gsm_alphabet_go_as_ucs2(text, expected):
    assert sms.coding(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Brückenbau: Ihr Code ist 123456. http://localhost/inbox/",
        "تم اقتراح متطوع لك. من فضلك انظر وقل نعم أو لا.",
        "ፈታዊ ተሓሲቡልኩም ኣሎ።",
        "Вам запропонували волонтера.",
        # Longer than one SMS (70 UCS-2 characters): sent in parts and joined again by the phone.
        "تم اقتراح متطوع لك. من فضلك انظر وقل نعم أو لا. http://localhost/sponsorships/12345",
    ],
)
def test_the_text_arrives_at_the_phone_in_its_script(app, kannel, text):
    before = len(kannel.received())
    sms.kannel("+4917612345678", text)
    arrived = kannel.wait_for(before + 1)[before:]
    assert [(message.to, message.text) for message in arrived] == [("+4917612345678", text)]
    assert arrived[0].sender == app.config["SMS_SENDER"]


def test_an_sms_from_the_outbox_is_delivered_and_marked_sent(app, db, kannel, make_refugee):
    refugee = make_refugee(phone="+4917699999999", language="ar")
    before = len(kannel.received())
    sms.queue_sms(refugee, "مرحبا")
    db.session.commit()
    run_ready()
    [arrived] = kannel.wait_for(before + 1)[before:]
    assert (arrived.to, arrived.text) == ("+4917699999999", "مرحبا")
    db.session.expire_all()
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


def test_wrong_credentials_fail_for_good_and_show_to_admins(app, db, make_refugee):
    app.config["SMS_PASSWORD"] = "wrong"
    refugee = make_refugee(phone="+4917699999998")
    message = sms.queue_sms(refugee, "Hallo")
    db.session.commit()
    run_ready()
    db.session.refresh(message)
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "SmsGatewayRefused")
    with pytest.raises(sms.SmsGatewayRefused):
        sms.kannel("+4917699999998", "Hallo")


def test_a_gateway_that_is_down_is_tried_again(app, db, make_refugee):
    app.config["SMS_GATEWAY_URL"] = f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms"
    refugee = make_refugee(phone="+4917699999997")
    message = sms.queue_sms(refugee, "Hallo")
    db.session.commit()
    run_ready()
    db.session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.PENDING,
        1,
        "SmsGatewayUnavailable",
    )
    with pytest.raises(sms.SmsGatewayUnavailable):
        sms.kannel("+4917699999997", "Hallo")


def test_without_a_gateway_url_the_message_fails_and_says_why(app, db, make_refugee):
    app.config["SMS_GATEWAY_URL"] = None
    message = sms.queue_sms(make_refugee(phone="+4917699999996"), "Hallo")
    db.session.commit()
    run_ready()
    db.session.refresh(message)
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "SmsGatewayNotConfigured")
