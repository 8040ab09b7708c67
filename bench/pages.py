"""Benchmark: every page a coordinator opens, at district and at city size, in PostgreSQL.

Fills a schema of its own (``bench_pages_<size>``) through the app's own demo generator
(``seed_demo``: the people, working groups and a year of sponsorships with their check-ins, exactly
what ``flask seed-demo`` loads) and the real migrations, performs one matching run over the installation
(as ``flask match run`` does; the matching page is measured as it is after a run), then opens every page of the district
coordinator's menu, the detail pages and the lists with filters through the whole Flask request
path (test client: routing, login, policies, queries, template, audit entry; no network, no
gunicorn), one request at a time, and reports the median of ``--repeat`` requests after one warm-up
and the size of the HTML. Run from the repository root:

    .venv/bin/python -m bench.pages --size district [--reuse] [--repeat 5] [--url …]
    .venv/bin/python -m bench.pages --size city --reuse

The filled schema is kept; ``--reuse`` measures in it again (the migrations still run, so a
schema filled before a new migration is brought up to date, its data migration included).
"""

import argparse
import logging
import os
import platform
import statistics
import time

from flask_migrate import upgrade
from sqlalchemy import func, select, text

from app.demo import DEMO_COORDINATOR, seed_demo
from app.extensions import db
from app.matches.services import matching_run, start_run
from app.models import (
    Agreement,
    Appointment,
    AppointmentStatus,
    MatchRun,
    Proposal,
    ProposalStatus,
    RefugeeProfile,
    User,
    VolunteerProfile,
    WorkingGroup,
    volunteer_offers,
)
from bench.database import MIGRATIONS, app_in_schema, settle

SIZES = {
    # refugee households, volunteers, months of sponsorships
    "district": (5000, 2000, 12),
    "city": (30000, 10000, 12),
}
TARGET_MS = {"district": 150, "city": 300}
TARGET_KB = 300


def median_request(client, url: str, repeat: int) -> tuple[float, float, int]:
    """Median milliseconds of ``repeat`` requests after one warm-up (wall clock, and CPU of this process: the
    app's Python side, which other work on the machine slows less), and the size of the page in bytes."""
    client.get(url)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), statistics.median(cpu), len(response.data)


