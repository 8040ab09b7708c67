"""Benchmark: the district coordinator's overview and the proposals page after a matching run.

Fills a schema of its own (``bench_coordinator``) in PostgreSQL through the app's code — the demo
district at load-test size (5,000 households, 2,000 volunteers, a year of sponsorships) and one matching
run of the district office's coordinator, who covers the whole district — and times the server side of
``/coordination/`` and ``/matching/`` (first page and one filtered to a town) through the whole Flask
request path (test client, no network), with the size of each page's HTML. Run from the repository root:

    .venv/bin/python -m bench.coordinator_pages [--repeat 5] [--keep | --reuse] [--url …]
"""

import argparse
import os
import platform
import statistics
import time

from flask_migrate import upgrade
from sqlalchemy import select, text

from app.demo import DEMO_COORDINATOR, seed_demo
from app.extensions import db
from app.matches.services import run_matching
from app.models import User
from bench.database import MIGRATIONS, app_in_schema

SCHEMA = "bench_coordinator"
PAGES = {
    "overview `/coordination/`": "/coordination/",
    "proposals `/matching/` (first page)": "/matching/",
    "proposals filtered to Lippstadt": "/matching/?locality=lippstadt",
}


def fill(refugees: int, volunteers: int, months: int) -> None:
    seed_demo(volunteers, refugees, months)
    run_matching(db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR)))


def measure(client, url: str, repeat: int) -> tuple[float, float, int]:
    """Median server time and median CPU time of the app's process in ms over ``repeat`` requests (after one
    to warm caches), and the HTML's bytes. On a shared machine the wall time swings with the others' load;
    the CPU time is the app's own share (the database's work is in the wall time only)."""
    size = len(client.get(url).data)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), statistics.median(cpu), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refugees", type=int, default=5000)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--months", type=int, default=12, help="months of sponsorships")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", action="store_true", help="keep the filled schema for another run")
    parser.add_argument("--reuse", action="store_true", help="measure in the schema a --keep run left")
    args = parser.parse_args()
    app = app_in_schema(args.url, SCHEMA)
    with app.app_context():
        if not args.reuse:
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
        try:
            upgrade(directory=MIGRATIONS)  # a reused schema gets the migrations added since
            if not args.reuse:
                started = time.perf_counter()
                fill(args.refugees, args.volunteers, args.months)
                print(f"filled in {time.perf_counter() - started:.0f} s (not part of the measurement)")
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
            coordinator = db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR))
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = coordinator.get_id()
            print(f"PostgreSQL, {platform.machine()}, Python {platform.python_version()}")
            print(f"{args.refugees} households, {args.volunteers} volunteers, {args.months} months of sponsorships")
            print(f"load average before: {os.getloadavg()[0]:.1f}")
            print("| page | median ms | app CPU ms | HTML KB |\n| --- | --- | --- | --- |")
            for label, url in PAGES.items():
                median, cpu, size = measure(client, url, args.repeat)
                print(f"| {label} | {median:.0f} | {cpu:.0f} | {size / 1024:.0f} |", flush=True)
            print(f"load average after: {os.getloadavg()[0]:.1f}")
        finally:
            db.session.remove()
            if not args.keep:
                with db.engine.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))


if __name__ == "__main__":
    main()
