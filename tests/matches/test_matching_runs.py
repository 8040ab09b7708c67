"""Matching runs: the problem from the database, stored proposals, and the coordinator's decisions."""

import pytest
from sqlalchemy import select

from app.matches.services import run_matching
from app.matching_problem import sponsorship_problem
from app.models import Agreement, AgreementStatus, MatchRun, Proposal, ProposalStatus


def test_a_run_stores_proposals_with_reasons_and_unmatched_with_a_reason(pair, make_refugee, db):
    volunteer, refugee = pair
    make_refugee("Yonas Haile", languages={"ti": "native"}, german_level=None, needs={"mentoring": "needed"})

    run = run_matching(actor=None)

    proposal = db.session.scalar(select(Proposal))
    assert (proposal.volunteer_id, proposal.refugee_id) == (volunteer.volunteer_profile.id, refugee.refugee_profile.id)
    assert {reason["code"] for reason in proposal.reasons} >= {"shared_language", "shared_need", "common_time"}
    assert run.metrics["proposed"] == 1 and run.metrics["unmatched"] == 1
    assert [entry.reason for entry in run.unmatched] == ["no_shared_language"]


def test_confirmed_sponsorships_are_locked_and_rejections_excluded(pair, make_volunteer, db):
    volunteer, refugee = pair
    other = make_volunteer(
        "Otto",
        email="otto@example.org",
        languages={"de": "native", "ar": "C1"},
        offers=("mentoring",),
        slots=("tue-afternoon",),
        capacity=2,
    )
    run = run_matching(actor=None)
    db.session.add(
        Agreement(
            refugee=refugee.refugee_profile,
            volunteer=volunteer.volunteer_profile,
            starts_on=run.created_at.date(),
            ends_on=run.created_at.date().replace(year=2030),
            status=AgreementStatus.ACTIVE,
        )
    )
    db.session.add(
        Proposal(
            run=run,
            volunteer=other.volunteer_profile,
            refugee=refugee.refugee_profile,
            score=0.5,
            reasons=[],
            alternatives=[],
            status=ProposalStatus.REJECTED,
        )
    )
    db.session.commit()

    problem = sponsorship_problem()

    assert problem["locked"] == [
        {"volunteer": f"v-{volunteer.volunteer_profile.id}", "mentee": f"r-{refugee.refugee_profile.id}"}
    ]
    assert problem["excluded"] == [
        {"volunteer": f"v-{other.volunteer_profile.id}", "mentee": f"r-{refugee.refugee_profile.id}"}
    ]


def test_people_in_a_draft_are_held_back(pair, db):
    volunteer, refugee = pair
    db.session.add(
        Agreement(
            refugee=refugee.refugee_profile,
            volunteer=volunteer.volunteer_profile,
            starts_on=volunteer.created_at.date(),
            ends_on=volunteer.created_at.date(),
            status=AgreementStatus.DRAFT,
        )
    )
    db.session.commit()
    problem = sponsorship_problem()
    assert problem["mentees"] == []
    assert problem["volunteers"][0]["capacity"] == 0


def test_a_new_run_supersedes_undecided_proposals(pair, db):
    run_matching(actor=None)
    run_matching(actor=None)
    statuses = [p.status for p in db.session.scalars(select(Proposal).order_by(Proposal.id))]
    assert statuses == [ProposalStatus.SUPERSEDED, ProposalStatus.PROPOSED]


def test_command_line(runner, pair, db):
    result = runner.invoke(args=["match", "run"])
    assert result.exit_code == 0 and "matched 1, unmatched 0" in result.output
    assert db.session.scalar(select(MatchRun)).started_by is None


def test_review_page_explains_proposals(coordinator_client, pair):
    coordinator_client.post("/matching/run")
    page = coordinator_client.get("/matching/").get_data(as_text=True)
    assert "Amal Haddad" in page and "Vera Volunteer" in page
    assert "beide sprechen Arabisch" in page and "Dienstag nachmittags" in page
    assert "gemeinsame interessen: fußball" in page.lower()


def test_unmatched_people_are_listed_with_what_would_help(coordinator_client, make_refugee, make_volunteer):
    make_volunteer(offers=("mentoring",), slots=("mon-morning",))
    make_refugee("Senait", languages={"ti": "native"}, german_level=None, needs={"mentoring": "needed"})
    coordinator_client.post("/matching/run")
    page = coordinator_client.get("/matching/").get_data(as_text=True)
    assert "Senait" in page and "Tigrinya" in page


@pytest.fixture
def proposal(coordinator_client, pair, db):
    coordinator_client.post("/matching/run")
    return db.session.scalar(select(Proposal))


def test_accepting_makes_a_draft_once(coordinator_client, proposal, db, outbox):
    response = coordinator_client.post(f"/matching/proposals/{proposal.id}/accept")
    agreement = db.session.scalar(select(Agreement))
    assert response.location.endswith(f"/sponsorships/{agreement.id}")
    assert agreement.status == AgreementStatus.DRAFT and [c.key for c in agreement.focus] == ["mentoring"]
    assert proposal.status == ProposalStatus.ACCEPTED
    assert [mail.to for mail in outbox] == [["vera@example.org"]]  # the refugee has no e-mail

    again = coordinator_client.post(f"/matching/proposals/{proposal.id}/accept", follow_redirects=True)
    assert "schon entschieden" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Agreement)).all()) == 1


def test_rejecting_needs_a_reason_and_excludes_the_pair(coordinator_client, proposal, db):
    coordinator_client.post(f"/matching/proposals/{proposal.id}/reject", data={"note": ""})
    assert proposal.status == ProposalStatus.PROPOSED

    coordinator_client.post(f"/matching/proposals/{proposal.id}/reject", data={"note": "kennen sich schon"})
    db.session.expire_all()
    assert proposal.status == ProposalStatus.REJECTED and proposal.decision_note == "kennen sich schon"
    assert sponsorship_problem()["excluded"] != []
    coordinator_client.post("/matching/run")
    assert db.session.scalar(select(Proposal).where(Proposal.status == ProposalStatus.PROPOSED)) is None


def test_swapping_to_an_alternative(coordinator_client, pair, make_volunteer, db):
    make_volunteer(
        "Otto",
        email="otto@example.org",
        languages={"de": "native", "ar": "C1"},
        offers=("mentoring",),
        slots=("tue-afternoon",),
        locality="werl",
    )
    coordinator_client.post("/matching/run")
    proposal = db.session.scalar(select(Proposal))
    alternative = proposal.alternatives[0]["volunteer"]

    coordinator_client.post(f"/matching/proposals/{proposal.id}/swap", data={"volunteer": str(alternative)})

    current = db.session.scalar(select(Proposal).where(Proposal.status == ProposalStatus.PROPOSED))
    assert current.volunteer_id == alternative and proposal.status == ProposalStatus.SUPERSEDED


@pytest.mark.parametrize("volunteer", ["999", "abc", ""])
def test_swapping_to_someone_else_is_refused(coordinator_client, proposal, db, volunteer):
    coordinator_client.post(f"/matching/proposals/{proposal.id}/swap", data={"volunteer": volunteer})
    assert proposal.status == ProposalStatus.PROPOSED and len(db.session.scalars(select(Proposal)).all()) == 1


def test_only_coordinators_match(volunteer_client):
    assert volunteer_client.get("/matching/").status_code == 403
    assert volunteer_client.post("/matching/run").status_code == 403
