"""Edge cases named in the contract or likely in real data."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from matching import ProblemError, propose, reach, validate

EXAMPLE = Path(__file__).resolve().parents[2] / "matching" / "example-problem.json"
SOLVERS = ["exact", "fast"]


def person(kind: str, k: int, **changes) -> dict:
    base = {
        "id": f"{kind}-{k}",
        "gender": "f",
        "age": 40,
        "languages": {"de": "native"},
        "availability": ["mon-evening"],
        "locality": "soest",
        "travel_km": 5,
        "interests": ["football", "cooking"],
    }
    if kind == "v":
        base.update(offers=["mentoring"], capacity=1, clearance=True)
    else:
        base.update(needs=["mentoring"], involves_minors=False, preferred_mentor_gender=None)
    base.update(changes)
    return base


def problem(volunteers: list[dict], mentees: list[dict], **extra) -> dict:
    return {
        "version": 1,
        "localities": [{"id": "soest", "lat": 51.5711, "lon": 8.1092}, {"id": "werl", "lat": 51.5533, "lon": 7.9136}],
        "volunteers": volunteers,
        "mentees": mentees,
        **extra,
    }


@pytest.mark.parametrize("solver", SOLVERS)
def test_no_volunteers(solver: str) -> None:
    out = propose(problem([], [person("r", 1), person("r", 2)]), solver=solver)
    assert out["pairs"] == []
    assert out["unmatched"] == [
        {"mentee": "r-1", "reason": "no_matching_offer"},
        {"mentee": "r-2", "reason": "no_matching_offer"},
    ]
    assert out["metrics"]["matched"] == 0 and out["metrics"]["total_score"] == 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_no_mentees(solver: str) -> None:
    out = propose(problem([person("v", 1)], []), solver=solver)
    assert out["pairs"] == [] and out["unmatched"] == [] and out["alternatives"] == {}


def test_empty_problem() -> None:
    out = propose(problem([], []))
    assert out["pairs"] == [] and out["group_assignments"] == [] and out["group_shortfall"] == {}


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("distances_by_row", [False, True])
def test_capacity_zero_means_no_mentoring(solver: str, distances_by_row: bool, monkeypatch) -> None:
    if distances_by_row:  # as beyond reach.TABLE_UP_TO places: no volunteer column is no row to compute
        monkeypatch.setattr(reach, "TABLE_UP_TO", 0)
    out = propose(problem([person("v", 1, capacity=0)], [person("r", 1)]), solver=solver)
    assert out["pairs"] == []
    # No volunteer with capacity >= 1 survives the first constraint.
    assert out["unmatched"] == [{"mentee": "r-1", "reason": "no_matching_offer"}]
    assert out["alternatives"] == {"r-1": []}


@pytest.mark.parametrize("solver", SOLVERS)
def test_locked_pair_fills_the_volunteer(solver: str) -> None:
    volunteers = [person("v", 1, capacity=1)]
    mentees = [person("r", 1), person("r", 2)]
    out = propose(problem(volunteers, mentees, locked=[{"volunteer": "v-1", "mentee": "r-2"}]), solver=solver)
    assert [(p["volunteer"], p["mentee"], p["locked"]) for p in out["pairs"]] == [("v-1", "r-2", True)]
    assert out["unmatched"] == [{"mentee": "r-1", "reason": "capacity_exhausted"}]
    assert out["alternatives"] == {"r-1": [{"volunteer": "v-1", "score": out["pairs"][0]["score"]}]}


@pytest.mark.parametrize("solver", SOLVERS)
def test_locked_pairs_are_kept_even_if_infeasible_or_over_capacity(solver: str) -> None:
    volunteers = [person("v", 1, capacity=1, offers=["driving"])]
    mentees = [person("r", 1), person("r", 2), person("r", 3, needs=["driving"])]
    locked = [{"volunteer": "v-1", "mentee": "r-1"}, {"volunteer": "v-1", "mentee": "r-2"}]
    out = propose(problem(volunteers, mentees, locked=locked), solver=solver)
    assert [(p["mentee"], p["locked"]) for p in out["pairs"]] == [("r-1", True), ("r-2", True)]
    assert out["unmatched"] == [{"mentee": "r-3", "reason": "capacity_exhausted"}]
    assert "r-1" not in out["alternatives"] and "r-2" not in out["alternatives"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_excluded_pair_is_never_proposed(solver: str) -> None:
    out = propose(
        problem([person("v", 1)], [person("r", 1)], excluded=[{"volunteer": "v-1", "mentee": "r-1"}]), solver=solver
    )
    assert out["pairs"] == [] and out["alternatives"] == {"r-1": []}
    assert out["unmatched"] == [{"mentee": "r-1", "reason": "excluded"}]


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"needs": ["paperwork"]}, "no_matching_offer"),
        ({"languages": {"ar": "native", "de": "A1"}}, "no_shared_language"),
        ({"locality": "werl", "travel_km": 0}, "too_far"),
        ({"availability": ["sun-morning"]}, "no_common_time"),
        ({"preferred_mentor_gender": "m"}, "gender_preference"),
        ({"involves_minors": True}, "clearance_required"),
    ],
)
def test_each_unmatched_reason(changes: dict, reason: str) -> None:
    volunteers = [person("v", 1, travel_km=5, clearance=False)]
    out = propose(problem(volunteers, [person("r", 1, **{"travel_km": 0, **changes})]))
    assert out["unmatched"] == [{"mentee": "r-1", "reason": reason}]


def test_each_mentee_has_its_own_reason_among_others() -> None:
    """Mentees alike in what one constraint reads are checked together: the reasons must stay each one's own,
    and an exclusion is one mentee's alone (r-7 and r-8 pass everything but their own exclusion)."""
    volunteers = [
        person("v", 1, travel_km=5, clearance=False),
        person("v", 2, travel_km=5, clearance=False, languages={"fa": "native"}),
    ]
    reasons = {
        "no_matching_offer": {"needs": ["paperwork"]},
        "no_shared_language": {"languages": {"ar": "native", "de": "A1"}},
        "too_far": {"locality": "werl"},
        "no_common_time": {"availability": ["sun-morning"]},
        "gender_preference": {"preferred_mentor_gender": "m"},
        "clearance_required": {"involves_minors": True},
        "excluded": {},
    }
    mentees = [person("r", k, travel_km=0, **changes) for k, changes in enumerate(reasons.values(), start=1)]
    mentees.append(person("r", 8, travel_km=0, languages={"fa": "native"}))
    excluded = [{"volunteer": "v-1", "mentee": "r-7"}, {"volunteer": "v-2", "mentee": "r-8"}]
    out = propose(problem(volunteers, mentees, excluded=excluded))
    assert out["unmatched"] == [
        *({"mentee": f"r-{k}", "reason": reason} for k, reason in enumerate(reasons, start=1)),
        {"mentee": "r-8", "reason": "excluded"},
    ]


