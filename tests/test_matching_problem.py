"""The adapter between database rows and the matching engine's contract (app/matching_problem.py)."""

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import matching
from app.matching_problem import (
    HOURS_PER_SPONSORSHIP,
    SETTINGS,
    mentee_ref,
    refugee_profile_id,
    sponsorship_problem,
    volunteer_profile_id,
    volunteer_ref,
)
from app.models import Agreement, AgreementStatus, Commitment, LanguageLevel
from matching.levels import LEVELS


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_row_ids_survive_the_round_trip(profile_id):
    assert volunteer_profile_id(volunteer_ref(profile_id)) == profile_id
    assert refugee_profile_id(mentee_ref(profile_id)) == profile_id
    assert volunteer_ref(profile_id) != mentee_ref(profile_id)


@pytest.mark.parametrize(
    "decode, ref",
    [
        (volunteer_profile_id, "r-1"),
        (refugee_profile_id, "v-1"),
        (volunteer_profile_id, "v-"),
        (volunteer_profile_id, "v-x"),
        (volunteer_profile_id, "v--1"),
        (volunteer_profile_id, "v-1.5"),
        (volunteer_profile_id, "v-٣"),  # an Arabic-Indic digit is not an id this adapter wrote
        (refugee_profile_id, "1"),
        (refugee_profile_id, ""),
    ],
)
def test_ids_the_adapter_did_not_write_are_refused(decode, ref):
    with pytest.raises(ValueError):
        decode(ref)


def test_the_app_orders_language_levels_as_the_engine():
    assert [str(level) for level in LanguageLevel] == list(LEVELS)


@pytest.mark.parametrize(
    "level, little",
    [(None, True), ("A1", True), ("A2", True), ("B1", False), ("B2", False), ("native", False)],
)
def test_little_german_is_below_the_independent_level(make_refugee, level, little):
    refugee = make_refugee(german_level=LanguageLevel(level) if level else None).refugee_profile
    assert refugee.has_little_german is little


def test_the_problem_is_valid_and_its_ids_lead_back_to_the_rows(pair):
    volunteer, refugee = pair
    problem = sponsorship_problem()

    matching.validate(problem)
    assert problem["settings"] == {**SETTINGS, "served_elsewhere": problem["settings"]["served_elsewhere"]}
    assert [volunteer_profile_id(v["id"]) for v in problem["volunteers"]] == [volunteer.volunteer_profile.id]
    assert [refugee_profile_id(m["id"]) for m in problem["mentees"]] == [refugee.refugee_profile.id]


def test_both_sides_pass_their_interest_keys_not_their_words(pair):
    problem = sponsorship_problem()
    assert [v["interests"] for v in problem["volunteers"]] == [["cooking", "football"]]
    assert [m["interests"] for m in problem["mentees"]] == [["football"]]
    reasons = {r["code"]: r for r in matching.propose(problem)["pairs"][0]["reasons"]}
    assert reasons["shared_interests"]["detail"] == "football" and reasons["shared_interests"]["weight"] > 0


def test_an_unstated_gender_is_passed_as_diverse(make_volunteer):
    make_volunteer(gender=None)
    assert [v["gender"] for v in sponsorship_problem()["volunteers"]] == ["d"]


RECENT, OLD = date.today() - timedelta(days=100), date(2015, 1, 1)


@pytest.mark.parametrize(
    "issued, checked, valid",
    [(None, None, False), (RECENT, None, False), (RECENT, RECENT, True), (OLD, OLD + timedelta(days=3), False)],
)
def test_only_a_checked_recent_clearance_counts(make_volunteer, issued, checked, valid):
    make_volunteer(clearance_issued_on=issued, clearance_checked_on=checked)
    assert [v["clearance"] for v in sponsorship_problem()["volunteers"]] == [valid]


def unmatched(problem) -> dict[str, str]:
    return {entry["mentee"]: entry["reason"] for entry in matching.propose(problem)["unmatched"]}


