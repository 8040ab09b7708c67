"""The operators' commands: daily tasks, the sweep, and worker and scheduler refusing to run without Redis."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import JobRun, JobStatus, MessageStatus, OutboxMessage, utcnow


@pytest.fixture
def app_config(database_url, make_config):
    return make_config(database_url, REDIS_URL=None)


@pytest.mark.parametrize("command", [["jobs", "daily"], ["agreements", "daily"]])
def test_the_daily_tasks_run_and_are_recorded(runner, db, command):
    result = runner.invoke(args=command)

    assert result.exit_code == 0, result.output
    assert (
        "0 sponsorships started, reminders queued for 0, 0 appointment reminders, 0 delivered messages deleted."
        in result.output
    )
    run = db.session.scalar(select(JobRun))
    assert (run.kind, run.status, run.running_key) == ("daily", JobStatus.FINISHED, None)
    assert run.result == {"started": 0, "reminded": 0, "appointment_reminders": 0, "messages_deleted": 0}


def test_the_daily_tasks_do_not_run_twice_at_once(runner, db):
    db.session.add(JobRun(kind="daily", running_key="daily:installation", status=JobStatus.RUNNING))
    db.session.commit()
    assert "running already" in runner.invoke(args=["jobs", "daily"]).output


def test_the_sweep_hands_on_what_is_due(runner, db, pair, outbox):
    volunteer, _ = pair
    db.session.add(
        OutboxMessage(
            uid="a" * 32,
            address=volunteer.email,
            body="Hallo",
            recipient=volunteer,
            next_attempt_at=utcnow() - timedelta(minutes=1),
        )
    )
    db.session.commit()
    result = runner.invoke(args=["jobs", "sweep"])
    assert "1 messages handed on for delivery." in result.output
    assert db.session.scalar(select(OutboxMessage.status)) == MessageStatus.SENT
    assert [mail.to for mail in outbox] == [[volunteer.email]]


@pytest.mark.parametrize("command", [["worker", "--burst"], ["scheduler", "--once"]])
def test_worker_and_scheduler_need_redis(runner, command):
    result = runner.invoke(args=command)
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_a_matching_run_from_the_command_line_waits_its_turn(runner, coordinator, pair, db):
    db.session.add(JobRun(kind="matching", running_key="matching:installation", status=JobStatus.RUNNING))
    db.session.commit()
    result = runner.invoke(args=["match", "run"])
    assert result.exit_code != 0 and "in progress already" in result.output
