"""Command line: ``flask --app wsgi create-admin``, ``reset-two-factor``, ``seed-demo``, exports, matching;
jobs in app/operations/cli.py."""

from pathlib import Path

import click
from flask import Flask

from app.auth.services import CLI_ROLES, EmailTaken, create_admin, has_accounts, user_by_email
from app.demo import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_DPO, DEMO_PASSWORD, REFUGEE_COUNT, VOLUNTEER_COUNT, seed_demo
from app.exports.services import FORMATS, export_contacts
from app.extensions import db
from app.groups.services import group_by_slug_or_id
from app.interests import INTEREST_KEYS
from app.matches.services import matching_run, start_run
from app.models import JobRun, MatchRun, Role
from app.models.user import PASSWORD_MIN_LENGTH
from app.operations.cli import register as register_job_commands
from app.privacy_commands import privacy_cli
from app.profiles import map_interest_notes
from app.two_factor import services as two_factor


def register(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.option("--email", prompt=True, help="E-mail address to log in with.")
    @click.option("--name", prompt=True, help="Name shown in the app.")
    @click.password_option(help="At least 10 characters.")
    @click.option(
        "--role",
        type=click.Choice([str(role) for role in CLI_ROLES]),
        default=str(Role.ADMIN),
        show_default=True,
        help="admin, or dpo: a data-protection officer, who reads the audit log and nothing else.",
    )
    def create_admin_command(email: str, name: str, password: str, role: str) -> None:
        """Create an administrator (or data-protection officer) account."""
        if len(password) < PASSWORD_MIN_LENGTH:
            raise click.BadParameter(f"at least {PASSWORD_MIN_LENGTH} characters", param_hint="password")
        try:
            create_admin(email, name, password, Role(role))
        except EmailTaken:
            raise click.ClickException(f"an account with {email} exists already") from None
        click.echo(f"{'Administrator' if role == Role.ADMIN else 'Data-protection officer'} {email} created.")

    @app.cli.command("reset-two-factor")
    @click.argument("email")
    def reset_two_factor_command(email: str) -> None:
        """Remove the two-factor authentication of the account EMAIL (phone and recovery codes lost)."""
        user = user_by_email(email)
        if user is None or not two_factor.is_enrolled(user):
            raise click.ClickException(f"no account with {email} uses two-factor authentication")
        two_factor.reset(user)
        click.echo(f"Two-factor authentication of {email} removed; it is set up again at the next login.")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet (first start).")
    @click.option("--volunteers", default=VOLUNTEER_COUNT, show_default=True, help="How many demo volunteers.")
    @click.option("--refugees", default=REFUGEE_COUNT, show_default=True, help="How many demo households.")
    @click.option("--sponsorship-months", default=0, show_default=True, help="Months of past sponsorships to add.")
    def seed_demo_command(if_empty: bool, volunteers: int, refugees: int, sponsorship_months: int) -> None:
        """Load reference data and demo people (idempotent); larger sizes make a district for load tests."""
        if if_empty and has_accounts():
            click.echo("Accounts exist already; demo data not loaded.")
            return
        result = seed_demo(volunteers, refugees, sponsorship_months)
        click.echo(
            f"Demo data loaded: {result['volunteers_added']} volunteers, {result['refugees_added']} refugees or "
            f"households and {result['groups_added']} working groups added."
        )
        if result["sponsorships_added"]:
            click.echo(f"{result['sponsorships_added']} sponsorships added.")
        click.echo(f"  Coordinator: {DEMO_COORDINATOR} / {DEMO_PASSWORD}")
        click.echo(f"  Admin:       {DEMO_ADMIN} / {DEMO_PASSWORD}")
        click.echo(f"  DPO:         {DEMO_DPO} / {DEMO_PASSWORD}")
        click.echo(f"  Volunteers:  any demo volunteer's e-mail / {DEMO_PASSWORD}")

    @app.cli.group("export")
    def export_command() -> None:
        """Export data (every export is recorded in the audit log)."""

    @export_command.command("contacts")
    @click.argument("group")
    @click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="csv", show_default=True)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True)
    @click.option("--language", default="de", show_default=True, help="Language of the column headers.")
    def export_contacts_command(group: str, fmt: str, output: Path, language: str) -> None:
        """Write the contact list of GROUP (its identifier or number) to a file."""
        found = group_by_slug_or_id(group)
        if found is None:
            raise click.ClickException(f"no working group {group!r}")
        result = export_contacts(found, fmt, actor=None, locale=language)
        output.write_bytes(result.content)
        click.echo(
            f"{result.people} contacts written to {output}; "
            f"{result.left_out} members left out (no consent to contact lists)."
        )

    @app.cli.group("match")
    def match_command() -> None:
        """Matching runs."""

    @match_command.command("run")
    @click.option("--solver", type=click.Choice(["auto", "exact", "fast"]), default="auto", show_default=True)
    def match_run_command(solver: str) -> None:
        """Propose sponsorships for everyone not yet decided (here and now, as a recorded run)."""
        job, created = start_run(None, solver, queue=False)
        if not created:
            raise click.ClickException(f"a matching run is in progress already (run {job.id})")
        outcome = matching_run(job.id)
        job = db.session.get(JobRun, job.id, populate_existing=True)
        if outcome != "finished":
            raise click.ClickException(f"the run failed ({job.error} {job.result}); nothing was changed")
        run = db.session.get(MatchRun, job.result["match_run"])
        click.echo(
            f"matched {run.metrics['proposed']}, unmatched {run.metrics['unmatched']}, "
            f"locked {run.metrics['locked']}, seconds {run.metrics['seconds_total']}"
        )

    @app.cli.group("interests")
    def interests_command() -> None:
        """The interests people tick (app/interests.py) and their notes in their own words."""

    @interests_command.command("map-notes")
    @click.option(
        "--also",
        "also",
        multiple=True,
        metavar="WORDS=KEY",
        help="Also map these words (as a whole item of a note) to KEY; repeatable.",
    )
    def map_notes_command(also: tuple[str, ...]) -> None:
        """Add the interests that people's notes name, and list the words that name none.

        An item of a note (comma-separated) names an interest if it is the interest's label in any
        language, or words given with --also. Nobody's name is printed: only the words and how many
        notes have them.
        """
        extra = {}
        for pair in also:
            words, _sep, key = pair.rpartition("=")
            if not words.strip() or key not in INTEREST_KEYS:
                raise click.BadParameter(f"{pair!r}: expected WORDS=KEY, a KEY of the list", param_hint="--also")
            extra[words] = key
        result = map_interest_notes(extra)
        click.echo(f"Interests added: {result.keys_added} (in {result.profiles_changed} profiles).")
        if result.unmatched:
            click.echo(f"Words that name no interest ({len(result.unmatched)}; notes that have them):")
            for words, notes in sorted(result.unmatched.items(), key=lambda item: (-item[1], item[0])):
                click.echo(f"  {notes:>4}  {words}")

    @app.cli.group("agreements")
    def agreements_command() -> None:
        """Sponsorship agreements."""

    # ``flask agreements daily`` is ``flask jobs daily``, registered with the job commands.
    register_job_commands(app)
    app.cli.add_command(privacy_cli)
