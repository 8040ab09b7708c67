"""Benchmark of the appointment ranking (``matching.appointments``): one request among many volunteers.

    .venv/bin/python -m bench.appointments [--sizes 20000 100000] [--requests 50] [--json OUT.json]

Volunteers are the matching benchmark's (:func:`bench.generate.generate`,
``district`` regime, seed 1: the 14 towns of Kreis Soest, languages, offers,
slots, travel distances and clearance as the field reports describe), plus
what an appointment needs, drawn from a stream of their own: a car (most of
those who travel 15 km or more), 0–4 booked appointments in the next four
weeks, assignments in the last 30 days and this month, and a monthly limit
for a third. Sizes above the generated 20,000 repeat them with new ids (the
generator takes about a minute per 20,000 people; repeating keeps the mix).

Regimes, because the ranking must not be timed only where it is easy:

* ``district`` — requests as they come: interpreting (Arabic, Farsi,
  Ukrainian, Tigrinya … with German), accompaniment to authorities, rides;
  weekdays 8–17 h, any town; a fifth ask for a woman, a third involve
  children. A few hundred candidates or fewer.
* ``everyone`` — every volunteer qualifies (offers the kind, speaks the
  language, reaches the place, always free): sorting is the whole work; only
  the best 20 are explained.
* ``nobody`` — the same people, but everyone at their monthly limit: every
  rule is evaluated for everyone and nobody is left.
* ``busy`` — the district's people with 50 booked appointments each in the
  next four weeks (1 million intervals at 20,000).

Per regime and size: the time to build a :class:`VolunteerPool` (once per
set of volunteers), the time of ``pool.rank`` per request (median and
maximum over the requests) and of ``rank()`` end to end (pool built for the
one call, median of a few), and the candidates found.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import time
from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np

from bench.generate import generate
from matching.appointments import AppointmentRequest, AppointmentVolunteer, VolunteerPool, rank
from matching.encoding import SLOTS

MONDAY = datetime(2026, 12, 7)
GENERATED = 20_000
REQUEST_LANGUAGES = ["ar", "fa", "uk", "ti", "ps", "ku", "ru", "tr", "so"]
END_TO_END_RUNS = 5
BUSY_EACH = 50


_INTERVALS: dict[tuple[int, int], tuple[datetime, datetime]] = {}


def _busy(rng: np.random.Generator, count: int) -> tuple[tuple[datetime, datetime], ...]:
    """``count`` booked appointments in the next four weeks, on the quarter hour; equal intervals are
    one shared object, so that millions of them fit in memory (the pool converts each one anyway)."""
    quarters = sorted(rng.integers(0, 28 * 24 * 4, size=count).tolist())
    durations = rng.choice([60, 90, 120, 180], size=count).tolist()
    return tuple(
        _INTERVALS.setdefault((q, d), (MONDAY + timedelta(minutes=15 * q), MONDAY + timedelta(minutes=15 * q + d)))
        for q, d in zip(quarters, durations, strict=True)
    )


def district_volunteers(size: int, seed: int = 1) -> list[AppointmentVolunteer]:
    """The matching benchmark's volunteers, as the appointment ranking sees them."""
    problem, _ = generate(0, min(size, GENERATED), seed=seed, regime="district")
    places = {p["id"]: (p["lat"], p["lon"]) for p in problem["localities"]}
    rng = np.random.default_rng(seed + 1000)
    people = []
    for k in range(size):
        v = problem["volunteers"][k % GENERATED]
        lat, lon = places[v["locality"]]
        recent = int(rng.poisson(1.2))
        people.append(
            AppointmentVolunteer(
                id=v["id"] if k < GENERATED else f"{v['id']}-{k // GENERATED}",
                kinds=frozenset(v["offers"]),
                languages=v["languages"],
                home=(lat + rng.normal(0, 0.01), lon + rng.normal(0, 0.015)),  # within a town, not on one point
                max_distance_km=float(v["travel_km"]),
                availability=frozenset(v["availability"]),
                has_car=bool(rng.random() < (0.85 if v["travel_km"] >= 15 else 0.3)),
                gender=v["gender"],
                clearance=v["clearance"],
                busy=_busy(rng, int(rng.integers(0, 5))),
                assignments_last_30_days=recent,
                assignments_this_month=min(recent, int(rng.poisson(0.8))),
                monthly_limit=int(rng.integers(2, 7)) if rng.random() < 0.33 else None,
            )
        )
    return people


def district_requests(count: int, people: list[AppointmentVolunteer], seed: int = 1) -> list[AppointmentRequest]:
    rng = np.random.default_rng(seed + 2000)
    homes = [v.home for v in people[:GENERATED]]
    requests = []
    for k in range(count):
        start = MONDAY + timedelta(days=int(rng.integers(0, 5)), hours=int(rng.integers(8, 17)))
        kind = str(rng.choice(["interpreting", "authority_accompaniment", "driving"], p=[0.5, 0.3, 0.2]))
        language = str(rng.choice(REQUEST_LANGUAGES))
        languages = {"interpreting": (language, "de"), "authority_accompaniment": ("de",), "driving": ()}[kind]
        requests.append(
            AppointmentRequest(
                id=f"a-{k}",
                kind=kind,
                start=start,
                end=start + timedelta(minutes=int(rng.choice([45, 60, 90, 120, 180]))),
                place=homes[int(rng.integers(len(homes)))],
                languages=languages,
                gender="f" if rng.random() < 0.2 else None,
                children=bool(rng.random() < 0.33),
                needs_car=kind == "driving",
            )
        )
    return requests