def test_distance_limit_is_inclusive_and_summed() -> None:
    # Soest–Werl is about 13.7 km: reachable with 10 + 4 km, not with 10 + 3 km.
    near = propose(problem([person("v", 1, travel_km=10)], [person("r", 1, locality="werl", travel_km=4)]))
    far = propose(problem([person("v", 1, travel_km=10)], [person("r", 1, locality="werl", travel_km=3)]))
    assert len(near["pairs"]) == 1 and far["unmatched"][0]["reason"] == "too_far"
    nearby = next(r for r in near["pairs"][0]["reasons"] if r["code"] == "nearby")
    assert float(nearby["detail"]) == pytest.approx(13.7, abs=0.1)


def test_min_language_level_applies_to_both_sides() -> None:
    settings = {"min_language_level": "B1"}
    ok = propose(
        problem([person("v", 1, languages={"de": "B1"})], [person("r", 1, languages={"de": "B2"})], settings=settings)
    )
    low = propose(
        problem(
            [person("v", 1, languages={"de": "native"})], [person("r", 1, languages={"de": "A2"})], settings=settings
        )
    )
    assert len(ok["pairs"]) == 1 and low["unmatched"][0]["reason"] == "no_shared_language"


def test_accepts_genders_filters_mentees() -> None:
    out = propose(problem([person("v", 1, accepts_genders=["f"])], [person("r", 1, gender="m")]))
    assert out["unmatched"] == [{"mentee": "r-1", "reason": "gender_preference"}]


