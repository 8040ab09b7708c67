"""Working groups: eligibility, capacities, minimal shortfall (brute force), preferences."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file, in any import mode
from matching_strategies import problems  # noqa: E402

from matching import GROUP_REASONS, propose  # noqa: E402

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]


def counts(v: dict, kind: str, code: str) -> bool:
    if kind == "language":
        return code in v["languages"] and LEVELS.index(v["languages"][code]) >= LEVELS.index("B2")
    return v["locality"] == code


def shortfall(problem: dict, members: dict[str, list[dict]]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for group in problem["groups"]:
        for kind in ("language", "locality"):
            for code, required in group.get(f"{kind}_quota", {}).items():
                missing = required - sum(counts(v, kind, code) for v in members.get(group["id"], []))
                if missing > 0:
                    result.setdefault(group["id"], {})[f"{kind}:{code}"] = missing
    return result


def minimal_total_shortfall(problem: dict) -> int:
    """Brute force over each volunteer's set of groups."""
    groups = problem["groups"]
    options = []
    for v in problem["volunteers"]:
        eligible = [g["id"] for g in groups if g["requires_offer"] in v["offers"]]
        limit = v.get("max_groups", 1)
        options.append([c for r in range(min(limit, len(eligible)) + 1) for c in itertools.combinations(eligible, r)])
    capacity = {g["id"]: g["capacity"] for g in groups}
    best = None
    for choice in itertools.product(*options):
        members: dict[str, list[dict]] = {}
        for v, joined in zip(problem["volunteers"], choice, strict=True):
            for g in joined:
                members.setdefault(g, []).append(v)
        if any(len(ms) > capacity[g] for g, ms in members.items()):
            continue
        total = sum(sum(q.values()) for q in shortfall(problem, members).values())
        best = total if best is None else min(best, total)
    return best or 0


@pytest.mark.slow
@settings(deadline=None)
@given(problem=problems(max_volunteers=4, max_mentees=0))
def test_groups_respect_rules_and_minimise_shortfall(problem: dict) -> None:
    out = propose(problem)
    volunteers = {v["id"]: v for v in problem["volunteers"]}
    groups = {g["id"]: g for g in problem["groups"]}
    members: dict[str, list[dict]] = {}
    per_volunteer: dict[str, int] = {}
    for a in out["group_assignments"]:
        v, g = volunteers[a["volunteer"]], groups[a["group"]]
        assert g["requires_offer"] in v["offers"]
        assert {"code": "offers_activity", "detail": g["requires_offer"]} in a["reasons"]
        assert {r["code"] for r in a["reasons"]} <= set(GROUP_REASONS)
        members.setdefault(g["id"], []).append(v)
        per_volunteer[v["id"]] = per_volunteer.get(v["id"], 0) + 1
    assert all(len(ms) <= groups[g]["capacity"] for g, ms in members.items())
    assert all(n <= volunteers[v].get("max_groups", 1) for v, n in per_volunteer.items())
    assert out["group_shortfall"] == shortfall(problem, members)
    total = sum(sum(q.values()) for q in out["group_shortfall"].values())
    assert total == minimal_total_shortfall(problem)


def group_problem(volunteers: list[dict], groups: list[dict]) -> dict:
    return {
        "version": 1,
        "localities": [{"id": "soest", "lat": 51.57, "lon": 8.11}, {"id": "werl", "lat": 51.55, "lon": 7.91}],
        "volunteers": volunteers,
        "mentees": [],
        "groups": groups,
    }


def volunteer(k: int, **changes) -> dict:
    base = {
        "id": f"v-{k}",
        "gender": "f",
        "languages": {"de": "native"},
        "offers": ["driving", "interpreting"],
        "availability": [],
        "locality": "soest",
        "travel_km": 5,
        "capacity": 0,
        "clearance": False,
    }
    base.update(changes)
    return base


def test_earlier_preferences_win() -> None:
    groups = [
        {"id": "a", "requires_offer": "driving", "capacity": 1},
        {"id": "b", "requires_offer": "interpreting", "capacity": 1},
    ]
    out = propose(
        group_problem([volunteer(1, group_preferences=["b", "a"]), volunteer(2, group_preferences=["b"])], groups)
    )
    # Both cannot get "b"; v-1 takes its second choice so that v-2 gets its only one.
    assert [(a["volunteer"], a["group"]) for a in out["group_assignments"]] == [("v-1", "a"), ("v-2", "b")]
    preferred = next(r for r in out["group_assignments"][0]["reasons"] if r["code"] == "preferred_group")
    assert preferred["detail"] == "2"


def test_quota_filled_by_volunteer_who_did_not_ask() -> None:
    groups = [{"id": "pool", "requires_offer": "interpreting", "capacity": 2, "language_quota": {"ar": 1}}]
    out = propose(group_problem([volunteer(1, languages={"ar": "C1"}), volunteer(2)], groups))
    assert [(a["volunteer"], a["group"]) for a in out["group_assignments"]] == [("v-1", "pool")]
    assert {"code": "fills_language_quota", "detail": "ar"} in out["group_assignments"][0]["reasons"]
    assert out["group_shortfall"] == {}


def test_group_without_eligible_volunteers_reports_its_shortfall() -> None:
    groups = [
        {
            "id": "bikes",
            "requires_offer": "bicycle",
            "capacity": 3,
            "locality_quota": {"werl": 2, "soest": 0},
            "language_quota": {"uk": 1},
        }
    ]
    out = propose(group_problem([volunteer(1, group_preferences=["bikes"])], groups))
    assert out["group_assignments"] == []
    assert out["group_shortfall"] == {"bikes": {"language:uk": 1, "locality:werl": 2}}
