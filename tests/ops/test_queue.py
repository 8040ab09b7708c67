"""The job queue: handed on at commit, in-process without Redis, through RQ with it."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select

from app.jobs.queue import defer, run_ready, task
from app.models import AgreementStatus, MessageStatus, OutboxMessage
from app.operations.cli import scheduler_tick

CALLS: list[str] = []


@task()
def remember(word: str) -> None:
    CALLS.append(word)


@task()
def always_fails(word: str) -> None:
    CALLS.append(word)
    raise RuntimeError(f"failed on purpose: {word}")


def test_only_registered_tasks_can_be_deferred(app):
    def not_a_task():
        pass

    with pytest.raises(LookupError):
        defer(not_a_task)


def test_a_job_runs_after_its_commit_and_never_after_a_rollback(app, db):
    CALLS.clear()
    defer(remember, "rolled back")
    db.session.rollback()
    defer(remember, "committed")
    assert CALLS == []  # not before the commit
    db.session.commit()
    run_ready()
    assert CALLS == ["committed"]


@pytest.fixture
def queue_name():
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def app_config(request, database_url, make_config, queue_name):
    if "redis_url" not in request.fixturenames:
        return make_config(database_url)
    redis_url = request.getfixturevalue("redis_url")
    return make_config(database_url, REDIS_URL=redis_url, JOBS_QUEUE=queue_name)


@pytest.fixture
def rq(redis_url, queue_name):
    queue = Queue(queue_name, connection=Redis.from_url(redis_url))
    yield queue
    queue.empty()
    for registry in (queue.failed_job_registry, queue.finished_job_registry, queue.scheduled_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    connection = queue.connection
    for key in connection.scan_iter(f"{queue_name}:*"):
        connection.delete(key)


def test_with_redis_jobs_go_through_rq(redis_url, rq, app, db):
    CALLS.clear()
    defer(remember, "via redis")
    db.session.commit()
    assert rq.count == 1 and CALLS == []  # queued in Redis, not performed yet
    run_ready()
    assert CALLS == ["via redis"]
    assert len(rq.finished_job_registry.get_job_ids()) == 1


def test_a_failed_job_is_shown_to_admins_who_can_retry_it(redis_url, rq, client, login, admin, db):
    CALLS.clear()
    defer(always_fails, "first")
    db.session.commit()
    run_ready()
    [failed_id] = rq.failed_job_registry.get_job_ids()

    login(client, admin)
    page = client.get("/admin/jobs/").get_data(as_text=True)
    assert "always_fails" in page and "RuntimeError: failed on purpose: first" in page
    client.post(f"/admin/jobs/queue/{failed_id}/retry")

    assert CALLS == ["first", "first"]  # performed again (and failed again)
    assert rq.failed_job_registry.get_job_ids() == [failed_id]
    assert client.post("/admin/jobs/queue/no-such-job/retry").status_code == 302


def test_with_the_queue_unreachable_a_saved_change_still_succeeds(app, coordinator_client, agreed, db):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    agreement = agreed

    response = coordinator_client.post(f"/sponsorships/{agreement.id}/approve")

    assert response.status_code == 302
    db.session.expire_all()
    assert agreement.status == AgreementStatus.ACTIVE
    # The mail is kept; the periodic sweep hands it on once the queue is back.
    assert db.session.scalar(select(OutboxMessage.status)) == MessageStatus.PENDING


BERLIN_MORNING = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)  # 05:00 in Berlin


def test_the_scheduler_queues_the_sweep_each_minute_and_the_daily_tasks_once_a_day(redis_url, rq, app):
    app.config["DAILY_AT"] = "05:30"

    assert scheduler_tick(BERLIN_MORNING) == ["sweep"]
    assert scheduler_tick(BERLIN_MORNING + timedelta(seconds=10)) == []  # the sweep was queued this minute
    assert scheduler_tick(BERLIN_MORNING + timedelta(minutes=40)) == ["daily_tasks"]
    assert scheduler_tick(BERLIN_MORNING + timedelta(hours=5)) == []
    assert scheduler_tick(BERLIN_MORNING + timedelta(days=1, minutes=40))[-1:] == ["daily_tasks"]
    assert [job.args[0] for job in rq.jobs] == ["sweep", "daily_tasks", "daily_tasks"]