def test_min_score_blocks_weak_pairs() -> None:
    weak = problem(
        [person("v", 1, interests=[], age=None)], [person("r", 1, interests=[])], settings={"min_score": 0.99}
    )
    del weak["volunteers"][0]["age"]
    out = propose(weak)
    assert out["pairs"] == [] and out["alternatives"] == {"r-1": []}


def test_coverage_beats_score() -> None:
    # r-1 would score best with v-1, but r-2 cannot reach anyone else (Soest–Werl is
    # about 13.7 km): matching both mentees comes first.
    volunteers = [
        person("v", 1, travel_km=5, interests=["football", "cooking"]),
        person("v", 2, locality="werl", travel_km=5, interests=[]),
    ]
    mentees = [
        person("r", 1, travel_km=10, interests=["football", "cooking"]),
        person("r", 2, travel_km=0, interests=["chess"]),
    ]
    out = propose(problem(volunteers, mentees))
    assert {(p["volunteer"], p["mentee"]) for p in out["pairs"]} == {("v-1", "r-2"), ("v-2", "r-1")}
    assert out["alternatives"]["r-1"][0]["volunteer"] == "v-1"


def test_unknown_keys_are_ignored() -> None:
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    noisy = copy.deepcopy(base)
    noisy["comment"] = "from the app"
    noisy["settings"]["colour"] = "blue"
    noisy["volunteers"][0]["phone"] = "+49 2921 0"
    noisy["mentees"][0]["residence_status"] = {"kind": "recognised"}
    noisy["localities"][0]["population"] = 47000
    noisy["groups"][0]["lead"] = "v-1"
    noisy["locked"][0]["since"] = "2024-01-01"
    first, second = propose(base), propose(noisy)
    for out in (first, second):
        del out["metrics"]["seconds"], out["metrics"]["seconds_by_stage"]
    assert first == second


@pytest.mark.parametrize("solver", ["fast", "exact"])
def test_whole_numbers_written_as_decimals_count_as_integers(solver: str) -> None:
    """JSON Schema's integers include 3.0; a caller's tool may write them so (found by mutating problems)."""
    volunteers = [person("v", k, capacity=1.0, age=40.0) for k in range(1, 5)]
    mentees = [person("r", 1, household_size=2.0)]
    out = propose(problem(volunteers, mentees, settings={"alternatives": 2.0}), solver=solver)
    assert len(out["pairs"]) == 1 and len(out["alternatives"]["r-1"]) == 2


def test_settings_are_optional() -> None:
    bare = problem([person("v", 1)], [person("r", 1)])
    assert "settings" not in bare
    out = propose(bare)
    assert len(out["pairs"]) == 1 and out["alternatives"] == {"r-1": []}


def test_validate_and_problem_error() -> None:
    validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    with pytest.raises(ProblemError) as caught:
        validate(problem([person("v", 1, travel_km=float("nan"))], []))
    assert caught.value.path == "volunteers[0].travel_km"
    with pytest.raises(ValueError):
        propose(problem([], []), solver="magic")


