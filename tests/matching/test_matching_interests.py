"""Interests are keys of one vocabulary: the engine compares keys, never words."""

from __future__ import annotations

import pytest

from matching import ProblemError, propose, validate
from tests.matching.test_matching_edge_cases import person, problem


def _interest_reason(pair: dict) -> dict | None:
    return next((r for r in pair["reasons"] if r["code"] == "shared_interests"), None)


@pytest.mark.parametrize("solver", ["exact", "fast"])
def test_shared_keys_decide_between_otherwise_equal_volunteers(solver: str) -> None:
    volunteers = [person("v", 1, interests=["chess", "music"]), person("v", 2, interests=["cooking", "football"])]
    mentee = person("r", 1, interests=["football", "swimming", "cooking"])
    out = propose(problem(volunteers, [mentee]), solver=solver)
    pair = out["pairs"][0]
    assert pair["volunteer"] == "v-2"
    assert _interest_reason(pair)["detail"] == "football, cooking"  # in the mentee's order
    assert out["alternatives"]["r-1"][0]["volunteer"] == "v-1"


def test_the_same_keys_count_fully_and_repeated_keys_once() -> None:
    pair = propose(
        problem([person("v", 1, interests=["football", "football"])], [person("r", 1, interests=["football"])])
    )["pairs"][0]
    assert _interest_reason(pair) == {"code": "shared_interests", "detail": "football", "weight": 0.1}


def test_no_shared_key_no_interest_reason() -> None:
    pair = propose(problem([person("v", 1, interests=["chess"])], [person("r", 1, interests=["football"])]))["pairs"][0]
    assert _interest_reason(pair) is None


def test_an_interest_everybody_names_counts_less_than_a_rare_one() -> None:
    # Everybody likes cooking; only v-2 and r-1 play chess.
    volunteers = [
        person("v", 1, interests=["cooking"]),
        person("v", 2, interests=["chess"]),
        person("v", 3, locality="werl", travel_km=0, interests=["cooking"]),
    ]
    mentees = [
        person("r", 1, interests=["cooking", "chess"]),
        person("r", 2, locality="werl", travel_km=0, interests=["cooking"]),
    ]
    out = propose(problem(volunteers, mentees, settings={"alternatives": 3}))
    pair = next(p for p in out["pairs"] if p["mentee"] == "r-1")
    assert pair["volunteer"] == "v-2" and _interest_reason(pair)["detail"] == "chess"
    assert [a["volunteer"] for a in out["alternatives"]["r-1"]] == ["v-1"]
    assert out["alternatives"]["r-1"][0]["score"] < pair["score"]


@pytest.mark.parametrize("interests", ["football, cooking", ["football", 7]])
def test_interests_are_a_list_of_keys(interests) -> None:
    with pytest.raises(ProblemError) as caught:
        validate(problem([person("v", 1, interests=interests)], []))
    assert caught.value.path.startswith("volunteers[0].interests")
