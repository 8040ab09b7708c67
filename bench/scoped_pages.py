"""Benchmark: the pages of one area's coordinator in an installation of 30,000 refugees and 10,000 volunteers.

Fills a schema of its own (``bench_scope``, created and dropped here) in PostgreSQL through the real
migrations with people drawn by the demo generators, gives a coordinator the area Lippstadt, and times
the server side of the refugee list (first page and a filtered search), the overview with its gaps, and
detail pages of refugees in the area, through the whole Flask request path (test client, no network).
Run from the repository root:

    .venv/bin/python -m bench.scoped_pages [--refugees 30000] [--volunteers 10000] [--repeat 15] [--url …]
"""

import argparse
import platform
import random
import statistics
import time

from flask_migrate import upgrade
from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from app.demo.refugees import demo_refugee
from app.demo.volunteers import demo_volunteer
from app.extensions import db
from app.models import (
    Area,
    HelpCategory,
    Locality,
    Organisation,
    OrganisationKind,
    RefugeeProfile,
    Role,
    StaffMembership,
    User,
    utcnow,
)
from app.reference_data import import_reference_data
from bench.database import MIGRATIONS, app_in_schema, settle

SCHEMA = "bench_scope"
AREA_PLACES = ("lippstadt",)


def fill(refugees: int, volunteers: int) -> User:
    """The installation; returns the coordinator of the area Lippstadt."""
    import_reference_data()
    password_hash = generate_password_hash("benchmark", method="pbkdf2:sha256:1")
    coordinator = User(email="area@example.org", full_name="Area", role=Role.COORDINATOR, password_hash=password_hash)
    area = Area(name="Lippstadt", places=list(db.session.scalars(select(Locality).where(Locality.id.in_(AREA_PLACES)))))
    organisation = Organisation(name="Stadt Lippstadt", kind=OrganisationKind.MUNICIPALITY)
    db.session.add(StaffMembership(organisation=organisation, user=coordinator, areas=[area], accepted_at=utcnow()))
    categories = {c.key: c for c in db.session.scalars(select(HelpCategory))}
    places = sorted(db.session.scalars(select(Locality.id)))
    rng = random.Random(12)
    for index in range(1, volunteers + 1):
        db.session.add(demo_volunteer(rng, index, password_hash, categories, places))
        if index % 2000 == 0:
            db.session.commit()
    for index in range(1, refugees + 1):
        db.session.add(demo_refugee(rng, index, password_hash, categories, places, coordinator))
        if index % 2000 == 0:
            db.session.commit()
    db.session.commit()
    return coordinator


def median_ms(client, url: str, repeat: int) -> float:
    client.get(url)  # warm caches and the connection pool
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refugees", type=int, default=30000)
    parser.add_argument("--volunteers", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=15)
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
            if args.reuse:
                coordinator = db.session.scalar(select(User).where(User.email == "area@example.org"))
            else:
                upgrade(directory=MIGRATIONS)
                started = time.perf_counter()
                coordinator = fill(args.refugees, args.volunteers)
                settle()
                print(f"filled in {time.perf_counter() - started:.0f} s (not part of the measurement)")
            in_area = db.session.scalar(
                select(func.count(RefugeeProfile.id)).where(RefugeeProfile.locality_id.in_(AREA_PLACES))
            )
            details = list(
                db.session.scalars(
                    select(RefugeeProfile.id).where(RefugeeProfile.locality_id.in_(AREA_PLACES)).limit(10)
                )
            )
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = coordinator.get_id()
            pages = {
                "refugee list of the area (first page)": "/refugees/",
                "refugee list, searched (language ar, need)": "/refugees/?language=ar&need=paperwork",
                "overview with its gaps": "/coordination/",
            }
            results = {label: median_ms(client, url, args.repeat) for label, url in pages.items()}
            detail_medians = [median_ms(client, f"/refugees/{pid}", args.repeat) for pid in details]
            results["refugee detail page (median of 10 people)"] = statistics.median(detail_medians)
            print(f"PostgreSQL, {platform.machine()}, Python {platform.python_version()}")
            print(f"{args.refugees} refugees, {args.volunteers} volunteers; {in_area} refugees in the area")
            print("| page | median ms |\n| --- | --- |")
            for label, value in results.items():
                print(f"| {label} | {value:.0f} |")
        finally:
            db.session.remove()
            if not args.keep:
                with db.engine.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))


if __name__ == "__main__":
    main()