def test_reason_details_are_machine_usable() -> None:
    v = person(
        "v",
        1,
        languages={"ar": "native", "de": "native"},
        offers=["mentoring", "paperwork"],
        availability=["tue-evening", "sat-morning", "sun-evening"],
        interests=["football", "cooking", "chess"],
        age=50,
    )
    m = person(
        "r",
        1,
        languages={"ar": "native", "de": "A2"},
        needs=["paperwork", "mentoring", "driving"],
        availability=["sat-morning", "tue-evening"],
        interests=["cooking", "football", "cooking"],
        locality="soest",
        age=45,
    )
    pair = propose(problem([v], [m]))["pairs"][0]
    details = {r["code"]: r["detail"] for r in pair["reasons"]}
    assert details == {
        "shared_language": "ar",
        "shared_need": "mentoring, paperwork",
        "nearby": "0.0",
        "common_time": "tue-evening, sat-morning",
        "shared_interests": "cooking, football",
        "similar_age": "5",
    }
    assert all(isinstance(r["weight"], float) and r["weight"] > 0 for r in pair["reasons"])


def test_filter_order_checks_every_constraint() -> None:
    from matching.constraints import CHEAP_FIRST, CONSTRAINTS

    assert sorted(map(id, CHEAP_FIRST)) == sorted(id(check) for _, check in CONSTRAINTS)


def test_one_off_helpers_are_never_sponsors() -> None:
    out = propose(problem([person("v", 1, commitment="one_off")], [person("r", 1)]))
    assert out["pairs"] == [] and out["alternatives"] == {"r-1": []}
    assert out["unmatched"] == [{"mentee": "r-1", "reason": "one_off_only"}]
    kept = propose(problem([person("v", 1, commitment="3_months")], [person("r", 1)]))
    assert len(kept["pairs"]) == 1


def test_needs_served_elsewhere_are_not_sponsorship_needs() -> None:
    settings = {"served_elsewhere": ["driving", "interpreting"]}
    volunteers = [person("v", 1, offers=["driving", "mentoring"])]
    mentees = [person("r", 1, needs=["driving"]), person("r", 2, needs=["driving", "mentoring"])]
    out = propose(problem(volunteers, mentees, settings=settings))
    assert out["unmatched"] == [{"mentee": "r-1", "reason": "needs_served_elsewhere"}]
    pair = out["pairs"][0]
    assert pair["mentee"] == "r-2"
    assert {r["code"]: r["detail"] for r in pair["reasons"]}["shared_need"] == "mentoring"
    # Only the sponsorship need counts: the volunteer meets all of r-2's, so the need block is full.
    assert next(r["weight"] for r in pair["reasons"] if r["code"] == "shared_need") == pytest.approx(0.25)


@pytest.mark.parametrize(
    "hours, committed, expected",
    [({}, {}, 2), ({"hours_per_month": 16}, {}, 2), ({"hours_per_month": 16}, {"committed_hours": 8}, 1)],
)
def test_hours_limit_the_places(hours: dict, committed: dict, expected: int) -> None:
    volunteers = [person("v", 1, capacity=2, **hours, **committed)]
    out = propose(problem(volunteers, [person("r", k) for k in range(3)], settings={"hours_per_sponsorship": 8}))
    assert len(out["pairs"]) == expected
    assert {u["reason"] for u in out["unmatched"]} == {"capacity_exhausted"}


def test_no_hours_left_is_the_reason_when_hours_are_used_up() -> None:
    volunteers = [person("v", 1, capacity=2, hours_per_month=10, committed_hours=6)]
    out = propose(problem(volunteers, [person("r", 1)]))  # 4 free hours, 8 per sponsorship by default
    assert out["pairs"] == [] and out["unmatched"] == [{"mentee": "r-1", "reason": "no_hours_left"}]
    assert out["alternatives"] == {"r-1": [{"volunteer": "v-1", "score": pytest.approx(0.85, abs=0.2)}]}