def pages() -> dict[str, str]:
    """Label -> URL of every coordinator page measured, with records picked from the filled data."""
    groups = {g.slug: g.id for g in db.session.scalars(select(WorkingGroup))}
    active = db.session.scalar(select(Agreement.id).where(Agreement.status == "active").order_by(Agreement.id))
    refugee = db.session.scalar(select(RefugeeProfile.id).order_by(RefugeeProfile.id).offset(100))
    re_registered = db.session.scalar(  # one of the demo's re-registrations: the duplicate check finds its twin
        select(RefugeeProfile.id).where(RefugeeProfile.user.has(User.phone.is_(None))).order_by(RefugeeProfile.id)
    )
    volunteer = db.session.scalar(select(VolunteerProfile.id).order_by(VolunteerProfile.id).offset(100))
    proposal = db.session.scalar(
        select(Proposal.id).where(Proposal.status == ProposalStatus.PROPOSED).order_by(Proposal.id)
    )
    # An open request of the kind most volunteers offer (driving in the demo data): its page ranks all of them
    # on every view. The earliest open request of any kind, chosen before, changed kind with the date of the fill.
    offering = (
        select(volunteer_offers.c.category_key, func.count().label("volunteers"))
        .group_by(volunteer_offers.c.category_key)
        .subquery()
    )
    appointment = db.session.scalar(
        select(Appointment.id)
        .join(offering, offering.c.category_key == Appointment.category_key)
        .where(Appointment.status == AppointmentStatus.OPEN)
        .order_by(offering.c.volunteers.desc(), Appointment.starts_at, Appointment.id)
    )
    found = {
        "overview /coordination/": "/coordination/",
        "refugee list": "/refugees/",
        "refugee list, page 20": "/refugees/?page=20",
        "refugee list, name search": "/refugees/?q=moha",
        "refugee list, place + language + need": "/refugees/?locality=lippstadt&language=ar&need=paperwork",
        "refugee list, children + unmatched": "/refugees/?children=y&unmatched=y",
        "refugee detail (duplicate check)": f"/refugees/{refugee}",
        "refugee detail of a re-registration": f"/refugees/{re_registered or refugee}",
        "volunteer list": "/volunteers/",
        "volunteer list, name search": "/volunteers/?q=schm",
        "volunteer list, place + language + activity": "/volunteers/?locality=soest&language=en&offer=paperwork",
        "volunteer detail": f"/volunteers/{volunteer}",
        "matching / proposals": "/matching/",
        "matching, filtered to one town": "/matching/?locality=lippstadt",
        "matching, people without a match": "/matching/unmatched",
        "alternatives of a proposal": f"/matching/proposals/{proposal}/alternatives",
        "sponsorships list": "/sponsorships/",
        "sponsorships list, active": "/sponsorships/?status=active",
        "sponsorships list, page 5": "/sponsorships/?page=5",
        "sponsorship detail (active)": f"/sponsorships/{active}",
        "working groups": "/groups/",
        "appointments overview": "/appointments/",
        "appointment detail (candidates ranked)": f"/appointments/{appointment}",
        "allowances (payout list)": "/appointments/payouts",
        "erasure requests": "/people/erasure-requests",
        "inbox": "/inbox/",
    }
    for slug, group_id in sorted(groups.items()):
        found[f"working group {slug}"] = f"/groups/{group_id}"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="district")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--url", default=os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")
    )
    parser.add_argument("--reuse", action="store_true", help="measure in the schema an earlier run filled")
    parser.add_argument("--fill-only", action="store_true", help="fill (or bring up to date) and stop")
    parser.add_argument("--without", action="append", default=[], help="leave out pages whose label contains this")
    args = parser.parse_args()
    schema = f"bench_pages_{args.size}"
    refugees, volunteers, months = SIZES[args.size]
    app = app_in_schema(args.url, schema)
    logging.getLogger("brueckenbau").setLevel(logging.WARNING)  # no request log lines between the figures
    with app.app_context():
        if not args.reuse:
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        upgrade(directory=MIGRATIONS)
        if not args.reuse:
            started = time.perf_counter()
            seed_demo(volunteers, refugees, months)
            print(f"filled in {time.perf_counter() - started:.0f} s (not part of the measurement)")
        if db.session.scalar(select(MatchRun.id).limit(1)) is None:
            started = time.perf_counter()  # the matching page is measured as it is after a run
            job, _created = start_run(None, queue=False)
            print(f"matching run: {matching_run(job.id)} in {time.perf_counter() - started:.0f} s (not measured)")
        settle()  # after the fill and the run's tens of thousands of rows, as autovacuum would
        if args.fill_only:
            return
        coordinator = db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR))
        counts = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (RefugeeProfile, VolunteerProfile, Agreement)
        }
        targets = pages()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = coordinator.get_id()
        print(f"PostgreSQL, {platform.machine()}, Python {platform.python_version()}, size {args.size}: {counts}")
        print(f"load average before: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
        print(f"targets ≤ {TARGET_MS[args.size]} ms, ≤ {TARGET_KB} KB; ✗ marks a page that misses one")
        print("| page | median ms | app CPU ms | HTML KB |\n| --- | --- | --- | --- |", flush=True)
        for label, url in targets.items():
            if any(text in label for text in args.without):
                continue
            ms, cpu, size = median_request(client, url, args.repeat)
            mark = "" if ms <= TARGET_MS[args.size] and size <= TARGET_KB * 1024 else " ✗"
            print(f"| {label} | {ms:.0f} | {cpu:.0f} | {size / 1024:.0f}{mark} |", flush=True)
        print(f"load average after: {os.getloadavg()[0]:.1f} (1 min)")
        db.session.remove()


if __name__ == "__main__":
    main()
