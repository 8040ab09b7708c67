"""Special-category notes are stored encrypted, rotate to a new key and fail clearly without one."""

from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from app import create_app
from app.crypto import EncryptionKeyError, multi_fernet
from app.extensions import db
from app.models import CheckIn, RefugeeProfile
from config import DEVELOPMENT_ENCRYPTION_KEY, ProductionConfig

NOTE = "Traumatisiert nach der Flucht, Diabetes; Termin bei der Ausländerbehörde am 3. März"
ARABIC_NOTE = "صدمة بعد الهروب، مرض السكري"


def add_check_in(agreement, author, note: str) -> None:
    db.session.add(CheckIn(agreement=agreement, author=author, happened_on=date.today(), note=note))
    db.session.commit()


def raw(sql: str, **params) -> list[str]:
    """What the database really holds, read past the models."""
    return list(db.session.execute(text(sql), params).scalars())


def everything_stored(table: str) -> str:
    """Every column of every row of ``table`` as one text, to search for plaintext."""
    rows = db.session.execute(text(f"SELECT * FROM {table}")).all()
    return " ".join(str(value) for row in rows for value in row)


def test_notes_are_stored_without_plaintext_and_read_back(make_refugee, draft, pair, db):
    refugee = make_refugee(name="Noor Karimi", protection_notes=NOTE)
    volunteer, _ = pair
    add_check_in(draft, volunteer, ARABIC_NOTE)
    db.session.expire_all()

    for table in ("refugee_profiles", "check_ins"):
        stored = everything_stored(table)
        for fragment in ("Traumatisiert", "Diabetes", "Ausländerbehörde", "السكري"):
            assert fragment not in stored
    [token] = raw("SELECT protection_notes FROM refugee_profiles WHERE id = :id", id=refugee.refugee_profile.id)
    assert token.startswith("gAAAAA")  # a Fernet token: version byte 0x80, then the timestamp
    assert refugee.refugee_profile.protection_notes == NOTE
    assert draft.check_ins[0].note == ARABIC_NOTE


def test_the_same_note_encrypts_differently_each_time(make_refugee, db):
    first = make_refugee(protection_notes=NOTE).refugee_profile
    second = make_refugee(protection_notes=NOTE).refugee_profile
    tokens = raw("SELECT protection_notes FROM refugee_profiles WHERE id IN (:a, :b)", a=first.id, b=second.id)
    assert len(set(tokens)) == 2  # a fresh IV each time: equal notes cannot be recognised


def test_empty_notes_stay_empty(make_refugee, db):
    profile = make_refugee(protection_notes="").refugee_profile
    assert raw("SELECT protection_notes FROM refugee_profiles WHERE id = :id", id=profile.id) == [""]
    assert db.session.scalar(db.select(RefugeeProfile.id).where(RefugeeProfile.protection_notes == "")) is not None


def test_rotation_re_encrypts_every_note_with_the_first_key(app, make_refugee, draft, pair, runner, db):
    profile = make_refugee(protection_notes=NOTE).refugee_profile
    volunteer, _ = pair
    add_check_in(draft, volunteer, ARABIC_NOTE)
    new_key = Fernet.generate_key().decode()
    app.config["DATA_ENCRYPTION_KEYS"] = f"{new_key},{DEVELOPMENT_ENCRYPTION_KEY}"
    try:
        result = runner.invoke(args=["privacy", "rotate-key"])
        assert result.exit_code == 0, result.output
        assert "refugee_profiles.protection_notes: 1 re-encrypted" in result.output
        assert "check_ins.note: 1 re-encrypted" in result.output

        [token] = raw("SELECT protection_notes FROM refugee_profiles WHERE id = :id", id=profile.id)
        assert Fernet(new_key).decrypt(token.encode()).decode() == NOTE
        [check_in_token] = raw("SELECT note FROM check_ins WHERE agreement_id = :id", id=draft.id)
        assert Fernet(new_key).decrypt(check_in_token.encode()).decode() == ARABIC_NOTE

        # The old key can go: the new one alone reads everything.
        app.config["DATA_ENCRYPTION_KEYS"] = new_key
        db.session.expire_all()
        assert db.session.get(RefugeeProfile, profile.id).protection_notes == NOTE
        assert draft.check_ins[0].note == ARABIC_NOTE
    finally:
        app.config["DATA_ENCRYPTION_KEYS"] = DEVELOPMENT_ENCRYPTION_KEY


def test_rotation_without_the_old_key_changes_nothing(app, make_refugee, runner, db):
    profile = make_refugee(protection_notes=NOTE).refugee_profile
    [before] = raw("SELECT protection_notes FROM refugee_profiles WHERE id = :id", id=profile.id)
    app.config["DATA_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    try:
        result = runner.invoke(args=["privacy", "rotate-key"])
    finally:
        app.config["DATA_ENCRYPTION_KEYS"] = DEVELOPMENT_ENCRYPTION_KEY
    assert result.exit_code == 1
    assert "cannot be decrypted with any key" in result.output
    assert raw("SELECT protection_notes FROM refugee_profiles WHERE id = :id", id=profile.id) == [before]


def test_reading_with_a_wrong_key_is_a_clear_error(app, make_refugee, db):
    profile_id = make_refugee(protection_notes=NOTE).refugee_profile.id
    db.session.expire_all()
    app.config["DATA_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    try:
        with pytest.raises(EncryptionKeyError, match="key that encrypted it is missing"):
            db.session.get(RefugeeProfile, profile_id).protection_notes  # noqa: B018 (loading decrypts)
    finally:
        app.config["DATA_ENCRYPTION_KEYS"] = DEVELOPMENT_ENCRYPTION_KEY
        db.session.rollback()


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "DATA_ENCRYPTION_KEYS is not set"),
        (" , ", "DATA_ENCRYPTION_KEYS is not set"),
        ("not-a-key", "key 1 is not a Fernet key"),
        (f"{DEVELOPMENT_ENCRYPTION_KEY},c2hvcnQ=", "key 2 is not a Fernet key"),
    ],
)
def test_missing_or_malformed_keys_are_named(keys, message):
    with pytest.raises(EncryptionKeyError, match=message):
        multi_fernet(keys)


def test_a_malformed_key_is_never_echoed():
    with pytest.raises(EncryptionKeyError) as raised:
        multi_fernet("almost-a-secret-key")
    assert "almost-a-secret-key" not in str(raised.value)


def production_environment(monkeypatch, **overrides):
    values = {
        "SECRET_KEY": "a" * 64,
        "DATABASE_URL": "postgresql://db/brueckenbau",
        "PUBLIC_URL": "https://brueckenbau.example.org",
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    } | overrides
    for name, value in values.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (None, "DATA_ENCRYPTION_KEYS"),
        ("", "DATA_ENCRYPTION_KEYS"),
        (DEVELOPMENT_ENCRYPTION_KEY, "public development key"),
        ("not-a-key", "key 1 is not a Fernet key"),
    ],
)
def test_production_refuses_to_start_without_a_real_key(monkeypatch, keys, message):
    production_environment(monkeypatch, DATA_ENCRYPTION_KEYS=keys)
    with pytest.raises(RuntimeError, match=message):
        create_app(ProductionConfig)
