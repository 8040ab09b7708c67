"""Load benchmark: gunicorn (3 workers) and PostgreSQL holding a district, 50 users from locust.

    .venv/bin/python -m bench.load [--url postgresql://postgres@127.0.0.1:5432/bench_ops] [--reuse]

1. Creates the database (``--reuse`` keeps a filled one) and fills it through
   the app's own code: migrations, then ``flask seed-demo --volunteers 2000
   --refugees 5000 --sponsorship-months 12`` and ``flask match run``.
2. Starts gunicorn with 3 workers on a free local port.
3. Runs locust headless: the users arrive two a second (each coordinator
   logs in), then a minute is measured with all of them in: 40 coordinators
   browsing with think time and 10 refugees registering in eight languages
   (``locustfile.py``); ``/healthz`` is the trivial page measured in the same run.
4. Runs locust again without think time for the saturation throughput (two minutes measured).
5. Prints every page's p95, errors and the throughput (Markdown tables), and
   before the load each page's time alone (one user, nothing else running).
"""

import argparse
import csv
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests

from bench.database import create_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TARGET_P95_MS = 150
USERS = 50
# Users arrive two a second (a district's coordinators do not all log in at the same moment); the
# statistics start once all are in.
ARRIVALS_PER_SECOND = 2
RAMP_SECONDS = USERS // ARRIVALS_PER_SECOND


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def visit_list(url: str, path: Path) -> None:
    """Ids the locust users visit, and the coordinator's login."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection:

        def ids(query):
            return [row[0] for row in connection.execute(query)]

        path.write_text(
            json.dumps(
                {
                    "coordinator": "koordination@example.org",
                    "password": "demo-demo-demo",
                    "refugees": ids("SELECT id FROM refugee_profiles"),
                    "volunteers": ids("SELECT id FROM volunteer_profiles"),
                    "agreements": ids("SELECT id FROM agreements"),
                    "groups": ids("SELECT id FROM working_groups"),
                    "localities": ids("SELECT id FROM localities"),
                }
            )
        )


def counts(url: str) -> dict[str, int]:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("refugee_profiles", "volunteer_profiles", "agreements", "check_ins", "users")
        }


def locust(host: str, env: dict, seconds: int, prefix: Path) -> None:
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).parent / "locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(ARRIVALS_PER_SECOND),
            "--run-time",
            f"{seconds + RAMP_SECONDS}s",
            "--reset-stats",  # the figures are of the run with everyone in, not of the arrivals
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,  # locust exits 1 when a request failed; the table shows the failures
    )


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as file:
        return list(csv.DictReader(file))


UNLOADED_PAGES = [
    "/healthz",
    "/",
    "/coordination/",
    "/refugees/",
    "/refugees/?locality=soest&need=mentoring",
    "/refugees/{refugee}",
    "/volunteers/",
    "/volunteers/{volunteer}",
    "/sponsorships/",
    "/sponsorships/{agreement}",
    "/matching/",
    "/matching/unmatched",
    "/groups/",
    "/groups/{group}",
    "/appointments/",
    "/inbox/",
    "/welcome/",
]


def unloaded(host: str, ids_file: Path) -> str:
    """Each page alone: one signed-in coordinator, nothing else running; median of three requests to warm workers."""
    ids = json.loads(ids_file.read_text())
    session = requests.Session()
    page = session.get(f"{host}/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    session.post(
        f"{host}/auth/login",
        data={"csrf_token": token, "identifier": ids["coordinator"], "password": ids["password"]},
        allow_redirects=False,
    )
    paths = {
        pattern: pattern.format(
            refugee=ids["refugees"][100],
            volunteer=ids["volunteers"][100],
            agreement=ids["agreements"][100],
            group=ids["groups"][0],
        )
        for pattern in UNLOADED_PAGES
    }
    # Each of the three workers compiles a template the first time it renders it (the start page took 176 ms
    # at the median of three that way, 11 ms warm): every page is asked for a few times before it is timed.
    for path in paths.values():
        for _ in range(6):
            session.get(host + path)
    lines = ["| page | median ms (alone) | KiB |", "| --- | --- | --- |"]
    for pattern, path in paths.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            response = session.get(host + path)
            times.append((time.perf_counter() - started) * 1000)
        lines.append(f"| `{pattern}` | {statistics.median(times):.0f} | {len(response.content) // 1024} |")
    return "\n".join(lines)


def table(rows: list[dict], seconds: int) -> str:
    lines = ["| page | requests | errors | median ms | p95 ms | ≤ 150 ms |", "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        p95 = float(row["95%"]) if row["95%"] != "N/A" else 0.0
        # Locust rounds a median of many requests itself and writes the exact time of a few.
        median = float(row["Median Response Time"]) if row["Median Response Time"] not in ("", "N/A") else 0.0
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        method = "" if row["Type"] in ("GET", "") else f" {row['Type']}"
        lines.append(
            f"| `{name}`{method} | {row['Request Count']} | {row['Failure Count']} | {median:.0f} "
            f"| {p95:.0f} | {'yes' if p95 <= TARGET_P95_MS else 'no'} |"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    lines.append(f"\nthroughput {float(total['Requests/s']):.1f} requests/s over {seconds} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_ops")
    parser.add_argument("--reuse", action="store_true", help="keep an already filled database")
    parser.add_argument("--seconds", type=int, default=60)
    # Two minutes: single 30-second runs of the same code gave 65 to 79 requests/s on one machine, and the code
    # as issue 13 found it answers in about 15 s under saturation, so 30 s held two of its requests per user.
    parser.add_argument("--saturation-seconds", type=int, default=120)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "BRUECKENBAU_CONFIG": "development",  # plain-http cookies; the rest as in production
        "DATABASE_URL": args.url,
        "SECRET_KEY": "load-benchmark",
        "MAIL_BACKEND": "dummy",
        # Every simulated user logs in and registers from 127.0.0.1: one client address to the limiter, whose
        # per-address budgets (20 registrations an hour) a faster machine's saturation run exceeded (429).
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "REGISTRATION_RATE_LIMIT": "100000 per minute",
        "LOG_FORMAT": "json",
        "BENCH_IDS": str(work / "ids.json"),
    }
    env.pop("REDIS_URL", None)
    if create_database(args.url, replace=not args.reuse):  # True: new, to be filled
        started = time.perf_counter()
        flask(env, "db", "upgrade")
        flask(env, "seed-demo", "--volunteers", "2000", "--refugees", "5000", "--sponsorship-months", "12")
        flask(env, "match", "run")  # the matching pages as a coordinator sees them after a run
        with psycopg.connect(args.url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")  # as autovacuum leaves a running installation's tables
        print(f"filled in {time.perf_counter() - started:.0f} s (not measured): {counts(args.url)}")
    else:
        print(f"reusing {counts(args.url)}")
    visit_list(args.url, work / "ids.json")

    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, gunicorn 3 workers")
    print(f"load average before the runs: {os.getloadavg()[0]:.1f} (other work on the machine)\n")
    with serve(env, work / "unloaded.log") as host:
        print(unloaded(host, work / "ids.json"))
    runs = [
        ("all", {}, args.seconds, "40 coordinators (2–6 s think time) on every page, 10 refugees registering"),
        ("saturation", {"BENCH_THINK": "0"}, args.saturation_seconds, "the same users without think time (saturation)"),
    ]
    for name, extra, seconds, title in runs:
        with serve(env, work / f"{name}.log") as host:  # a fresh server: no backlog from the run before
            locust(host, {**env, **extra}, seconds, work / name)
        print(f"\n{title}, 50 users for {seconds} s:\n")
        print(table(read_stats(work / name), seconds))
        print("\ntime inside the app (from its request log; the rest of a page's time is waiting for a worker):\n")
        print(inside_the_app(work / f"{name}.log"))
    print(f"\nraw results and the server's logs in {work}")


def inside_the_app(log: Path) -> str:
    """Median and p95 of the duration the app logged for each route (its JSON request lines)."""
    durations: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        if '"brueckenbau.request"' in line:
            entry = json.loads(line)
            durations.setdefault(f"{entry['method']} {entry['route']}", []).append(entry["duration_ms"])
    lines = ["| route | requests | median ms | p95 ms |", "| --- | --- | --- | --- |"]
    for route, values in sorted(durations.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        lines.append(f"| `{route}` | {len(values)} | {statistics.median(values):.0f} | {p95:.0f} |")
    return "\n".join(lines)


@contextmanager
def serve(env: dict, log_path: Path):
    port = free_port()
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    host = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{host}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield host
    finally:
        server.terminate()
        server.wait(30)
        log.close()


if __name__ == "__main__":
    main()
