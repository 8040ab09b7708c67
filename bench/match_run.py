"""Benchmark: a matching run over 5,000 refugees and 2,000 volunteers stored in PostgreSQL.

Fills a schema of its own (``bench``, created and dropped here) through the
real migrations with people drawn by the demo generators, then times
a matching run as a coordinator starts it, performed by the job a worker
runs (``matching_run``: its progress stages committed on a connection of
their own): loading everyone from the database, building the problem, the
engine, and writing every proposal, alternative and unmatched reason back.
Run from the repository root, with a database of your own:

    .venv/bin/python -m bench.match_run [--refugees 5000] [--volunteers 2000] --url postgresql://…/DB
"""

import argparse
import platform
import random
import time

from flask_migrate import upgrade
from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from app.demo.refugees import demo_refugee
from app.demo.volunteers import demo_volunteer
from app.extensions import db
from app.matches.services import matching_run, start_run
from app.models import HelpCategory, Locality, MatchRun, Proposal, Role, UnmatchedRefugee, User, VolunteerStatus
from app.reference_data import import_reference_data
from bench.database import MIGRATIONS, app_in_schema, settle

SCHEMA = "bench"


def fill(refugees: int, volunteers: int) -> None:
    import_reference_data()
    password_hash = generate_password_hash("benchmark", method="pbkdf2:sha256:1")
    coordinator = User(email="bench@example.org", full_name="Bench", role=Role.COORDINATOR, password_hash=password_hash)
    db.session.add(coordinator)
    categories = {c.key: c for c in db.session.scalars(select(HelpCategory))}
    places = sorted(db.session.scalars(select(Locality.id)))
    rng = random.Random(7)
    for index in range(1, volunteers + 1):
        user = demo_volunteer(rng, index, password_hash, categories, places)
        user.volunteer_profile.status = VolunteerStatus.ACTIVE
        db.session.add(user)
    for index in range(1, refugees + 1):
        db.session.add(demo_refugee(rng, index, password_hash, categories, places, coordinator))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refugees", type=int, default=5000)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--url", required=True, help="a PostgreSQL database (the schema bench is made and dropped)")
    args = parser.parse_args()
    app = app_in_schema(args.url, SCHEMA)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
        try:
            upgrade(directory=MIGRATIONS)
            started = time.perf_counter()
            fill(args.refugees, args.volunteers)
            settle()
            print(
                f"filled {args.refugees} refugees and {args.volunteers} volunteers in "
                f"{time.perf_counter() - started:.1f} s (not part of the measurement)"
            )
            db.session.expire_all()
            job, _created = start_run(actor=None, queue=False)
            started = time.perf_counter()
            outcome = matching_run(job.id)
            job_seconds = time.perf_counter() - started
            metrics = db.session.scalar(select(MatchRun).order_by(MatchRun.id.desc()).limit(1)).metrics
            stored = db.session.scalar(select(func.count(Proposal.id)))
            print(f"PostgreSQL, {platform.machine()}, Python {platform.python_version()}; job {outcome}")
            print(f"matching job end to end:  {job_seconds:.2f} s")
            print(f"  the run inside it:      {metrics['seconds_total']:.2f} s")
            print(f"  engine ({metrics['solver']}):       {metrics['seconds']:.2f} s  {metrics['seconds_by_stage']}")
            print(f"  load, build and store:  {metrics['seconds_total'] - metrics['seconds']:.2f} s")
            print(
                f"proposals stored {stored}, unmatched {metrics['unmatched']}, "
                f"matchable refugees {metrics['mentees']}, volunteers {metrics['volunteers']}"
            )
            reasons = db.session.execute(
                select(UnmatchedRefugee.reason, func.count())
                .group_by(UnmatchedRefugee.reason)
                .order_by(func.count().desc())
            )
            print("unmatched by reason: " + ", ".join(f"{reason} {count}" for reason, count in reasons))
        finally:
            db.session.remove()
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))


if __name__ == "__main__":
    main()
