"""Matching runs as jobs: one at a time, a page with their progress, a failure that changes nothing."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.jobs import services as runs
from app.matches.services import PERCENT_AT
from app.models import JobRun, JobStatus, MatchRun, Proposal, ProposalStatus, utcnow


def test_a_started_run_is_performed_as_a_job_and_its_page_shows_the_result(coordinator_client, pair, db):
    response = coordinator_client.post("/matching/run")

    job = db.session.scalar(select(JobRun))
    assert response.headers["Location"] == f"/matching/runs/{job.id}"
    assert (job.kind, job.status, job.percent, job.running_key) == ("matching", JobStatus.FINISHED, 100, None)
    match_run = db.session.get(MatchRun, job.result["match_run"])
    assert match_run.started_by.email == "coordinator@example.org"
    assert db.session.scalar(select(func.count(Proposal.id))) == 1
    done = coordinator_client.get(f"/matching/runs/{job.id}")
    assert done.headers["Location"] == "/matching/"  # finished: on to the proposals, with the summary
    page = coordinator_client.get("/matching/").get_data(as_text=True)
    assert "Vermittlung fertig: 1 Vorschläge" in page and "Amal Haddad" in page
    data = coordinator_client.get(f"/matching/runs/{job.id}.json").get_json()
    assert (data["status"], data["active"], data["percent"]) == ("finished", False, 100)


def test_a_second_start_shows_the_run_in_progress(coordinator_client, coordinator, pair, db):
    running, created = runs.start("matching", coordinator, {"solver": "auto"}, 1800)
    db.session.commit()  # queued, waiting for a worker
    assert created

    response = coordinator_client.post("/matching/run")

    assert response.headers["Location"] == f"/matching/runs/{running.id}"
    assert db.session.scalar(select(func.count(JobRun.id))) == 1
    page = coordinator_client.get(f"/matching/runs/{running.id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert re.search(r'<script src="/static/js/progress.js" defer></script>', page)
    assert "<script>" not in page  # no inline script: a strict Content-Security-Policy allows the page
    overview = coordinator_client.get("/matching/").get_data(as_text=True)
    assert f"/matching/runs/{running.id}" in overview and 'action="/matching/run"' not in overview


def test_a_run_whose_worker_went_away_does_not_block_the_next(coordinator_client, coordinator, pair, db):
    stale, _ = runs.start("matching", coordinator, {}, 1800)
    stale.updated_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    coordinator_client.post("/matching/run")

    db.session.expire_all()
    assert (stale.status, stale.error, stale.running_key) == (JobStatus.FAILED, "timed_out", None)
    assert db.session.scalar(select(JobRun).order_by(JobRun.id.desc())).status == JobStatus.FINISHED


def test_a_failed_run_says_what_went_wrong_and_changes_nothing(coordinator_client, pair, make_volunteer, db):
    coordinator_client.post("/matching/run")
    before = db.session.scalar(select(Proposal))
    # A time slot the engine's contract does not know: the problem is refused.
    make_volunteer("Broken Slot", email="broken@example.org", slots=("mon-night",))

    response = coordinator_client.post("/matching/run", follow_redirects=True)

    page = response.get_data(as_text=True)
    failed = db.session.scalar(select(JobRun).order_by(JobRun.id.desc()))
    assert (failed.status, failed.error, failed.running_key) == (JobStatus.FAILED, "engine_refused", None)
    assert failed.result["field"].startswith("volunteers[")
    assert failed.result["field"] in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count(MatchRun.id))) == 1
    assert [(p.id, p.status) for p in db.session.scalars(select(Proposal))] == [(before.id, ProposalStatus.PROPOSED)]


@pytest.mark.slow  # a database of its own
def test_stages_reach_the_watching_page_while_the_run_goes_on(own_app):
    """In a worker a stage is committed on its own connection, visible before the run's transaction ends."""
    from app.extensions import db

    with own_app.app_context():
        run, _ = runs.start("matching", None, {}, 1800)
        db.session.commit()
        own_app.config["JOBS_IN_WORKER"] = True
        with runs.tracking(run.id, PERCENT_AT):
            runs.stage("solving")
            with db.engine.connect() as watcher:
                seen = watcher.execute(select(JobRun.stage, JobRun.percent).where(JobRun.id == run.id)).one()
        assert tuple(seen) == ("solving", 50)


def test_only_coordinators_see_runs(client, login, volunteer, coordinator, db):
    run, _ = runs.start("matching", coordinator, {}, 1800)
    db.session.commit()
    login(client, volunteer)
    assert client.get(f"/matching/runs/{run.id}").status_code == 403
    assert client.get(f"/matching/runs/{run.id}.json").status_code == 403
