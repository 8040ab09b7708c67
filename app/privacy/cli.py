"""``flask privacy purge [--dry-run] [--today YYYY-MM-DD]``: the retention periods, by hand."""

from datetime import date

import click
from flask import Flask

from app.privacy import services


def register(app: Flask) -> None:
    @app.cli.group("privacy")
    def privacy_group() -> None:
        """Retention and erasure of personal data."""

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
