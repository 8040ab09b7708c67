"""Ranking volunteers for one appointment (``matching.appointments``): rules, order, explanations."""

from __future__ import annotations

import json
import math
import random
import re
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file, in any import mode
from matching_reference import haversine_km  # noqa: E402

from matching.appointments import (  # noqa: E402
    APPOINTMENT_REASONS,
    EXCLUSIONS,
    AppointmentRequest,
    AppointmentVolunteer,
    Ranking,
    VolunteerPool,
    rank,
    ranking_to_json,
    request_from_json,
    slots_of,
    volunteer_from_json,
)
from matching.cli import main  # noqa: E402

SOEST = (51.5711, 8.1092)
WERL = (51.5549, 7.9114)  # about 13.8 km west of Soest
TUESDAY = datetime(2026, 12, 8)


def at(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return TUESDAY + timedelta(days=day, hours=hour, minutes=minute)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The tests' own haversine (matching_reference), independent of the engine's."""
    return haversine_km({"lat": a[0], "lon": a[1]}, {"lat": b[0], "lon": b[1]})


def request(**changes) -> AppointmentRequest:
    """Interpreting Arabic–German in Soest on a Tuesday morning."""
    base = AppointmentRequest(
        id="a-1", kind="interpreting", start=at(9, 30), end=at(11), place=SOEST, languages=("ar", "de")
    )
    return replace(base, **changes)


def volunteer(**changes) -> AppointmentVolunteer:
    """Someone who qualifies for :func:`request` as it is."""
    base = AppointmentVolunteer(
        id="v-1",
        kinds=frozenset({"interpreting", "accompaniment", "ride"}),
        languages={"ar": "native", "de": "C1"},
        home=SOEST,
        max_distance_km=10.0,
        availability=frozenset({"tue-morning"}),
        has_car=True,
        gender="f",
        clearance=True,
    )
    return replace(base, **changes)


def outcome(req: AppointmentRequest, vol: AppointmentVolunteer) -> str | None:
    """None if the volunteer is a candidate, else its exclusion code."""
    ranking = rank(req, [vol])
    if ranking.candidates:
        assert ranking.excluded == {}
        return None
    (code,) = ranking.excluded
    assert ranking.excluded[code] == 1
    return code


RULES = [
    # (case, request changes, volunteer changes, expected exclusion or None)
    ("offers the kind", {}, {}, None),
    ("does not offer it", {}, {"kinds": frozenset({"ride"})}, "no_matching_offer"),
    ("other bookable kind", {"kind": "homework_help", "languages": ()}, {"kinds": frozenset({"homework_help"})}, None),
    ("interpreter at B1", {}, {"languages": {"ar": "B1", "de": "B1"}}, None),
    ("interpreter at A2", {}, {"languages": {"ar": "A2", "de": "native"}}, "no_shared_language"),
    ("interpreter without German", {}, {"languages": {"ar": "native"}}, "no_shared_language"),
    ("accompaniment at A2", {"kind": "accompaniment", "languages": ("ar",)}, {"languages": {"ar": "A2"}}, None),
    (
        "accompaniment at A1",
        {"kind": "accompaniment", "languages": ("ar",)},
        {"languages": {"ar": "A1"}},
        "no_shared_language",
    ),
    ("no language asked", {"kind": "ride", "languages": ()}, {"languages": {}}, None),
    ("within reach", {"place": WERL}, {"max_distance_km": 14.0}, None),
    ("out of reach", {"place": WERL}, {"max_distance_km": 13.0}, "too_far"),
    ("same place, travels nowhere", {}, {"max_distance_km": 0.0}, None),
    ("ride with a car", {"kind": "ride", "languages": ()}, {}, None),
    ("ride without a car", {"kind": "ride", "languages": ()}, {"has_car": False}, "no_car"),
    (
        "driving without a car",
        {"kind": "driving", "languages": ()},
        {"kinds": frozenset({"driving"}), "has_car": False},
        "no_car",
    ),
    ("car needed, none", {"kind": "accompaniment", "needs_car": True}, {"has_car": False}, "no_car"),
    ("no car needed", {"kind": "accompaniment"}, {"has_car": False}, None),
    ("not free that morning", {}, {"availability": frozenset({"tue-afternoon", "wed-morning"})}, "no_common_time"),
    ("spans noon, free mornings only", {"start": at(11, 30), "end": at(12, 30)}, {}, "no_common_time"),
    (
        "spans noon, free both",
        {"start": at(11, 30), "end": at(12, 30)},
        {"availability": frozenset({"tue-morning", "tue-afternoon"})},
        None,
    ),
    ("ends at noon", {"start": at(11), "end": at(12)}, {}, None),
    ("evening", {"start": at(18), "end": at(19)}, {"availability": frozenset({"tue-evening"})}, None),
    (
        "over midnight",
        {"start": at(22), "end": at(1, day=1)},
        {"availability": frozenset({"tue-evening", "wed-morning"})},
        None,
    ),
    (
        "over midnight, free Tuesday only",
        {"start": at(22), "end": at(1, day=1)},
        {"availability": frozenset({"tue-evening"})},
        "no_common_time",
    ),
    ("busy inside", {}, {"busy": ((at(10), at(10, 30)),)}, "already_booked"),
    ("busy around", {}, {"busy": ((at(8), at(12)),)}, "already_booked"),
    ("busy overlapping the start", {}, {"busy": ((at(9), at(9, 31)),)}, "already_booked"),
    ("busy overlapping the end", {}, {"busy": ((at(10, 59), at(12)),)}, "already_booked"),
    ("busy until it starts", {}, {"busy": ((at(8), at(9, 30)),)}, None),
    ("busy from when it ends", {}, {"busy": ((at(11), at(12)),)}, None),
    ("busy another day", {}, {"busy": ((at(9, 30, day=7), at(11, day=7)),)}, None),
    ("woman wanted, woman", {"gender": "f"}, {}, None),
    ("woman wanted in words", {"gender": "female"}, {}, None),
    ("woman wanted, man", {"gender": "f"}, {"gender": "m"}, "gender_preference"),
    ("man wanted in words, woman", {"gender": "male"}, {}, "gender_preference"),
    ("woman wanted, not stated", {"gender": "f"}, {"gender": None}, "gender_preference"),
    ("anyone wanted, not stated", {}, {"gender": None}, None),
    ("children, clearance", {"children": True}, {}, None),
    ("children, no clearance", {"children": True}, {"clearance": False}, "clearance_required"),
    ("no children, no clearance", {}, {"clearance": False}, None),
    ("below the monthly limit", {}, {"monthly_limit": 4, "assignments_this_month": 3}, None),
    ("at the monthly limit", {}, {"monthly_limit": 4, "assignments_this_month": 4}, "monthly_limit_reached"),
    ("limit of none", {}, {"monthly_limit": 0}, "monthly_limit_reached"),
    ("no limit", {}, {"monthly_limit": None, "assignments_this_month": 40}, None),
]


@pytest.mark.parametrize(("req_changes", "vol_changes", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_each_rule_includes_and_excludes(req_changes, vol_changes, expected):
    assert outcome(request(**req_changes), volunteer(**vol_changes)) == expected


def test_every_exclusion_code_is_tested():
    assert {r[3] for r in RULES} - {None} == set(EXCLUSIONS)


def test_an_excluded_volunteer_counts_for_the_first_rule_it_fails():
    failing_all = volunteer(
        kinds=frozenset(),
        languages={},
        home=WERL,
        max_distance_km=1,
        has_car=False,
        availability=frozenset(),
        busy=((at(9), at(12)),),
        gender="m",
        clearance=False,
        monthly_limit=0,
    )
    req = request(kind="ride", gender="f", children=True)
    kinds = frozenset({"ride"})
    people = [
        replace(failing_all, id="a"),
        replace(failing_all, id="b", kinds=kinds),
        replace(failing_all, id="c", kinds=kinds, languages={"ar": "C2", "de": "C2"}),
        replace(failing_all, id="d", kinds=kinds, languages={"ar": "C2", "de": "C2"}, max_distance_km=20),
    ]
    assert rank(req, people).excluded == {"no_matching_offer": 1, "no_shared_language": 1, "too_far": 1, "no_car": 1}
    assert list(rank(req, [volunteer(kinds=frozenset()), volunteer(id="v-2")]).excluded) == ["no_matching_offer"]


def test_fairness_comes_first_then_nearness_then_language_then_id():
    people = [
        volunteer(id="near-busy", assignments_last_30_days=1),
        volunteer(id="far-idle", home=WERL, max_distance_km=20),
        volunteer(id="near-idle-b1", languages={"ar": "B1", "de": "native"}),
        volunteer(id="near-idle-native"),
        volunteer(id="near-idle-native-2"),
        volunteer(id="near-very-busy", assignments_last_30_days=7),
    ]
    ranking = rank(request(), people)
    assert [c.volunteer for c in ranking.candidates] == [
        "near-idle-native",
        "near-idle-native-2",
        "near-idle-b1",
        "far-idle",
        "near-busy",
        "near-very-busy",
    ]
    scores = [c.score for c in ranking.candidates]
    assert scores == sorted(scores, reverse=True)
    assert 0.5 <= scores[3] and scores[4] <= 0.5 and 1 / 9 <= scores[5] <= 1 / 8


def test_reasons_explain_the_score():
    (candidate,) = rank(request(), [volunteer(home=WERL, max_distance_km=20, assignments_last_30_days=2)]).candidates
    codes = [(r["code"], r["detail"]) for r in candidate.reasons]
    assert codes[0] == ("fewest_recent_assignments", "2")
    assert ("nearby", f"{km(SOEST, WERL):.1f}") in codes
    assert {detail for code, detail in codes if code == "speaks_language"} == {"ar", "de"}
    assert {code for code, _ in codes} <= set(APPOINTMENT_REASONS)
    weights = [r["weight"] for r in candidate.reasons]
    assert weights == sorted(weights, reverse=True)
    assert math.isclose(sum(weights), candidate.score, abs_tol=5e-6)


def test_limit_keeps_the_best_and_counts_stay_complete():
    people = [volunteer(id=f"v-{k:02d}", assignments_last_30_days=k % 5) for k in range(30)]
    full = rank(request(), people, limit=100)
    assert len(full.candidates) == 30
    for limit in (0, 1, 7, 30):
        assert rank(request(), people, limit=limit).candidates == full.candidates[:limit]


def test_the_same_volunteers_in_any_order_give_the_same_ranking():
    rng = random.Random(5)
    people = [
        volunteer(
            id=f"v-{k}", assignments_last_30_days=rng.randint(0, 2), home=rng.choice([SOEST, WERL]), max_distance_km=20
        )
        for k in range(40)
    ]
    expected = rank(request(), people)
    for _ in range(5):
        rng.shuffle(people)
        assert rank(request(), people) == expected
    pool = VolunteerPool(people)
    assert pool.rank(request()) == pool.rank(request()) == expected


def test_no_volunteers_no_candidates():
    assert rank(request(), []) == Ranking(candidates=(), excluded={})


@pytest.mark.parametrize(
    ("start", "end", "slots"),
    [
        (at(9, 30), at(11), {"tue-morning"}),
        (at(0), at(0, 1), {"tue-morning"}),
        (at(11, 59), at(12), {"tue-morning"}),
        (at(11, 59), at(12, 1), {"tue-morning", "tue-afternoon"}),
        (at(12), at(18), {"tue-afternoon"}),
        (at(17), at(18, 30), {"tue-afternoon", "tue-evening"}),
        (at(23), at(24), {"tue-evening"}),
        (at(23), at(0, 30, day=1), {"tue-evening", "wed-morning"}),
        (at(10), at(10, day=1), {"tue-morning", "tue-afternoon", "tue-evening", "wed-morning"}),
        (at(9, day=5), at(10, day=5), {"sun-morning"}),
    ],
)
def test_slots_of_an_appointment(start, end, slots):
    assert slots_of(start, end) == slots


def test_a_week_or_more_touches_every_slot():
    assert len(slots_of(at(9), at(9, day=7))) == 21


@pytest.mark.parametrize(
    ("req_changes", "vol_changes", "message"),
    [
        ({"end": at(9, 30)}, {}, "end after it starts"),
        ({"end": at(9)}, {}, "end after it starts"),
        ({"start": at(9).replace(tzinfo=timezone.utc)}, {}, "naive"),
        ({"gender": "w"}, {}, 'unknown gender "w"'),
        ({}, {"gender": "x"}, 'volunteers[v-1].gender: unknown gender "x"'),
        ({}, {"languages": {"ar": "B7"}}, 'volunteers[v-1].languages.ar: unknown level "B7"'),
        ({}, {"availability": frozenset({"tue-noon"})}, 'volunteers[v-1].availability: unknown slot "tue-noon"'),
        ({}, {"assignments_last_30_days": -1}, "negative"),
        ({}, {"assignments_last_30_days": 2**63}, "below 2"),
        ({}, {"monthly_limit": 10**30}, "below 2"),
    ],
)
def test_bad_input_is_refused_with_its_field(req_changes, vol_changes, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        rank(request(**req_changes), [volunteer(**vol_changes)])


@pytest.mark.parametrize("limit", [-1, -20])
def test_a_negative_limit_is_refused(limit):
    with pytest.raises(ValueError, match="limit"):
        rank(request(), [volunteer()], limit=limit)


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        rank(request(), [volunteer(), volunteer()])


# --- Property: the vectorised ranking against a plain per-volunteer check ------------------------

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
PLACES = [SOEST, WERL, (51.6, 8.2), (51.45, 8.35)]
KINDS = ["interpreting", "accompaniment", "ride"]
LANGS = ["de", "ar", "ti"]
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ALL_SLOTS = [f"{d}-{p}" for d in DAY_NAMES for p in ("morning", "afternoon", "evening")]
MONDAY = datetime(2026, 12, 7)


HALF_HOUR = timedelta(minutes=30)
MOSTLY = [True, True, True, False]


@st.composite
def cases(draw):
    """A request and volunteers drawn mostly to pass each rule, with busy times around the request,
    so that every rule and every edge (touching intervals, slot boundaries) is met often."""
    start = MONDAY + HALF_HOUR * draw(st.integers(0, 3 * 48))
    req = AppointmentRequest(
        id="a",
        kind=draw(st.sampled_from(KINDS)),
        start=start,
        end=start + HALF_HOUR * draw(st.integers(1, 30)),
        place=draw(st.sampled_from(PLACES)),
        languages=tuple(draw(st.lists(st.sampled_from(LANGS), max_size=2, unique=True))),
        gender=draw(st.sampled_from([None, None, "f", "m", "female"])),
        children=draw(st.booleans()),
        needs_car=draw(st.booleans()),
    )
    size = draw(st.integers(0, 25))
    ids = draw(st.lists(st.text("abcxyz", min_size=1, max_size=3), min_size=size, max_size=size, unique=True))
    people = []
    for ident in ids:
        busy = []
        for _ in range(draw(st.integers(0, 3))):
            begins = req.start + HALF_HOUR * draw(st.integers(-8, 8))
            busy.append((begins, begins + HALF_HOUR * draw(st.integers(1, 8))))
        dropped_slots = draw(st.sets(st.sampled_from(ALL_SLOTS[:12]), max_size=2))
        dropped_languages = draw(st.sets(st.sampled_from(LANGS), max_size=1))
        languages = {code: draw(st.sampled_from(["A1", "A2", "B1", "C2", "native"])) for code in LANGS}
        people.append(
            AppointmentVolunteer(
                id=ident,
                kinds=frozenset(KINDS) - draw(st.sets(st.sampled_from(KINDS), max_size=1)),
                languages={code: level for code, level in languages.items() if code not in dropped_languages},
                home=draw(st.sampled_from(PLACES)),
                max_distance_km=draw(st.sampled_from([0.0, 14.0, 30.0, 30.0])),
                availability=frozenset(ALL_SLOTS[:12]) - dropped_slots,
                has_car=draw(st.sampled_from(MOSTLY)),
                gender=draw(st.sampled_from([None, "f", "m", "d"])),
                clearance=draw(st.sampled_from(MOSTLY)),
                busy=tuple(busy),
                assignments_last_30_days=draw(st.integers(0, 3)),
                assignments_this_month=draw(st.integers(0, 3)),
                monthly_limit=draw(st.sampled_from([None, None, 1, 3])),
            )
        )
    return req, people


def reference_slots(start: datetime, end: datetime) -> set[str]:
    """Walk the appointment in 30-minute steps (all times in the property are on that grid)."""
    slots, moment = set(), start
    while moment < end:
        part = "morning" if moment.hour < 12 else "afternoon" if moment.hour < 18 else "evening"
        slots.add(f"{DAY_NAMES[moment.weekday()]}-{part}")
        moment += HALF_HOUR
    return slots


def reference_failures(req: AppointmentRequest, v: AppointmentVolunteer) -> list[str]:
    """Every rule the volunteer fails, in the documented order, written from the rules alone."""
    useful = "B1" if req.kind == "interpreting" else "A2"
    distance = km(req.place, v.home)
    wanted = {"female": "f", "male": "m"}.get(req.gender, req.gender)
    checks = [
        ("no_matching_offer", req.kind in v.kinds),
        (
            "no_shared_language",
            all(
                code in v.languages and LEVELS.index(v.languages[code]) >= LEVELS.index(useful)
                for code in req.languages
            ),
        ),
        ("too_far", distance <= v.max_distance_km),
        ("no_car", v.has_car or not (req.needs_car or req.kind == "ride")),
        ("no_common_time", reference_slots(req.start, req.end) <= v.availability),
        ("already_booked", not any(b < req.end and req.start < e for b, e in v.busy)),
        ("gender_preference", wanted is None or v.gender == wanted),
        ("clearance_required", v.clearance or not req.children),
        ("monthly_limit_reached", v.monthly_limit is None or v.assignments_this_month < v.monthly_limit),
    ]
    return [code for code, ok in checks if not ok]


def reference_within(req: AppointmentRequest, v: AppointmentVolunteer) -> float:
    language = (
        sum(LEVELS.index(v.languages[c]) + 1 for c in req.languages) / len(req.languages) / 7 if req.languages else 0
    )
    return 0.75 * math.exp(-km(req.place, v.home) / 10) + 0.25 * language


@settings(deadline=None)
@given(cases(), st.integers(0, 30))
def test_ranking_agrees_with_a_per_volunteer_check(case, limit):
    req, people = case
    ranking = rank(req, people, limit)
    failures = {v.id: reference_failures(req, v) for v in people}
    expected_excluded = {}
    for codes in failures.values():
        if codes:
            expected_excluded[codes[0]] = expected_excluded.get(codes[0], 0) + 1
    assert dict(ranking.excluded) == expected_excluded
    eligible = {v.id: v for v in people if not failures[v.id]}
    assert len(ranking.candidates) == min(limit, len(eligible))
    shown = [c.volunteer for c in ranking.candidates]
    assert len(set(shown)) == len(shown) and set(shown) <= set(eligible)
    for c in ranking.candidates:
        v = eligible[c.volunteer]
        r = v.assignments_last_30_days
        assert math.isclose(c.score, 1 / (r + 2) + reference_within(req, v) / ((r + 1) * (r + 2)), abs_tol=2e-6)

    # Best first: fewer recent assignments, then a higher score, then the id; nobody left out is better.
    def order(ident):
        v = eligible[ident]
        return (v.assignments_last_30_days, -round(reference_within(req, v) * 1_000_000), ident)

    assert all(order(a) <= order(b) for a, b in zip(shown, shown[1:], strict=False))
    if shown:
        assert all(order(shown[-1]) <= order(other) for other in set(eligible) - set(shown))


@settings(deadline=None)
@given(cases(), cases())
def test_one_pool_ranks_any_request_as_a_fresh_ranking_does(first, second):
    """A pool keeps nothing of one request for the next: each ranking equals rank() on its own."""
    (req, people), (other, _) = first, second
    pool = VolunteerPool(people)
    for each in (req, other, req):
        assert pool.rank(each, 5) == rank(each, people, 5)


# --- The command line: python -m matching rank-appointment INPUT.json ----------------------------

DOCUMENT = {
    "request": {
        "id": "a-1",
        "kind": "interpreting",
        "start": "2026-12-08T09:30",
        "end": "2026-12-08T11:00",
        "place": list(SOEST),
        "languages": ["ar", "de"],
        "gender": "f",
    },
    "volunteers": [
        {
            "id": "v-near",
            "kinds": ["interpreting"],
            "languages": {"ar": "native", "de": "B2"},
            "home": list(SOEST),
            "max_distance_km": 10,
            "availability": ["tue-morning"],
            "gender": "f",
            "busy": [["2026-12-08T11:00", "2026-12-08T12:00"]],
            "assignments_last_30_days": 1,
        },
        {
            "id": "v-far",
            "kinds": ["interpreting"],
            "languages": {"ar": "B1", "de": "native"},
            "home": list(WERL),
            "max_distance_km": 20,
            "availability": ["tue-morning"],
            "gender": "f",
        },
        {
            "id": "v-man",
            "kinds": ["interpreting"],
            "languages": {"ar": "native", "de": "native"},
            "home": list(SOEST),
            "max_distance_km": 10,
            "availability": ["tue-morning"],
            "gender": "m",
        },
    ],
}


def write(tmp_path: Path, document) -> str:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_the_command_line_ranks_a_json_file(tmp_path, capsys):
    assert main(["rank-appointment", write(tmp_path, DOCUMENT)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [c["volunteer"] for c in result["candidates"]] == ["v-far", "v-near"]
    assert result["excluded"] == {"gender_preference": 1}
    expected = rank(
        request(gender="f"),
        [
            volunteer(
                id="v-near",
                kinds=frozenset({"interpreting"}),
                languages={"ar": "native", "de": "B2"},
                clearance=False,
                has_car=False,
                busy=((at(11), at(12)),),
                assignments_last_30_days=1,
            ),
            volunteer(
                id="v-far",
                kinds=frozenset({"interpreting"}),
                languages={"ar": "B1", "de": "native"},
                home=WERL,
                max_distance_km=20,
                clearance=False,
                has_car=False,
            ),
            volunteer(
                id="v-man",
                kinds=frozenset({"interpreting"}),
                languages={"ar": "native", "de": "native"},
                gender="m",
                clearance=False,
                has_car=False,
            ),
        ],
    )
    assert result == ranking_to_json(expected)


def test_the_command_line_writes_a_file_and_limits(tmp_path):
    out = tmp_path / "ranking.json"
    assert main(["rank-appointment", write(tmp_path, DOCUMENT), "-o", str(out), "--limit", "1"]) == 0
    assert [c["volunteer"] for c in json.loads(out.read_text(encoding="utf-8"))["candidates"]] == ["v-far"]


def _changed(path: str, value):
    """DOCUMENT with the field at ``path`` (keys and indexes separated by dots) set to ``value``."""
    document = json.loads(json.dumps(DOCUMENT))
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = document
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return document


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("request", DELETE, "request: an object is needed"),
        ("volunteers", {}, '"volunteers": [...]'),
        ("request.start", "next tuesday", "request.start: "),
        ("request.end", "2026-12-08T09:00", "end after it starts"),
        ("request.place", [51.5], "request.place: "),
        ("request.languages", "ar", "request.languages: a list of strings"),
        ("request.kind", DELETE, "request.kind: missing"),
        ("volunteers.1.home", "Werl", "volunteers[1].home: "),
        ("volunteers.1.max_distance_km", "far", "volunteers[1].max_distance_km: a finite number"),
        ("volunteers.0.busy", [["2026-12-08T11:00"]], "volunteers[0].busy: item 0"),
        ("volunteers.0.assignments_last_30_days", 1.5, "volunteers[0].assignments_last_30_days: a whole number"),
        ("volunteers.0.assignments_this_month", 2**63, "below 2**63"),
        ("volunteers.2.languages", {"ar": "B7"}, 'volunteers[v-man].languages.ar: unknown level "B7"'),
        ("volunteers.2", "v-man", "volunteers[2]: an object is needed"),
    ],
)
def test_the_command_line_refuses_bad_input_naming_the_field(tmp_path, capsys, path, value, message):
    assert main(["rank-appointment", write(tmp_path, _changed(path, value))]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("volunteers.1.max_distance_km", 10**400, "volunteers[1].max_distance_km: "),
        ("volunteers.1.home", [10**400, 8.0], "volunteers[1].home: "),
        ("request.place", [51.5, -(10**400)], "request.place: "),
    ],
    ids=["distance", "home", "place"],
)
def test_numbers_no_float_holds_are_refused_naming_the_field(path, value, message):
    """JSON on the command line cannot carry them (its parser refuses), a caller's dict can."""
    document = _changed(path, value)
    with pytest.raises(ValueError, match=re.escape(message)):
        request_from_json(document["request"])
        for k, volunteer in enumerate(document["volunteers"]):
            volunteer_from_json(volunteer, f"volunteers[{k}]")


def test_the_command_line_refuses_invalid_json(tmp_path, capsys):
    path = tmp_path / "input.json"
    path.write_text("{", encoding="utf-8")
    assert main(["rank-appointment", str(path)]) == 2
    assert "invalid JSON" in capsys.readouterr().err
