"""Matching per scope: a run covers its coordinator's refugees and the volunteers who reach them, leaves
other scopes' proposals alone, shares a volunteer's capacity, and runs take turns."""

import pytest
from sqlalchemy import select

from app.jobs import services as runs
from app.matches.services import MATCHING_JOB, OtherRunInProgress, run_matching, start_run
from app.models import Proposal, ProposalStatus, Role

PERSON = {"languages": {"ar": "native"}, "needs": {"mentoring": "needed"}, "slots": ("tue-afternoon",)}
HELPER = {"languages": {"de": "native", "ar": "B2"}, "offers": ("mentoring",), "slots": ("tue-afternoon",)}


@pytest.fixture
def two_areas(make_user, make_refugee, make_volunteer):
    """Lippstadt and Werl (30 km apart), each with a coordinator, a family and a helper at home."""
    lippstadt = make_user(Role.COORDINATOR, email="l@example.org", places=("lippstadt",))
    werl = make_user(Role.COORDINATOR, email="w@example.org", places=("werl",))
    families = {
        place: make_refugee(f"Family {place}", locality=place, **PERSON).refugee_profile
        for place in ("lippstadt", "werl")
    }
    helpers = {
        place: make_volunteer(f"Helper {place}", locality=place, travel_km=5, capacity=1, **HELPER).volunteer_profile
        for place in ("lippstadt", "werl")
    }
    return {"lippstadt": lippstadt, "werl": werl}, families, helpers


def proposals(db, status=ProposalStatus.PROPOSED) -> set[tuple[int, int]]:
    rows = db.session.execute(select(Proposal.refugee_id, Proposal.volunteer_id).where(Proposal.status == status))
    return set(map(tuple, rows))


def test_a_run_covers_the_scope_and_leaves_other_scopes_alone(db, two_areas):
    coordinators, families, helpers = two_areas
    run_matching(coordinators["werl"])
    werl_pair = (families["werl"].id, helpers["werl"].id)
    assert proposals(db) == {werl_pair}

    run = run_matching(coordinators["lippstadt"])

    assert run.scope == "lippstadt"
    assert proposals(db) == {werl_pair, (families["lippstadt"].id, helpers["lippstadt"].id)}
    assert proposals(db, ProposalStatus.SUPERSEDED) == set()
    run_matching(coordinators["lippstadt"])  # a second run supersedes only its own scope's proposals
    assert proposals(db, ProposalStatus.SUPERSEDED) == {(families["lippstadt"].id, helpers["lippstadt"].id)}


def test_a_volunteer_who_reaches_two_areas_has_one_place_between_them(db, make_user, make_volunteer, make_refugee):
    # Erwitte lies 6.7 km from Lippstadt: Erwin reaches both, and has room for one family.
    erwin = make_volunteer("Erwin", locality="erwitte", travel_km=10, capacity=1, **HELPER).volunteer_profile
    families = [make_refugee(f"Family {p}", locality=p, **PERSON).refugee_profile for p in ("lippstadt", "erwitte")]
    coordinators = [make_user(Role.COORDINATOR, places=(place,)) for place in ("lippstadt", "erwitte")]

    first = run_matching(coordinators[0])
    second = run_matching(coordinators[1])

    assert proposals(db) == {(families[0].id, erwin.id)}
    assert (first.metrics["proposed"], second.metrics["proposed"], second.metrics["unmatched"]) == (1, 0, 1)


def test_a_run_of_another_scope_in_progress_refuses_a_second(db, two_areas):
    coordinators, _, _ = two_areas
    first, created = start_run(coordinators["werl"], queue=False)
    assert created

    with pytest.raises(OtherRunInProgress):
        start_run(coordinators["lippstadt"], queue=False)
    same, created_again = start_run(coordinators["werl"], queue=False)
    assert same.id == first.id and not created_again
    assert runs.active_run(MATCHING_JOB).id == first.id
