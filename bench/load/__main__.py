"""Load benchmark: gunicorn (3 workers) and PostgreSQL holding a district, 50 users from locust.

    .venv/bin/python -m bench.load [--url postgresql://postgres@127.0.0.1:5432/bench_ops] [--reuse]

1. Creates the database (``--reuse`` keeps a filled one) and fills it through
   the app's own code: migrations, then ``flask seed-demo --volunteers 2000
   --refugees 5000 --sponsorship-months 12``.
2. Starts gunicorn with 3 workers on a free local port.
3. Runs locust headless for a minute: 40 coordinators browsing with think
   time and 10 refugees registering in eight languages (``locustfile.py``);
   ``/healthz`` is the trivial page measured in the same run.
4. Runs locust again without think time for the saturation throughput.
5. Prints every page's p95, errors and the throughput (a Markdown table).
"""

import argparse
import csv
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TARGET_P95_MS = 150


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(url: str, reuse: bool) -> bool:
    """Create the database; True if it must be filled."""
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and reuse:
            return False
        if exists:
            connection.execute(f'DROP DATABASE "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


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
            "50",
            "--spawn-rate",
            "25",
            "--run-time",
            f"{seconds}s",
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


def table(rows: list[dict], seconds: int) -> str:
    lines = ["| page | requests | errors | median ms | p95 ms | ≤ 150 ms |", "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        p95 = float(row["95%"])
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        method = "" if row["Type"] in ("GET", "") else f" {row['Type']}"
        lines.append(
            f"| `{name}`{method} | {row['Request Count']} | {row['Failure Count']} | {row['Median Response Time']} "
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
    parser.add_argument("--saturation-seconds", type=int, default=30)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "BRUECKENBAU_CONFIG": "development",  # plain-http cookies; the rest as in production
        "DATABASE_URL": args.url,
        "SECRET_KEY": "load-benchmark",
        "MAIL_BACKEND": "dummy",
        "LOGIN_RATE_LIMIT": "100000 per minute",  # every simulated user logs in from 127.0.0.1
        "LOG_FORMAT": "json",
        "BENCH_IDS": str(work / "ids.json"),
    }
    env.pop("REDIS_URL", None)
    if prepare_database(args.url, args.reuse):
        started = time.perf_counter()
        flask(env, "db", "upgrade")
        flask(env, "seed-demo", "--volunteers", "2000", "--refugees", "5000", "--sponsorship-months", "12")
        print(f"filled in {time.perf_counter() - started:.0f} s (not measured): {counts(args.url)}")
    else:
        print(f"reusing {counts(args.url)}")
    visit_list(args.url, work / "ids.json")

    port = free_port()
    server_log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=server_log,
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
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, gunicorn 3 workers")
        locust(host, env, args.seconds, work / "load")
        print(f"\n50 users for {args.seconds} s (40 coordinators with 2–6 s think time, 10 refugees registering):\n")
        print(table(read_stats(work / "load"), args.seconds))
        locust(host, {**env, "BENCH_THINK": "0"}, args.saturation_seconds, work / "saturation")
        print(f"\nSaturation: the same 50 users without think time for {args.saturation_seconds} s:\n")
        print(table(read_stats(work / "saturation"), args.saturation_seconds))
        print(f"\nraw results and the server's log in {work}")
    finally:
        server.terminate()
        server.wait(20)
        server_log.close()


if __name__ == "__main__":
    main()
