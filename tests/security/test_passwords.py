"""Password hashes: Argon2id at OWASP's parameters, older hashes replaced at the next log-in."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.security import generate_password_hash

from app.models import Role
from app.passwords import hash_password, needs_new_hash, password_matches

WERKZEUG_SCRYPT = "scrypt:32768:8:1"  # Werkzeug's default, which hashed every password before


def test_a_new_hash_is_argon2id_with_owasps_parameters():
    stored = hash_password("correct horse battery")

    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert password_matches(stored, "correct horse battery")
    assert not password_matches(stored, "correct horse batterY")
    assert not needs_new_hash(stored)
    assert hash_password("correct horse battery") != stored  # salted


@settings(max_examples=10)  # 30 ms a hash, by design
@given(password=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=200))
def test_any_password_matches_its_hash_and_nothing_else(password):
    stored = hash_password(password)

    assert password_matches(stored, password)
    assert not password_matches(stored, password + "x")
    assert not password_matches(stored, password[:-1])


@pytest.mark.parametrize("method", [WERKZEUG_SCRYPT, "pbkdf2:sha256:1000"])
def test_hashes_from_before_still_verify_and_are_due_for_a_new_one(method):
    stored = generate_password_hash("correct horse battery", method=method)

    assert password_matches(stored, "correct horse battery")
    assert not password_matches(stored, "wrong horse battery")
    assert needs_new_hash(stored)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "x",
        "no$such$method",
        "pbkdf2:md42:1$salt$00",
        "scrypt:3:8:1$salt$00",  # n must be a power of two
        "$argon2id$v=19$m=19456,t=2,p=1$broken",
        "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",  # readable, other parameters
    ],
)
def test_a_damaged_or_foreign_hash_matches_nothing(stored):
    assert not password_matches(stored, "correct horse battery")
    assert needs_new_hash(stored)


def test_a_log_in_replaces_an_old_hash_and_keeps_the_accounts_sessions(client, db, make_user, password):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    user.password_hash = generate_password_hash(password, method=WERKZEUG_SCRYPT)
    db.session.commit()
    version = user.session_version

    response = client.post("/auth/login", data={"identifier": "cora@example.org", "password": password})

    assert response.status_code == 302
    db.session.refresh(user)
    assert user.password_hash.startswith("$argon2id$") and user.check_password(password)
    assert user.session_version == version  # the same password: nobody else is logged out


def test_a_wrong_password_leaves_an_old_hash_as_it_is(client, db, make_user):
    user = make_user(Role.COORDINATOR, email="cora@example.org")
    old = user.password_hash

    response = client.post("/auth/login", data={"identifier": "cora@example.org", "password": "not the password"})

    assert response.status_code == 200
    db.session.refresh(user)
    assert user.password_hash == old
