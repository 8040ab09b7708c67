"""Real ``flask worker`` processes on Redis: a worker killed while sending, a matching run watched live."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from mail_server import Inbox, free_port, smtp_server
from sqlalchemy import func, select

from app.email import message_id, queue_email
from app.extensions import db
from app.models import JobRun, MessageStatus, OutboxMessage, Proposal, Role, User
from app.outbox import services as outbox

ROOT = Path(__file__).resolve().parents[2]
# Production refuses the public development key; web and workers share this one, as they would in production.
ENCRYPTION_KEY = Fernet.generate_key().decode()

pytestmark = pytest.mark.slow  # worker processes


class Worker:
    """``flask worker`` in a process of its own, configured like production through the environment."""

    def __init__(self, environment: dict, log: Path):
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
            cwd=ROOT,
            env={**os.environ, **environment},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """Kill -9 the worker and its work horse: a crash, or the machine switched off."""
        for pid in self.children():
            os.kill(pid, signal.SIGKILL)
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_for(condition, seconds: float = 30, what: str = "the condition") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.05)


@pytest.fixture
def queue_name(redis_url):
    from redis import Redis

    name = f"test-worker-{uuid.uuid4().hex[:8]}"
    yield name
    connection = Redis.from_url(redis_url)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


@pytest.fixture
def worker_environment(own_database, redis_url, queue_name):
    return {
        "BRUECKENBAU_CONFIG": "production",
        "SECRET_KEY": "worker-test-" + "0" * 32,  # production refuses keys shorter than 32 characters
        "PUBLIC_URL": "http://localhost",
        "DATA_ENCRYPTION_KEYS": ENCRYPTION_KEY,
        "DATABASE_URL": own_database,
        "REDIS_URL": redis_url,
        "JOBS_QUEUE": queue_name,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "OUTBOX_LEASE_SECONDS": "2",
        "OUTBOX_RETRY_SECONDS": "1",
        "LOG_FORMAT": "json",
    }


@pytest.fixture
def workers(worker_environment, tmp_path):
    started = []

    def start(**environment) -> Worker:
        worker = Worker({**worker_environment, **environment}, tmp_path / "worker.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def web(own_database, redis_url, queue_name, make_config):
    """The web side: queues into Redis and leaves the jobs to the worker processes."""
    from app import create_app

    app = create_app(
        make_config(
            own_database,
            REDIS_URL=redis_url,
            JOBS_QUEUE=queue_name,
            JOBS_WORKER_IN_PROCESS=False,
            DATA_ENCRYPTION_KEYS=ENCRYPTION_KEY,
        )
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class StallingInbox(Inbox):
    """Holds the first message without answering, as a slow server would; the test kills the sender meanwhile.

    A message whose sender is gone before the server said "250 OK" is not
    accepted (RFC 5321): the sender cannot know it arrived, so it must not count.
    """

    HOLD_SECONDS = 60

    def __init__(self):
        super().__init__()
        self.holding, self.dropped = threading.Event(), 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.holding.is_set():
            return await super().handle_DATA(server, session, envelope)
        self.holding.set()
        deadline = asyncio.get_running_loop().time() + self.HOLD_SECONDS
        try:
            while asyncio.get_running_loop().time() < deadline:
                if server.transport is None or server.transport.is_closing():
                    break
                await asyncio.sleep(0.05)
        except asyncio.CancelledError:  # aiosmtpd cancels the handler when the connection is lost
            self.dropped += 1
            raise
        self.dropped += 1
        return "451 not accepted"


def test_a_worker_killed_while_sending_neither_loses_nor_duplicates_the_mail(web, workers):
    port = free_port()
    with smtp_server(port, StallingInbox()) as inbox:
        user = User(email="kim@example.org", full_name="Kim Killtest", role=Role.VOLUNTEER, password_hash="x")
        db.session.add(user)
        message = queue_email(user, "Hallo", "email/password_reset.txt", reset_url="http://x")
        db.session.commit()  # the delivery job is in Redis now

        first = workers(MAIL_PORT=str(port))
        wait_for(inbox.holding.is_set, what="the worker to send")
        first.kill()
        wait_for(lambda: inbox.dropped == 1, what="the server to drop the half-sent mail")
        db.session.expire_all()
        claimed = db.session.get(OutboxMessage, message.id)
        assert (claimed.status, claimed.attempts) == (MessageStatus.SENDING, 1)

        workers(MAIL_PORT=str(port))
        time.sleep(2.5)  # the dead worker's lease runs out
        assert outbox.sweep() == 1  # what the scheduler does every minute
        wait_for(lambda: len(inbox.messages) == 1, what="the second worker's delivery")
        time.sleep(1)
        assert outbox.sweep() == 0
        time.sleep(1)

    assert len(inbox.messages) == 1
    db.session.expire_all()
    sent = db.session.get(OutboxMessage, message.id)
    assert (sent.status, sent.attempts) == (MessageStatus.SENT, 2)
    assert inbox.messages[0]["Message-ID"] == message_id(sent)


def test_a_matching_run_is_performed_by_a_worker_while_its_page_shows_the_progress(web, workers, login):
    from app.demo import seed_demo

    seed_demo()
    coordinator = db.session.scalar(select(User).where(User.role == Role.COORDINATOR))
    client = web.test_client()
    login(client, coordinator)

    started = time.monotonic()
    response = client.post("/matching/run")
    assert time.monotonic() - started < 2  # the request only queues the run
    progress_url = response.headers["Location"]
    assert client.get(progress_url).status_code == 200

    workers()
    seen = []
    while True:
        state = client.get(progress_url + ".json").get_json()
        if not seen or seen[-1] != (state["status"], state["stage"]):
            seen.append((state["status"], state["stage"]))
        if not state["active"]:
            break
        assert len(seen) < 50 and time.monotonic() - started < 120
        time.sleep(0.02)

    assert seen[0] == ("queued", "") and seen[-1] == ("finished", "")
    stages = [stage for status, stage in seen if status == "running"]
    order = ["", "loading", "building", "solving", "storing"]
    assert stages == sorted(stages, key=order.index)  # never backwards
    db.session.expire_all()
    run = db.session.scalar(select(JobRun))
    assert run.result["proposed"] == db.session.scalar(select(func.count(Proposal.id))) > 0
    page = client.get(progress_url).get_data(as_text=True)
    assert "http-equiv" not in page
