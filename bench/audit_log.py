"""Benchmark: the audit viewer over 1,000,000 audit events in PostgreSQL.

Fills a schema of its own (``bench_audit``, created and dropped here) through
the real migrations: 200 staff members, 20,000 refugees (accounts and
records) and a million events spread over two years, drawn in SQL
(``generate_series``) with the mix of a working installation (mostly views
of records, then logins, changes and exports). Then a data-protection
officer opens the viewer through the app (routing, filters, queries,
template): each page is requested ``--repeat`` times and the median and
worst server time reported. Run from the repository root:

    .venv/bin/python -m bench.audit_log [--events 1000000] [--repeat 7] [--url postgresql://…]
"""

import argparse
import platform
import statistics
import time

from flask_migrate import upgrade
from sqlalchemy import select, text

from app.audit import ACTIONS
from app.extensions import db
from app.models import Role, User
from app.reference_data import import_reference_data
from bench.database import MIGRATIONS, app_in_schema, settle

SCHEMA = "bench_audit"
STAFF = 200
REFUGEES = 20_000
# Most events are views of records; the rest are spread over every other action.
VIEWED_SHARE = 0.6


def fill(events: int) -> None:
    import_reference_data()
    people = [
        """
        INSERT INTO users (email, full_name, role, password_hash, active, created_at, session_version)
        SELECT 'staff' || n || '@example.org', 'Staff Member ' || n,
               CASE WHEN n % 20 = 0 THEN 'admin' ELSE 'coordinator' END, 'x', true, now(), 0
        FROM generate_series(1, :staff) AS n
        """,
        """
        INSERT INTO users (email, full_name, role, password_hash, active, created_at, session_version)
        VALUES ('dpo@example.org', 'Dora Datenschutz', 'dpo', 'x', true, now(), 0)
        """,
        """
        INSERT INTO users (phone, full_name, role, password_hash, active, created_at, session_version)
        SELECT '+49176' || lpad(n::text, 8, '0'), 'Refugee Person ' || n, 'refugee', 'x', true, now(), 0
        FROM generate_series(1, :refugees) AS n
        """,
        """
        INSERT INTO refugee_profiles (user_id, travel_km, interests_note, protection_notes, status, steps_done,
                                      created_at, updated_at)
        SELECT id, 5, '', '', 'active', 5, now(), now() FROM users WHERE role = 'refugee'
        """,
    ]
    for statement in people:
        db.session.execute(text(statement), {"staff": STAFF, "refugees": REFUGEES})
    others = [action for action in ACTIONS if action != "refugee.viewed"]
    db.session.execute(
        text(
            """
            WITH staff AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE role IN ('coordinator', 'admin')),
                 profiles AS (SELECT min(id) AS first, max(id) AS last FROM refugee_profiles),
                 actions AS (SELECT CAST(:others AS text[]) AS names)
            INSERT INTO audit_events (actor_id, action, subject_type, subject_id, detail, created_at)
            SELECT staff.ids[1 + (hashint % :staff)],
                   CASE WHEN random() < :viewed THEN 'refugee.viewed'
                        ELSE actions.names[1 + (hashint / 7) % cardinality(actions.names)] END,
                   'RefugeeProfile',
                   (profiles.first + (hashint / 13) % (profiles.last - profiles.first + 1))::text,
                   NULL,
                   now() - (n * interval '63 seconds')
            FROM generate_series(1, :events) AS n,
                 LATERAL (SELECT hashtext(n::text)::bigint & 2147483647 AS hashint) AS h,
                 staff, profiles, actions
            """
        ),
        {"staff": STAFF, "viewed": VIEWED_SHARE, "others": others, "events": events},
    )
    db.session.commit()
    settle()


def timed(client, url: str, repeat: int) -> tuple[float, float, int]:
    """Median and worst milliseconds of ``repeat`` requests for ``url`` (after one warm-up), and the size."""
    size = len(client.get(url).get_data())
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", action="store_true", help="keep the schema (to run again without filling)")
    args = parser.parse_args()
    app = app_in_schema(args.url, SCHEMA)
    with app.app_context():
        filled = db.session.execute(
            text("SELECT 1 FROM information_schema.tables WHERE table_schema = :s AND table_name = 'audit_events'"),
            {"s": SCHEMA},
        ).first()
        if not (args.keep and filled):
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
            upgrade(directory=MIGRATIONS)
            started = time.perf_counter()
            fill(args.events)
            print(f"filled {args.events:,} events in {time.perf_counter() - started:.1f} s (not measured)")
        try:
            dpo = db.session.scalar(select(User).where(User.role == Role.DPO))
            staff = db.session.scalar(select(User.id).where(User.email == "staff7@example.org"))
            person = db.session.scalar(select(User.id).where(User.full_name == "Refugee Person 777"))
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = dpo.get_id()
            today = time.strftime("%Y-%m-%d")
            month_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))
            pages = {
                "no filter, page 1": "/audit/",
                "no filter, page 400": "/audit/?page=400",
                "action (refugee.viewed, 60 %)": "/audit/?action=refugee.viewed",
                "action (a rare one)": "/audit/?action=refugee.merged",
                "staff member": f"/audit/?staff={staff}",
                "person (name search, one match)": "/audit/?person=Refugee+Person+12345",
                "person picked from several (person_id)": f"/audit/?person_id={person}",
                "last 30 days": f"/audit/?date_from={month_ago}&date_to={today}",
                "staff member + action + 30 days": (
                    f"/audit/?staff={staff}&action=refugee.viewed&date_from={month_ago}&date_to={today}"
                ),
                "CSV: one person's events": "/audit/export.csv?person=Refugee+Person+12345",
                "CSV: one staff member, 30 days": f"/audit/export.csv?staff={staff}&date_from={month_ago}",
            }
            print(f"{platform.python_version()} on {platform.machine()}, PostgreSQL, {args.events:,} audit events")
            print("| page | median ms | worst ms | bytes |")
            print("| --- | --- | --- | --- |")
            for name, url in pages.items():
                median, worst, size = timed(client, url, args.repeat)
                print(f"| {name} | {median:.0f} | {worst:.0f} | {size:,} |")
        finally:
            db.session.remove()
            if not args.keep:
                with db.engine.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
            db.engine.dispose()


if __name__ == "__main__":
    main()