def test_urgent_needs_are_passed_and_come_first(make_volunteer, make_refugee):
    volunteer = make_volunteer(languages={"ar": "native"}, offers=("paperwork", "mentoring"), capacity=1)
    calm = make_refugee(needs={"mentoring": "needed"}, slots=("tue-evening",))
    urgent = make_refugee(needs={"paperwork": "urgent", "mentoring": "needed"}, slots=("tue-evening",))
    problem = sponsorship_problem()
    by_id = {m["id"]: m for m in problem["mentees"]}
    assert by_id[mentee_ref(urgent.refugee_profile.id)]["urgent_needs"] == ["paperwork"]
    assert by_id[mentee_ref(calm.refugee_profile.id)]["urgent_needs"] == []
    [pair] = matching.propose(problem)["pairs"]
    assert pair["mentee"] == mentee_ref(urgent.refugee_profile.id)
    assert pair["volunteer"] == volunteer_ref(volunteer.volunteer_profile.id)
    assert pair["reasons"][0] == {"code": "urgent_need", "detail": "paperwork", "weight": 0.0}


def test_a_one_off_helper_is_never_proposed_as_a_sponsor(make_volunteer, make_refugee):
    make_volunteer(languages={"ar": "native"}, slots=("tue-afternoon",), commitment=Commitment.ONE_OFF)
    refugee = make_refugee()
    problem = sponsorship_problem()
    assert [v["commitment"] for v in problem["volunteers"]] == ["one_off"]
    assert unmatched(problem) == {mentee_ref(refugee.refugee_profile.id): "one_off_only"}


def test_current_commitments_count_against_the_hours(make_volunteer, make_refugee, make_group, db):
    volunteer = make_volunteer(
        languages={"ar": "native"}, slots=("tue-afternoon",), capacity=3, hours_per_month=2 * HOURS_PER_SPONSORSHIP + 1
    )
    make_group(members=[(volunteer, "active", False)], meeting_minutes=60, meeting_every_weeks=4)  # about 1.08 h
    earlier = make_refugee(needs={"paperwork": "needed"})
    db.session.add(
        Agreement(
            refugee=earlier.refugee_profile,
            volunteer=volunteer.volunteer_profile,
            starts_on=volunteer.created_at.date(),
            ends_on=volunteer.created_at.date(),
            status=AgreementStatus.DRAFT,
            meetings_per_month=1,
            hours_per_meeting=HOURS_PER_SPONSORSHIP,
        )
    )
    db.session.commit()
    refugee = make_refugee()
    problem = sponsorship_problem()
    [record] = problem["volunteers"]
    assert record["hours_per_month"] == 2 * HOURS_PER_SPONSORSHIP + 1
    assert record["committed_hours"] == pytest.approx(HOURS_PER_SPONSORSHIP + 52 / 12 / 4, abs=0.01)
    assert record["capacity"] == 2  # the draft holds one of three places; its hours leave too few for another
    assert unmatched(problem) == {mentee_ref(refugee.refugee_profile.id): "no_hours_left"}


def test_needs_a_working_group_serves_are_not_sponsorship_needs(make_volunteer, make_refugee):
    make_volunteer(languages={"ar": "native"}, slots=("tue-afternoon",), offers=("interpreting", "mentoring"))
    refugee = make_refugee(needs={"interpreting": "urgent"})
    problem = sponsorship_problem()
    assert {"interpreting", "driving", "bicycle", "sport", "clothing_store"} <= set(
        problem["settings"]["served_elsewhere"]
    )
    assert "mentoring" not in problem["settings"]["served_elsewhere"]
    assert unmatched(problem) == {mentee_ref(refugee.refugee_profile.id): "needs_served_elsewhere"}


ENGINE_PUBLIC_MODULES = {"matching", "matching.levels", "matching.reach", "matching.records"}


def test_the_app_uses_only_the_engines_public_names():
    for path in sorted((Path(__file__).resolve().parents[1] / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] == "matching":
                assert node.module in ENGINE_PUBLIC_MODULES, f"{path.name} imports {node.module}"
                assert not any(alias.name.startswith("_") for alias in node.names), f"{path.name}: {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "matching":
                        assert alias.name in ENGINE_PUBLIC_MODULES, f"{path.name} imports {alias.name}"