def everyone_qualifies(people: list[AppointmentVolunteer]) -> list[AppointmentVolunteer]:
    return [
        replace(
            v,
            kinds=v.kinds | {"interpreting"},
            languages={**v.languages, "ar": "native", "de": "native"},
            max_distance_km=1000.0,
            availability=frozenset(SLOTS),
            busy=(),
            monthly_limit=None,
        )
        for v in people
    ]


def nobody_qualifies(people: list[AppointmentVolunteer]) -> list[AppointmentVolunteer]:
    return [replace(v, monthly_limit=v.assignments_this_month) for v in everyone_qualifies(people)]


def with_busy(people: list[AppointmentVolunteer], seed: int = 1) -> list[AppointmentVolunteer]:
    rng = np.random.default_rng(seed + 3000)
    return [replace(v, busy=_busy(rng, BUSY_EACH)) for v in people]


def _open_requests(count: int, people: list[AppointmentVolunteer]) -> list[AppointmentRequest]:
    """Interpreting Arabic–German anywhere in the district, at varying times (everyone/nobody regimes)."""
    return [
        replace(request, kind="interpreting", languages=("ar", "de"), gender=None, children=False, needs_car=False)
        for request in district_requests(count, people)
    ]


REGIMES = {
    "district": (lambda people: people, district_requests),
    "everyone": (everyone_qualifies, _open_requests),
    "nobody": (nobody_qualifies, _open_requests),
    "busy": (with_busy, district_requests),
}


def _timed(work):
    """``((result, wall seconds), CPU seconds of this process)`` of ``work()``. On a shared machine
    the wall time includes waiting for a core; the CPU time is the work itself."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return (result, time.perf_counter() - wall), time.process_time() - cpu


def measure(regime: str, base: list[AppointmentVolunteer], n_requests: int) -> dict:
    shape, make_requests = REGIMES[regime]
    people = shape(base)
    requests = make_requests(n_requests, people)
    # The generated people stay alive all along, as the app's data does: keep Python's cyclic
    # collector from walking millions of them on every collection the timed code happens to
    # trigger (which would time the generator's leftovers, not the ranking).
    gc.collect()
    gc.freeze()
    (pool, build), build_cpu = _timed(lambda: VolunteerPool(people))
    seconds, cpu, found = [], [], []
    for request in requests:
        (ranking, wall), used = _timed(lambda request=request: pool.rank(request))
        seconds.append(wall)
        cpu.append(used)
        found.append(len(people) - sum(ranking.excluded.values()))
    end_to_end, end_to_end_cpu = [], []
    for request in requests[:END_TO_END_RUNS]:
        (_, wall), used = _timed(lambda request=request: rank(request, people))
        end_to_end.append(wall)
        end_to_end_cpu.append(used)
    gc.unfreeze()
    return {
        "regime": regime,
        "volunteers": len(people),
        "busy_intervals": sum(len(v.busy) for v in people),
        "requests": len(requests),
        "build_ms": round(build * 1000, 1),
        "build_cpu_ms": round(build_cpu * 1000, 1),
        "rank_ms_median": round(statistics.median(seconds) * 1000, 2),
        "rank_ms_max": round(max(seconds) * 1000, 2),
        "rank_cpu_ms_median": round(statistics.median(cpu) * 1000, 2),
        "rank_cpu_ms_max": round(max(cpu) * 1000, 2),
        "end_to_end_ms_median": round(statistics.median(end_to_end) * 1000, 1),
        "end_to_end_cpu_ms_median": round(statistics.median(end_to_end_cpu) * 1000, 1),
        "candidates_median": int(statistics.median(found)),
    }


def markdown(rows: list[dict]) -> str:
    lines = [
        "| regime | volunteers | busy intervals | candidates (median) | pool built once, CPU (wall) "
        "| `pool.rank` median / max, CPU (wall) | `rank()` end to end, CPU (wall) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['regime']} | {r['volunteers']:,} | {r['busy_intervals']:,} | {r['candidates_median']:,} "
            f"| {r['build_cpu_ms']:.0f} ms ({r['build_ms']:.0f}) "
            f"| {r['rank_cpu_ms_median']:.1f} / {r['rank_cpu_ms_max']:.1f} ms "
            f"({r['rank_ms_median']:.1f} / {r['rank_ms_max']:.1f}) "
            f"| {r['end_to_end_cpu_ms_median']:.0f} ms ({r['end_to_end_ms_median']:.0f}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--regimes", nargs="+", choices=list(REGIMES), default=list(REGIMES))
    parser.add_argument("--requests", type=int, default=50, help="requests ranked per regime and size")
    parser.add_argument("--json", help="also write the rows here")
    args = parser.parse_args()
    base = district_volunteers(max(args.sizes))
    rows = []
    for size in args.sizes:
        for regime in args.regimes:
            rows.append(measure(regime, base[:size], args.requests))
            print(json.dumps(rows[-1]), flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{platform.machine()}, {os.cpu_count()} cores, load average {load}, Python {platform.python_version()}\n")
    print(markdown(rows))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)


if __name__ == "__main__":
    main()
