"""A new password by a code sent as SMS: same answer for every number, keyed digest, expires, used once, throttled."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.jobs.queue import run_ready
from app.models import SmsResetCode, utcnow

NEW_PASSWORD = "ein ganz neues passwort"


def ask(client, phone: str):
    response = client.post("/auth/reset/sms", data={"phone": phone}, follow_redirects=True)
    run_ready()
    return response


def code_from(sms_outbox) -> str:
    return re.search(r"\d{6}", sms_outbox[-1][1]).group(0)


def set_password(client, phone: str, code: str):
    data = {"phone": phone, "code": code, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    return client.post("/auth/reset/code", data=data)


def test_a_phone_only_person_sets_a_new_password_with_the_code(app, db, client, refugee, sms_outbox):
    ask(client, "0176 1234567")
    [(number, text)] = sms_outbox
    assert number == "+491761234567"
    assert text.startswith("Brückenbau") and re.search(r"[\u0600-\u06ff]", text)  # in her language (Arabic)
    code = code_from(sms_outbox)
    [stored] = db.session.scalars(select(SmsResetCode)).all()
    assert code not in stored.digest and len(stored.digest) == 64

    response = set_password(client, "+49 176 1234567", code)
    assert response.status_code == 302 and response.location == "/auth/login"
    db.session.refresh(refugee)
    assert refugee.check_password(NEW_PASSWORD)
    # Used once: the same code does not work again.
    again = set_password(client, "+491761234567", code)
    assert again.status_code == 200 and 'class="error"' in again.get_data(as_text=True)


def test_registered_and_unknown_numbers_get_the_same_answer(app, client, refugee, sms_outbox):
    known, unknown = ask(app.test_client(), "0176 1234567"), ask(app.test_client(), "0176 7654321")
    assert known.status_code == unknown.status_code == 200
    page = lambda response: re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))  # noqa: E731
    assert page(known) == page(unknown)
    assert len(sms_outbox) == 1


def test_an_expired_code_does_not_work(app, db, client, refugee, sms_outbox):
    ask(client, "0176 1234567")
    code = code_from(sms_outbox)
    for row in db.session.scalars(select(SmsResetCode)):
        row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert set_password(client, "0176 1234567", code).status_code == 200
    db.session.refresh(refugee)
    assert not refugee.check_password(NEW_PASSWORD)


def test_a_new_code_replaces_the_old_one(app, db, client, refugee, sms_outbox):
    ask(client, "0176 1234567")
    first = code_from(sms_outbox)
    ask(client, "0176 1234567")
    second = code_from(sms_outbox)
    assert len(db.session.scalars(select(SmsResetCode)).all()) == 1
    if first != second:
        assert set_password(client, "0176 1234567", first).status_code == 200
    assert set_password(client, "0176 1234567", second).status_code == 302


@pytest.mark.parametrize("phone", ["", "abc", "12", "+49 176 " + "1" * 40])
def test_bad_numbers_are_refused_with_a_message(app, client, phone, sms_outbox):
    response = client.post("/auth/reset/sms", data={"phone": phone})
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    assert sms_outbox == []


def test_guessing_codes_is_slowed_down(app, client, refugee, sms_outbox):
    ask(client, "0176 1234567")
    code = code_from(sms_outbox)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    answers = [set_password(client, "0176 1234567", wrong).get_data(as_text=True) for _ in range(6)]
    assert "Too many attempts" in answers[-1] or "Zu viele Versuche" in answers[-1]
    # While the number waits, not even the right code is tried.
    assert set_password(client, "0176 1234567", code).status_code == 200


def test_sms_to_one_number_are_limited(app, client, refugee, sms_outbox):
    for _ in range(5):
        ask(client, "0176 1234567")
    assert len(sms_outbox) == app.config["MAILS_PER_ADDRESS_PER_HOUR"]
