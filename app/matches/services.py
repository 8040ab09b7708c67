"""Matching runs: as jobs, the engine's proposals stored, and the coordinators' decisions on them."""

import logging
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, insert, or_, select, update
from sqlalchemy.orm import selectinload

import matching
from app import audit, policies
from app.agreements import services as agreements
from app.errors import DomainError
from app.extensions import db
from app.jobs import services as runs
from app.jobs.queue import defer, task
from app.jobs.services import stage
from app.matching_problem import refugee_profile_id, sponsorship_problem, volunteer_profile_id
from app.models import (
    JobRun,
    MatchRun,
    Proposal,
    ProposalStatus,
    RefugeeNeed,
    RefugeeProfile,
    UnmatchedRefugee,
    User,
    VolunteerProfile,
    utcnow,
)

log = logging.getLogger("brueckenbau.matching")


class ProposalError(DomainError, abstract=True):
    """A decision that no longer fits the proposal's state (decided already, stale form)."""


class ProposalDecided(ProposalError):
    message = _l("This proposal was decided already (perhaps in another window). Nothing was changed.")


class NotAProposalAlternative(ProposalError):
    message = _l("This volunteer is not among the alternatives of the proposal.")


class NothingSelected(ProposalError):
    message = _l("Please select at least one proposal.")


class ReasonMissing(ProposalError):
    message = _l("Please give a short reason; it helps the next run.")


class MatchingError(DomainError, abstract=True):
    """A run that cannot be started now."""


class OtherRunInProgress(MatchingError):
    message = _l(
        "Another coordinator's matching run is in progress. Runs take turns so that no volunteer is proposed twice; "
        "please start yours again in a few minutes."
    )


class NoScope(MatchingError):
    message = _l("You are not responsible for any area yet, so there is nobody to match.")