@pytest.mark.parametrize("solver", SOLVERS)
def test_urgent_needs_come_first(solver: str) -> None:
    # r-1 would score higher (shared interests, same age), but r-2 needs paperwork urgently.
    volunteers = [person("v", 1, offers=["mentoring", "paperwork"], interests=["chess"], age=30)]
    mentees = [
        person("r", 1, needs=["mentoring"], interests=["chess"], age=30),
        person("r", 2, needs=["paperwork"], urgent_needs=["paperwork"], interests=[], age=70),
    ]
    out = propose(problem(volunteers, mentees), solver=solver)
    assert [(p["volunteer"], p["mentee"]) for p in out["pairs"]] == [("v-1", "r-2")]
    assert out["pairs"][0]["reasons"][0] == {"code": "urgent_need", "detail": "paperwork", "weight": 0.0}
    assert out["alternatives"]["r-1"][0]["score"] > out["pairs"][0]["score"]
    assert out["unmatched"] == [{"mentee": "r-1", "reason": "capacity_exhausted"}]


@pytest.mark.parametrize(
    "changes, path, message",
    [
        ({"commitment": "weekly"}, "volunteers[0].commitment", 'unknown commitment "weekly"'),
        ({"hours_per_month": -1}, "volunteers[0].hours_per_month", "out of range"),
        ({"committed_hours": float("inf")}, "volunteers[0].committed_hours", "finite"),
        # Unbounded by the schema, but beyond any float: refused by name, not an OverflowError in encoding.
        ({"travel_km": 10**400}, "volunteers[0].travel_km", "finite"),
        ({"committed_hours": 10**400}, "volunteers[0].committed_hours", "finite"),
        # Beyond what any person gives (and what an int64 or a month holds): refused, not a crash.
        ({"capacity": 10**30}, "volunteers[0].capacity", "out of range"),
        ({"capacity": 2**63}, "volunteers[0].capacity", "out of range"),
        ({"max_groups": 1001}, "volunteers[0].max_groups", "out of range"),
        ({"hours_per_month": 1e300}, "volunteers[0].hours_per_month", "out of range"),
    ],
)
def test_new_volunteer_fields_are_validated(changes: dict, path: str, message: str) -> None:
    with pytest.raises(ProblemError) as caught:
        validate(problem([person("v", 1, **changes)], []))
    assert caught.value.path == path and message in str(caught.value)


@pytest.mark.parametrize(
    "settings, path",
    [
        ({"hours_per_sponsorship": 0}, "settings.hours_per_sponsorship"),
        ({"hours_per_sponsorship": 10**400}, "settings.hours_per_sponsorship"),
        ({"served_elsewhere": "driving"}, "settings.served_elsewhere"),
    ],
)
def test_new_settings_are_validated(settings: dict, path: str) -> None:
    with pytest.raises(ProblemError) as caught:
        validate(problem([], [], settings=settings))
    assert caught.value.path == path


@pytest.mark.parametrize("changes", [{"household_size": 10**30}, {"household_size": 1001}])
def test_mentee_numbers_beyond_any_household_are_refused(changes: dict) -> None:
    with pytest.raises(ProblemError) as caught:
        validate(problem([], [person("r", 1, **changes)]))
    assert caught.value.path == "mentees[0].household_size"


@pytest.mark.parametrize("field", ["capacity", "language_quota", "locality_quota"])
def test_group_numbers_beyond_any_group_are_refused(field: str) -> None:
    value = 10**30 if field == "capacity" else {"de": 10**30}
    group = {"id": "pool", "requires_offer": "interpreting", "capacity": 5, field: value}
    with pytest.raises(ProblemError) as caught:
        validate(problem([], [], groups=[group]))
    assert caught.value.path.startswith(f"groups[0].{field}")


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_tiny_sponsorship_leaves_the_declared_capacity(solver: str) -> None:
    # 744 hours / 1e-300 per sponsorship is no int64: the places are the declared capacity.
    volunteers = [person("v", 1, capacity=2, hours_per_month=744)]
    out = propose(
        problem(volunteers, [person("r", k) for k in range(3)], settings={"hours_per_sponsorship": 1e-300}), solver
    )
    assert len(out["pairs"]) == 2
