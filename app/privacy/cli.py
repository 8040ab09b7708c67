"""``flask privacy purge [--dry-run] [--today YYYY-MM-DD]``: the retention periods, by hand;
``flask privacy rotate-key``: encrypted notes re-encrypted with the newest key."""

from datetime import date

import click
from flask import Flask

from app.crypto import EncryptionKeyError, rotate_keys
from app.extensions import db
from app.privacy import services


def register(app: Flask) -> None:
    @app.cli.group("privacy")
    def privacy_group() -> None:
        """Retention and erasure of personal data, and the keys of encrypted notes."""

    @privacy_group.command("purge")
    @click.option("--dry-run", is_flag=True, help="List what would go and why; change nothing.")
    @click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Act as on this day.")
    def purge_command(dry_run: bool, today) -> None:
        """Apply the retention periods: warn, erase, clear old notes, access codes and audit events.

        The output names records by kind and id only, never a person."""
        day: date | None = today.date() if today else None
        if dry_run:
            items = services.plan(day)
            for item in items:
                click.echo(f"{item.kind} {item.id}: {item.reason}")
            click.echo(f"{len(items)} items would be handled.")
            return
        done = services.purge(day)
        for reason, count in sorted(done.items()):
            click.echo(f"{reason}: {count}")
        click.echo(f"{sum(done.values())} items handled.")

    @privacy_group.command("rotate-key")
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
        noun = "note" if total == 1 else "notes"
        click.echo(f"{total} {noun} re-encrypted with the first key; the old keys can now go.")