def run_matching(actor: User | None, solver: str = "auto") -> MatchRun:
    """Run the engine over ``actor``'s scope and store its proposals.

    The run covers the refugees in the scope and the volunteers who reach
    them; undecided proposals of earlier runs for those refugees are
    superseded, other scopes' proposals are left alone (and hold their
    volunteers' places).
    """
    started = time.perf_counter()
    scope = policies.run_scope(actor)
    refugees_within = policies.refugees_in_scope(actor, scope)
    stage("loading")
    built = sponsorship_problem(refugees_within, policies.volunteers_in_scope(actor, scope))
    stage("solving")
    result = matching.propose(built, solver=solver)
    stage("storing")
    db.session.execute(
        update(Proposal)
        .where(
            Proposal.status == ProposalStatus.PROPOSED,
            Proposal.refugee_id.in_(select(RefugeeProfile.id).where(refugees_within)),
        )
        .values(status=ProposalStatus.SUPERSEDED)
        .execution_options(synchronize_session=False)
    )
    run = MatchRun(started_by=actor, scope=scope.key, settings={**built["settings"], "solver": solver}, metrics={})
    db.session.add(run)
    db.session.flush()
    rows = [
        {
            "run_id": run.id,
            "volunteer_id": volunteer_profile_id(pair["volunteer"]),
            "refugee_id": refugee_profile_id(pair["mentee"]),
            "score": pair["score"],
            "reasons": pair["reasons"],
            "alternatives": [
                {"volunteer": volunteer_profile_id(alt["volunteer"]), "score": alt["score"]}
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
        {"run_id": run.id, "refugee_id": refugee_profile_id(entry["mentee"]), "reason": entry["reason"]}
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


def latest_run(user: User) -> MatchRun | None:
    """The latest run over ``user``'s scope (or over the whole installation, which covers it)."""
    scope = policies.scope_of(user)
    return db.session.scalar(
        select(MatchRun)
        .where(MatchRun.scope.in_({scope.key, policies.INSTALLATION}))
        .order_by(MatchRun.id.desc())
        .limit(1)
    )


@dataclass
class ProposalFilters:
    locality: str = ""
    need: str = ""
    language: str = ""


def open_proposals(user: User, filters: ProposalFilters) -> Select:
    """Undecided proposals for the refugees in ``user``'s scope, whichever run made them, best first: a
    query for one page at a time, with the names and needs it shows loaded for the page in a few statements."""
    stmt = (
        select(Proposal)
        .where(Proposal.status == ProposalStatus.PROPOSED)
        .join(Proposal.refugee)
        .where(policies.refugees_in_scope(user))
        .options(
            # Everything shown is loaded for the page's rows after the page is chosen (one statement per
            # kind): joined into the page query, the wide rows of everyone in scope were joined before
            # the sort and the limit picked 25 of them.
            # A refugee's or volunteer's one account and place come in the same statement as the profiles.
            selectinload(Proposal.refugee).joinedload(RefugeeProfile.user),
            selectinload(Proposal.refugee).joinedload(RefugeeProfile.locality),
            selectinload(Proposal.refugee).selectinload(RefugeeProfile.needs).joinedload(RefugeeNeed.category),
            selectinload(Proposal.refugee).selectinload(RefugeeProfile.members),
            selectinload(Proposal.volunteer).joinedload(VolunteerProfile.user),
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
    return stmt


def unmatched_of(run: MatchRun, user: User) -> Select:
    """Who ``run`` left without a proposal, of the refugees in ``user``'s scope (a query, shown page by page)."""
    return (
        select(UnmatchedRefugee)
        .join(UnmatchedRefugee.refugee)
        .where(UnmatchedRefugee.run_id == run.id, policies.refugees_in_scope(user))
        .options(  # for the shown rows only, as in open_proposals
            selectinload(UnmatchedRefugee.refugee).joinedload(RefugeeProfile.user),
            selectinload(UnmatchedRefugee.refugee).joinedload(RefugeeProfile.locality),
            selectinload(UnmatchedRefugee.refugee).selectinload(RefugeeProfile.needs).joinedload(RefugeeNeed.category),
            selectinload(UnmatchedRefugee.refugee).selectinload(RefugeeProfile.languages),
        )
        .order_by(UnmatchedRefugee.reason, UnmatchedRefugee.id)
    )


def first_rows(statement: Select, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of ``statement`` and how many there are in all."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    return list(db.session.scalars(statement.limit(limit))), total


def open_proposal(proposal_id: int, user: User) -> Proposal | None:
    """The proposal if ``user`` may still decide on it; None outside their scope (it does not exist for them).
    A stale form or a double click gets ProposalError."""
    proposal = db.session.get(Proposal, proposal_id, with_for_update=True)
    if proposal is None or not policies.refugee_in_scope(user, proposal.refugee):
        return None
    if not policies.can(user, "decide", proposal):
        raise ProposalDecided()
    return proposal


def proposal_in_scope(proposal_id: int, user: User) -> Proposal | None:
    """The proposal (decided or not) if it is in ``user``'s scope, for pages that show it."""
    return policies.record_for(user, "view", Proposal, proposal_id)


@dataclass
class BatchResult:
    done: int
    # (proposal, why it was left as it is) for each proposal the batch could not decide
    refused: list[tuple[Proposal, str]]


def all_in_scope(proposal_ids: list[int], user: User) -> bool:
    """Whether every one of ``proposal_ids`` exists and is in ``user``'s scope (decided or not)."""
    found = db.session.scalar(
        select(func.count(Proposal.id)).where(Proposal.id.in_(proposal_ids), policies.proposals_in_scope(user))
    )
    return found == len(set(proposal_ids))


def decide_many(proposal_ids: list[int], accept: bool, note: str, actor: User) -> BatchResult:
    """Accept or reject several proposals, each through the same service and checks as one alone.

    The caller has checked that all are in the actor's scope (``all_in_scope``). Each decision is committed
    on its own: one that cannot be made (decided meanwhile, the refugee taken by another sponsorship) is
    reported and the others are made.
    """
    if not proposal_ids:
        raise NothingSelected()
    if not accept and not note.strip():
        raise ReasonMissing()
    result = BatchResult(0, [])
    for proposal_id in dict.fromkeys(proposal_ids):  # a double submission names an id twice: decide it once
        try:
            proposal = open_proposal(proposal_id, actor)
            if proposal is None:  # left the scope meanwhile (e.g. the person moved)
                continue
            if accept:
                agreements.draft_from_proposal(proposal, actor)
            else:
                reject(proposal, note, actor)
            result.done += 1
        except (ProposalError, agreements.AgreementError) as error:
            db.session.rollback()
            result.refused.append((db.session.get(Proposal, proposal_id), str(error)))
    return result


def reject(proposal: Proposal, note: str, actor: User) -> None:
    proposal.status, proposal.decision_note = ProposalStatus.REJECTED, note.strip()
    proposal.decided_by, proposal.decided_at = actor, utcnow()
    audit.record("proposal.rejected", proposal, actor=actor)
    db.session.commit()


def swap(proposal: Proposal, volunteer_profile_id: int, actor: User) -> Proposal:
    """Replace the proposed volunteer by one of the proposal's alternatives."""
    alternative = next((a for a in proposal.alternatives if a["volunteer"] == volunteer_profile_id), None)
    if alternative is None:
        raise NotAProposalAlternative()
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


# Runs as jobs: started by a coordinator, performed by a worker (or after the request), watched on a page.

MATCHING_JOB = "matching"  # the kind of job run
# Where a run stands when it enters a stage, from the stages' shares of a district-size run (bench/README.md).
PERCENT_AT = {"loading": 5, "building": 35, "solving": 50, "storing": 65}


def start_run(actor: User | None, solver: str = "auto", queue: bool = True) -> tuple[JobRun, bool]:
    """Queue a matching run over ``actor``'s scope, or return the one over the same scope that is queued or
    running already (then False).

    Runs take turns across the installation: scopes share volunteers (who reach several areas), so a run of
    another scope in progress refuses this one with ``OtherRunInProgress``. ``queue=False`` only reserves
    the run, for a caller that performs it itself (the command line).
    """
    scope = policies.run_scope(actor)
    if scope.empty:
        raise NoScope()
    current = runs.active_run(MATCHING_JOB)
    if current is not None and current.settings.get("scope", policies.INSTALLATION) != scope.key:
        raise OtherRunInProgress()
    run, created = runs.start(
        MATCHING_JOB, actor, {"solver": solver, "scope": scope.key}, current_app.config["MATCHING_TIMEOUT_SECONDS"]
    )
    if not created and run.settings.get("scope", policies.INSTALLATION) != scope.key:
        raise OtherRunInProgress()
    if created and queue:
        defer(matching_run, run.id)
    db.session.commit()
    return run, created


def matching_job_run(run_id: int) -> JobRun | None:
    job = db.session.get(JobRun, run_id)
    return job if job is not None and job.kind == MATCHING_JOB else None


def latest_job_run_id() -> int | None:
    latest = runs.latest(MATCHING_JOB)
    return latest.id if latest else None


@task(timeout=1800)  # RQ stops a run after this; MATCHING_TIMEOUT_SECONDS then lets the next one start
def matching_run(run_id: int) -> str:
    """Perform a queued run; a failure is recorded on the run and changes nothing else."""
    run = runs.begin(run_id)
    if run is None:
        return "skipped"
    try:
        with runs.tracking(run_id, PERCENT_AT):
            match_run = run_matching(run.started_by, solver=run.settings.get("solver", "auto"))
    except matching.ProblemError as error:
        db.session.rollback()
        log.exception("matching run %s: the engine refused the problem", run_id)
        runs.fail(run_id, "engine_refused", field=error.path)
        return "failed"
    except Exception:
        db.session.rollback()
        log.exception("matching run %s failed", run_id)
        runs.fail(run_id, "unexpected")
        return "failed"
    metrics = match_run.metrics
    runs.finish(
        run_id,
        {"match_run": match_run.id, "proposed": metrics["proposed"], "unmatched": metrics["unmatched"]},
    )
    return "finished"
