"""Matching runs: the problem built from the database, the engine's proposals stored, and the decisions on them."""

import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import selectinload

import matching
from app import audit
from app.extensions import db
from app.jobs.services import stage
from app.matching_problem import (
    matchable_refugees,
    matchable_volunteers,
    mentee_id,
    mentee_record,
    problem,
    volunteer_id,
    volunteer_record,
)
from app.models import (
    HOLDING_STATUSES,
    Agreement,
    AgreementStatus,
    MatchRun,
    Proposal,
    ProposalStatus,
    RefugeeProfile,
    UnmatchedRefugee,
    User,
    VolunteerProfile,
    utcnow,
)

ALTERNATIVES = 3


class ProposalError(Exception):
    """A decision that no longer fits the proposal's state (decided already, stale form); the message says which."""


def _agreement_pairs(statuses) -> list[tuple[int, int, int | None]]:
    return list(
        db.session.execute(
            select(Agreement.volunteer_id, Agreement.refugee_id, Agreement.second_volunteer_id).where(
                Agreement.status.in_(statuses)
            )
        )
    )


def build_problem() -> tuple[dict, dict[str, VolunteerProfile], dict[str, RefugeeProfile]]:
    """The contract problem of everyone who can be matched now.

    Confirmed and active sponsorships are locked; pairs that coordination
    rejected or a party declined are excluded. People in a draft agreement are
    being asked: the refugee is left out and the volunteers' place is kept.
    """
    volunteers = {volunteer_id(p): p for p in matchable_volunteers()}
    refugees = {mentee_id(p): p for p in matchable_refugees()}
    stage("building")
    pending = Counter()
    for first, refugee, second in _agreement_pairs([AgreementStatus.DRAFT]):
        refugees.pop(f"r-{refugee}", None)
        pending.update(v for v in (first, second) if v)
    locked, cared_for = [], set()
    for first, refugee, second in _agreement_pairs(HOLDING_STATUSES):
        cared_for.add(f"r-{refugee}")
        for volunteer in (first, second):
            if volunteer and f"v-{volunteer}" in volunteers and f"r-{refugee}" in refugees:
                locked.append({"volunteer": f"v-{volunteer}", "mentee": f"r-{refugee}"})
                break
        else:
            pending.update(v for v in (first, second) if v)  # holds a place, but cannot be written as locked
            refugees.pop(f"r-{refugee}", None)
    locked_ids = {pair["mentee"] for pair in locked}
    for key in cared_for - locked_ids:
        refugees.pop(key, None)
    excluded = [
        {"volunteer": f"v-{v}", "mentee": f"r-{r}"}
        for v, r in db.session.execute(
            select(Proposal.volunteer_id, Proposal.refugee_id)
            .where(Proposal.status.in_([ProposalStatus.REJECTED, ProposalStatus.DECLINED]))
            .distinct()
        )
        if f"v-{v}" in volunteers and f"r-{r}" in refugees
    ]
    records = []
    for profile in volunteers.values():
        record = volunteer_record(profile)
        record["capacity"] = max(0, record["capacity"] - pending[profile.id])
        records.append(record)
    built = problem(
        records,
        mentees=[mentee_record(p) for p in refugees.values()],
        locked=locked,
        excluded=excluded,
        alternatives=ALTERNATIVES,
    )
    return built, volunteers, refugees


def run_matching(actor: User | None, solver: str = "auto") -> MatchRun:
    """Run the engine and store its proposals; undecided proposals of earlier runs are superseded."""
    started = time.perf_counter()
    stage("loading")
    built, volunteers, refugees = build_problem()
    stage("solving")
    result = matching.propose(built, solver=solver)
    stage("storing")
    db.session.execute(
        update(Proposal).where(Proposal.status == ProposalStatus.PROPOSED).values(status=ProposalStatus.SUPERSEDED)
    )
    run = MatchRun(started_by=actor, settings={**built["settings"], "solver": solver}, metrics={})
    db.session.add(run)
    db.session.flush()
    rows = [
        {
            "run_id": run.id,
            "volunteer_id": volunteers[pair["volunteer"]].id,
            "refugee_id": refugees[pair["mentee"]].id,
            "score": pair["score"],
            "reasons": pair["reasons"],
            "alternatives": [
                {"volunteer": volunteers[alt["volunteer"]].id, "score": alt["score"]}
                for alt in result["alternatives"].get(pair["mentee"], [])
            ],
            "status": ProposalStatus.PROPOSED,
            "decision_note": "",
        }
        for pair in result["pairs"]
        if not pair["locked"]
    ]
    if rows:
        db.session.execute(insert(Proposal), rows)
    unmatched = [
        {"run_id": run.id, "refugee_id": refugees[entry["mentee"]].id, "reason": entry["reason"]}
        for entry in result["unmatched"]
    ]
    if unmatched:
        db.session.execute(insert(UnmatchedRefugee), unmatched)
    run.metrics = {
        **result["metrics"],
        "proposed": len(rows),
        "unmatched": len(unmatched),
        "locked": len(built["locked"]),
        "seconds_total": round(time.perf_counter() - started, 3),
    }
    audit.record("matching.run", run, actor=actor, proposed=len(rows), unmatched=len(unmatched))
    db.session.commit()
    return run


