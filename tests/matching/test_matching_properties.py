"""Property tests on random small problems against the reference in matching_reference.py."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file, in any import mode
import matching_reference as ref  # noqa: E402
from matching_reference import engine_scores, proposable  # noqa: E402
from matching_strategies import problems  # noqa: E402

from matching import PAIR_REASONS, UNMATCHED_REASONS, propose  # noqa: E402

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOLVERS = ["exact", "fast"]
# Every example runs the whole engine and a brute-force reference.
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("solver", SOLVERS)
@SETTINGS
@given(problem=problems())
def test_pairs_respect_every_constraint_and_capacity(problem: dict, solver: str) -> None:
    out = propose(problem, solver=solver)
    volunteers = {v["id"]: v for v in problem["volunteers"]}
    mentees = {m["id"]: m for m in problem["mentees"]}
    locked = {(p["volunteer"], p["mentee"]) for p in problem["locked"]}
    load: dict[str, int] = {}
    for pair in out["pairs"]:
        key = (pair["volunteer"], pair["mentee"])
        load[pair["volunteer"]] = load.get(pair["volunteer"], 0) + 1
        assert pair["locked"] == (key in locked)
        assert 0.0 <= pair["score"] <= 1.0
        if not pair["locked"]:
            assert ref.feasible(problem, volunteers[key[0]], mentees[key[1]]), key
            assert pair["score"] >= problem["settings"]["min_score"]
    assert all(load[v] <= volunteers[v]["capacity"] for v in load)
    paired = [p["mentee"] for p in out["pairs"]]
    unmatched = [u["mentee"] for u in out["unmatched"]]
    assert len(paired) == len(set(paired))
    assert sorted(paired + unmatched) == sorted(mentees)  # every mentee exactly once
    assert locked <= {(p["volunteer"], p["mentee"]) for p in out["pairs"]}


@pytest.mark.parametrize("solver", SOLVERS)
@SETTINGS
@given(problem=problems())
def test_coverage_is_maximum(problem: dict, solver: str) -> None:
    out = propose(problem, solver=solver)
    expected = ref.max_coverage(problem, proposable(problem, engine_scores(problem)))
    assert out["metrics"]["matched"] == len(out["pairs"]) == expected + len(problem["locked"])


@pytest.mark.parametrize("solver", SOLVERS)
@settings(deadline=None)
@given(problem=problems(max_volunteers=3, max_mentees=5))
def test_total_score_equals_brute_force(problem: dict, solver: str) -> None:
    """Most matches, then the most value: the scores plus, per pair serving an urgent need, 1."""
    scores = engine_scores(problem)
    allowed = proposable(problem, scores)
    out = propose(problem, solver=solver)

    def value(v: dict, m: dict) -> float | None:
        return scores[v["id"], m["id"]] + ref.urgent(problem, v, m) if allowed(v, m) else None

    count, total = ref.best_assignment(problem, value)
    volunteers = {v["id"]: v for v in problem["volunteers"]}
    mentees = {m["id"]: m for m in problem["mentees"]}
    free = [p for p in out["pairs"] if not p["locked"]]
    assert len(free) == count
    achieved = sum(p["score"] + ref.urgent(problem, volunteers[p["volunteer"]], mentees[p["mentee"]]) for p in free)
    assert achieved == pytest.approx(total, abs=1e-5)
    assert out["metrics"]["proven_gap"] == 0.0


@SETTINGS
@given(problem=problems())
def test_unmatched_reasons_follow_the_contract_order(problem: dict) -> None:
    out = propose(problem)
    mentees = {m["id"]: m for m in problem["mentees"]}
    for entry in out["unmatched"]:
        assert entry["reason"] == ref.unmatched_reason(problem, mentees[entry["mentee"]]), entry
        assert entry["reason"] in UNMATCHED_REASONS
    locked = {p["mentee"] for p in problem["locked"]}
    assert not locked & {u["mentee"] for u in out["unmatched"]}


@pytest.mark.parametrize("solver", SOLVERS)
@SETTINGS
@given(problem=problems())
def test_alternatives_are_the_best_other_proposable_volunteers(problem: dict, solver: str) -> None:
    scores = engine_scores(problem)
    allowed = proposable(problem, scores)
    out = propose(problem, solver=solver)
    assigned = {p["mentee"]: p["volunteer"] for p in out["pairs"]}
    locked = {p["mentee"] for p in problem["locked"]}
    assert set(out["alternatives"]) == {m["id"] for m in problem["mentees"]} - locked
    for m in problem["mentees"]:
        if m["id"] in locked:
            continue
        others = sorted(
            (v for v in problem["volunteers"] if allowed(v, m) and v["id"] != assigned.get(m["id"])),
            key=lambda v: (-scores[v["id"], m["id"]], v["id"]),
        )
        expected = [(v["id"], scores[v["id"], m["id"]]) for v in others[: problem["settings"]["alternatives"]]]
        assert [(a["volunteer"], a["score"]) for a in out["alternatives"][m["id"]]] == expected


@SETTINGS
@given(problem=problems())
def test_same_input_same_output_even_shuffled(problem: dict) -> None:
    first = propose(problem)
    shuffled = copy.deepcopy(problem)
    rng = random.Random(7)
    for key in ("volunteers", "mentees", "localities", "locked", "excluded", "groups"):
        rng.shuffle(shuffled[key])
    again = propose(shuffled)
    for out in (first, again):
        del out["metrics"]["seconds"], out["metrics"]["seconds_by_stage"]
    assert first == again


@SETTINGS
@given(problem=problems())
def test_fast_and_exact_agree_on_small_problems(problem: dict) -> None:
    exact, fast = propose(problem, solver="exact"), propose(problem, solver="fast")
    assert exact["metrics"]["matched"] == fast["metrics"]["matched"]
    assert exact["metrics"]["total_score"] == pytest.approx(fast["metrics"]["total_score"], abs=1e-5)
    # Where several assignments are optimal (two identical mentees, one place), the solvers may leave a
    # different one out; only someone who could have been matched may differ, and then for lack of places.
    reasons = {
        solver: {u["mentee"]: u["reason"] for u in out["unmatched"]}
        for solver, out in (("exact", exact), ("fast", fast))
    }
    assert sorted(reasons["exact"].values()) == sorted(reasons["fast"].values())
    for mentee in reasons["exact"].keys() ^ reasons["fast"].keys():
        assert reasons["exact"].get(mentee, reasons["fast"].get(mentee)) == "capacity_exhausted"


@SETTINGS
@given(problem=problems())
def test_reasons_explain_the_score(problem: dict) -> None:
    codes = {"shared_language", "shared_need", "nearby", "common_time", "shared_interests", "similar_age"}
    # the vocabulary the engine publishes is the one it uses
    assert set(PAIR_REASONS) == codes | {"urgent_need"}
    volunteers = {v["id"]: v for v in problem["volunteers"]}
    mentees = {m["id"]: m for m in problem["mentees"]}
    for pair in propose(problem)["pairs"]:
        reasons = pair["reasons"]
        urgent = ref.urgent(problem, volunteers[pair["volunteer"]], mentees[pair["mentee"]])
        # An urgent need served comes first, weighing nothing: it decides who is served, not the score.
        assert (bool(reasons) and reasons[0]["code"] == "urgent_need") == urgent
        if urgent:
            assert reasons[0]["weight"] == 0.0 and reasons[0]["detail"]
            reasons = reasons[1:]
        assert {r["code"] for r in reasons} <= codes
        assert sum(r["weight"] for r in reasons) == pytest.approx(pair["score"], abs=1e-5)
        assert [r["weight"] for r in reasons] == sorted((r["weight"] for r in reasons), reverse=True)
