"""``flask privacy …``: commands that keep personal data safe (key rotation of encrypted notes)."""

import click

from app.crypto import EncryptionKeyError, rotate_keys
from app.extensions import db


@click.group("privacy")
def privacy_cli() -> None:
    """Personal data: encryption keys of special-category notes."""


@privacy_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Re-encrypt every special-category note with the first key of DATA_ENCRYPTION_KEYS.

    Put the new key first and the old ones after it; once this has run, the old keys can go.
    """
    try:
        changed = rotate_keys(db.session.connection())
    except EncryptionKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    for column, count in changed.items():
        click.echo(f"{column}: {count} re-encrypted")
    total = sum(changed.values())
    click.echo(f"{total} {'note' if total == 1 else 'notes'} re-encrypted with the first key; the old keys can now go.")