def latest_run() -> MatchRun | None:
    return db.session.scalar(select(MatchRun).order_by(MatchRun.id.desc()).limit(1))


@dataclass
class ProposalFilters:
    locality: str = ""
    need: str = ""
    language: str = ""


def open_proposals(run: MatchRun, filters: ProposalFilters) -> list[Proposal]:
    stmt = (
        select(Proposal)
        .where(Proposal.run_id == run.id, Proposal.status == ProposalStatus.PROPOSED)
        .join(Proposal.refugee)
        .options(
            selectinload(Proposal.refugee).selectinload(RefugeeProfile.user),
            selectinload(Proposal.refugee).selectinload(RefugeeProfile.needs),
            selectinload(Proposal.refugee).selectinload(RefugeeProfile.languages),
            selectinload(Proposal.volunteer).selectinload(VolunteerProfile.user),
        )
        .order_by(Proposal.score.desc(), Proposal.id)
    )
    if filters.locality:
        stmt = stmt.where(RefugeeProfile.locality_id == filters.locality)
    if filters.need:
        stmt = stmt.where(RefugeeProfile.needs.any(category_key=filters.need))
    if filters.language:
        stmt = stmt.where(
            or_(
                RefugeeProfile.languages.any(code=filters.language),
                Proposal.volunteer.has(VolunteerProfile.languages.any(code=filters.language)),
            )
        )
    return list(db.session.scalars(stmt))


def unmatched_of(run: MatchRun) -> list[UnmatchedRefugee]:
    return list(
        db.session.scalars(
            select(UnmatchedRefugee)
            .where(UnmatchedRefugee.run_id == run.id)
            .options(selectinload(UnmatchedRefugee.refugee).selectinload(RefugeeProfile.user))
            .order_by(UnmatchedRefugee.reason, UnmatchedRefugee.id)
        )
    )


def open_proposal(proposal_id: int) -> Proposal:
    """The proposal if a coordinator may still decide on it; a stale form or a double click gets ProposalError."""
    proposal = db.session.get(Proposal, proposal_id, with_for_update=True)
    if proposal is None or proposal.status != ProposalStatus.PROPOSED:
        raise ProposalError("decided")
    return proposal


def reject(proposal: Proposal, note: str, actor: User) -> None:
    proposal.status, proposal.decision_note = ProposalStatus.REJECTED, note.strip()
    proposal.decided_by, proposal.decided_at = actor, utcnow()
    audit.record("proposal.rejected", proposal, actor=actor)
    db.session.commit()


def swap(proposal: Proposal, volunteer_profile_id: int, actor: User) -> Proposal:
    """Replace the proposed volunteer by one of the proposal's alternatives."""
    alternative = next((a for a in proposal.alternatives if a["volunteer"] == volunteer_profile_id), None)
    if alternative is None:
        raise ProposalError("not_alternative")
    others = [a for a in proposal.alternatives if a["volunteer"] != volunteer_profile_id]
    replacement = Proposal(
        run_id=proposal.run_id,
        volunteer_id=volunteer_profile_id,
        refugee_id=proposal.refugee_id,
        score=alternative["score"],
        reasons=[],
        alternatives=[{"volunteer": proposal.volunteer_id, "score": proposal.score}, *others],
    )
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.SUPERSEDED, actor, utcnow()
    db.session.add(replacement)
    audit.record("proposal.swapped", proposal, actor=actor, volunteer=volunteer_profile_id)
    db.session.commit()
    return replacement


def volunteers_by_id(ids) -> dict[int, VolunteerProfile]:
    ids = set(ids)
    if not ids:
        return {}
    return {
        p.id: p
        for p in db.session.scalars(
            select(VolunteerProfile).where(VolunteerProfile.id.in_(ids)).options(selectinload(VolunteerProfile.user))
        )
    }
