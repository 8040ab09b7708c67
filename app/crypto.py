"""Encryption at rest of special-category free texts (GDPR Art. 9 and 32).

Notes on health, trauma, safety or residence are the most harmful data the
platform holds: a stolen backup or a database dump read by a hoster's
technician must not show them. They are stored as Fernet tokens
(AES-128-CBC with an HMAC-SHA256 over it: tampering is detected, not just
hidden) made with the keys in ``DATA_ENCRYPTION_KEYS``, comma-separated; the
first key encrypts, every key decrypts (``MultiFernet``), so a new key is put
first, ``flask privacy rotate-key`` re-encrypts every stored note with it, and
the old key can then be dropped.

``EncryptedText`` is a column type, so models keep ``Mapped[str]`` and the
code that reads and writes notes is unchanged. An empty note stays an empty
string: that a person wrote nothing is no secret, and ``== ""`` keeps working
in queries. Encrypted columns cannot be searched or sorted in SQL.

Which columns are encrypted, and why, is listed in ``ENCRYPTED_COLUMNS``.
"""

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import Text
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

# table, column: the free texts that can hold special-category data.
ENCRYPTED_COLUMNS: tuple[tuple[str, str], ...] = (
    # The refugee's own notes on special protection needs (health, disability, trauma, safety).
    ("refugee_profiles", "protection_notes"),
    # Check-ins ("how it went") by volunteers and coordinators: they report illness, appointments at
    # the foreigners' office or a clinic, fears. Coordinators write no other free notes on people.
    ("check_ins", "note"),
    # What coordination alone may read of an appointment (an interpreter for a psychiatric consultation,
    # a hearing at the foreigners' office).
    ("appointments", "special_notes"),
)


class EncryptionKeyError(RuntimeError):
    """The keys are missing or malformed, or none of them opens a stored note."""


def multi_fernet(keys: str | None) -> MultiFernet:
    """The cipher for a ``DATA_ENCRYPTION_KEYS`` value; a clear error for a missing or malformed key."""
    parts = [part.strip() for part in (keys or "").split(",") if part.strip()]
    if not parts:
        raise EncryptionKeyError(
            "DATA_ENCRYPTION_KEYS is not set: special-category notes cannot be read or written. "
            "Generate a key with: python3 -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    fernets = []
    for position, part in enumerate(parts, start=1):
        try:
            fernets.append(Fernet(part))
        except ValueError:
            # The key itself is never echoed: it may be a real key with a typo.
            raise EncryptionKeyError(
                f"DATA_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return MultiFernet(fernets)


def cipher() -> MultiFernet:
    """The configured cipher, built once per distinct key setting (tests change it per app)."""
    keys = current_app.config.get("DATA_ENCRYPTION_KEYS")
    cached = current_app.extensions.get("brueckenbau_cipher")
    if cached is None or cached[0] != keys:
        cached = (keys, multi_fernet(keys))
        current_app.extensions["brueckenbau_cipher"] = cached
    return cached[1]


def encrypt(plaintext: str, fernet: MultiFernet | None = None) -> str:
    if plaintext == "":
        return ""
    return (fernet or cipher()).encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str, fernet: MultiFernet | None = None) -> str:
    if token == "":
        return ""
    try:
        return (fernet or cipher()).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError):
        raise EncryptionKeyError(
            "A stored special-category note cannot be decrypted with DATA_ENCRYPTION_KEYS: the key that "
            "encrypted it is missing from the list (or the value was changed or never encrypted)."
        ) from None


def rotate(token: str, fernet: MultiFernet | None = None) -> str:
    """``token`` encrypted again with the first key (whichever key it was made with)."""
    if token == "":
        return ""
    try:
        return (fernet or cipher()).rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise EncryptionKeyError(
            "A stored special-category note cannot be decrypted with any key in DATA_ENCRYPTION_KEYS; "
            "nothing was changed. Add the old key after the new one and run the rotation again."
        ) from None


def recode_columns(connection: Connection, change, columns=ENCRYPTED_COLUMNS) -> dict[str, int]:
    """Apply ``change`` (encrypt, decrypt, rotate) to every stored value of ``columns``, by plain SQL.

    Plain SQL, not the models: the migration that first encrypts the notes and the key rotation
    must see the raw stored values. Returns how many values changed per ``table.column``; the
    caller's transaction makes it all or nothing.
    """
    changed = {}
    for table_name, column_name in columns:
        table = sa.table(table_name, sa.column("id"), sa.column(column_name, Text))
        column = table.c[column_name]
        rows = connection.execute(sa.select(table.c.id, column).where(column != "")).all()
        for row_id, value in rows:
            connection.execute(sa.update(table).where(table.c.id == row_id).values({column_name: change(value)}))
        changed[f"{table_name}.{column_name}"] = len(rows)
    return changed


def rotate_keys(connection: Connection) -> dict[str, int]:
    """Re-encrypt every stored note with the first configured key."""
    fernet = cipher()
    return recode_columns(connection, lambda token: rotate(token, fernet))


class EncryptedText(TypeDecorator):
    """A text column whose values are stored encrypted with the configured keys."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
