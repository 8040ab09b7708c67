"""Encrypt special-category notes at rest (protection notes, check-in notes)

Revision ID: b7e1c2d3a4f5
Revises: f3316b91a62b
Create Date: 2026-12-02 01:00:00

No column changes: the values are rewritten as Fernet tokens with the first key of
DATA_ENCRYPTION_KEYS (read from the app's configuration, as ``flask db`` runs inside it),
and the downgrade writes them back in plain text. Which columns, and why, is in app/crypto.py;
this revision names its own so that later additions there do not change what it did.
"""

from alembic import op
from flask import current_app

from app.crypto import decrypt, encrypt, multi_fernet, recode_columns

revision = "b7e1c2d3a4f5"
down_revision = "f3316b91a62b"
branch_labels = None
depends_on = None

COLUMNS = (("refugee_profiles", "protection_notes"), ("check_ins", "note"))


def upgrade():
    fernet = multi_fernet(current_app.config.get("DATA_ENCRYPTION_KEYS"))
    recode_columns(op.get_bind(), lambda value: encrypt(value, fernet), COLUMNS)


def downgrade():
    fernet = multi_fernet(current_app.config.get("DATA_ENCRYPTION_KEYS"))
    recode_columns(op.get_bind(), lambda value: decrypt(value, fernet), COLUMNS)
