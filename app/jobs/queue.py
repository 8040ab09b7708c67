"""The job queue: RQ on Redis when ``REDIS_URL`` is set, otherwise the same jobs in this process.

A service calls ``defer(task, *args)`` inside the transaction that makes the
job necessary. The job is handed on only when that transaction commits, and
forgotten when it rolls back, so a worker never looks for rows that are not
there yet and a failed change sends nothing.

Handing on means: with Redis, an RQ job (``flask worker`` runs it, retried
with backoff, kept in RQ's failed registry for the admins when it fails for
good); without Redis, a call that runs in this process after the response's
work is done (``after_request``), or when a command's app context ends. Tests
set ``JOBS_WORKER_IN_PROCESS``: the jobs still go through Redis but are
performed in this process at the same points, so that they see the test's
data and finish before the test looks.
"""

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, SimpleWorker
from rq.timeouts import TimerDeathPenalty
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger("brueckenbau.jobs")

DEFERRED, READY = "jobs_deferred", "jobs_ready"
# Where RQ finds the jobs: one entry point that looks the task up by name.
ENTRY_POINT = "app.jobs.queue.perform"
FAILED_KEPT_SECONDS = 14 * 24 * 3600


@dataclass(frozen=True)
class Task:
    function: Callable
    timeout: int  # seconds before the worker stops the job
    retries: tuple[int, ...]  # seconds to wait before each retry; empty: no retry


TASKS: dict[str, Task] = {}


def task(timeout: int = 600, retries: tuple[int, ...] = ()):
    """Register a function as a job that ``defer`` can hand on; its name is the function's."""

    def register(function: Callable) -> Callable:
        TASKS[function.__name__] = Task(function, timeout, retries)
        return function

    return register


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


def defer(function: Callable, *args) -> None:
    """Run the task ``function(*args)`` once the current transaction commits; ids and strings only."""
    if function.__name__ not in TASKS:
        raise LookupError(f"{function.__name__} is not a registered task")
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any SQL still forgets the job
    session.info.setdefault(DEFERRED, []).append(Call(function.__name__, args))


def redis_connection(app: Flask | None = None) -> Redis | None:
    """The app's Redis client (one per URL, made on first use), or None without ``REDIS_URL``."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    clients = app.extensions["jobs"]
    if url not in clients:
        clients[url] = Redis.from_url(url)
    return clients[url]


def rq_queue(app: Flask | None = None) -> Queue | None:
    app = app or current_app
    connection = redis_connection(app)
    return Queue(app.config["JOBS_QUEUE"], connection=connection) if connection is not None else None


def enqueue(queue: Queue, call: Call) -> None:
    """Put ``call`` on the RQ queue now, with its timeout and retries."""
    spec = TASKS[call.name]
    retry = Retry(max=len(spec.retries), interval=list(spec.retries)) if spec.retries else None
    queue.enqueue(
        ENTRY_POINT,
        call.name,
        *call.args,
        job_timeout=spec.timeout,
        retry=retry,
        failure_ttl=FAILED_KEPT_SECONDS,
        description=call.name,
    )


def _hand_on(session) -> None:
    calls = session.info.pop(DEFERRED, None)
    if not calls or not has_app_context():
        return
    queue = rq_queue()
    if queue is None:
        session.info.setdefault(READY, []).extend(calls)
        return
    for call in calls:
        try:
            enqueue(queue, call)
        except Exception:  # the change is committed: a queue outage must not turn it into an error page
            log.exception("job %s could not be queued; the periodic tasks pick its work up again", call.name)


def _forget(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint inside it
        session.info.pop(DEFERRED, None)


class InProcessWorker(SimpleWorker):
    """RQ's worker, performing jobs in the calling thread (which need not be the main one: no SIGALRM)."""

    death_penalty_class = TimerDeathPenalty


def run_ready() -> int:
    """Perform the jobs handed on to this process: all of them inline, or RQ's with an in-process worker."""
    if not has_app_context():
        return 0
    queue = rq_queue()
    if queue is None:
        return _run_inline()
    if current_app.config["JOBS_WORKER_IN_PROCESS"]:
        return _drain(queue)
    return 0


def _run_inline() -> int:
    done = 0
    while calls := db.session.info.pop(READY, None):
        for call in calls:
            try:
                perform(call.name, *call.args)
            except Exception:  # logged; the job's own records (outbox, runs) say what is left to do
                log.exception("job %s failed", call.name)
            done += 1
    return done


def _drain(queue: Queue) -> int:
    done = 0
    try:
        worker = InProcessWorker([queue], connection=queue.connection)
        while (found := Queue.dequeue_any([queue], None, connection=queue.connection)) is not None:
            job, job_queue = found
            worker.perform_job(job, job_queue)
            done += 1
    except RedisError:
        log.exception("the queue is unreachable; its jobs wait in Redis or are picked up by the periodic tasks")
    return done


def perform(name: str, *args):
    """RQ's entry point: run the task ``name`` in an app context (the worker's, or one made here)."""
    if has_app_context():
        return _perform_here(name, args)
    with _standalone_app().app_context():
        return _perform_here(name, args)


def _perform_here(name: str, args: tuple):
    in_worker = current_app.config["JOBS_IN_WORKER"]
    if in_worker:
        # A forked work horse must not share the parent's database connections.
        db.engine.dispose(close=False)
    started = time.perf_counter()
    outcome = "failed"
    try:
        result = TASKS[name].function(*args)
        outcome = "finished"
        return result
    except Exception:
        db.session.rollback()
        raise
    finally:
        log.info(
            "job %s %s",
            name,
            outcome,
            extra={"task": name, "outcome": outcome, "duration_ms": round((time.perf_counter() - started) * 1000)},
        )
        if in_worker:
            db.session.remove()


_standalone: Flask | None = None


def _standalone_app() -> Flask:
    """The app for jobs run by a plain ``rq worker`` (``flask worker`` brings its own)."""
    global _standalone
    if _standalone is None:
        from app import create_app
        from config import CONFIGS

        _standalone = create_app(CONFIGS[os.environ.get("BRUECKENBAU_CONFIG", "development")])
        _standalone.config["JOBS_IN_WORKER"] = True
    return _standalone


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = {}
    # On SQLAlchemy's Session class, so that every session gets them, also one made later on another factory.
    if not event.contains(Session, "after_commit", _hand_on):
        event.listen(Session, "after_commit", _hand_on)
        event.listen(Session, "after_soft_rollback", _forget)

    @app.after_request
    def run_jobs_after_request(response):
        run_ready()
        return response

    @app.teardown_appcontext
    def run_jobs_left(error):  # a command's jobs; registered after the database, so it runs before the session ends
        try:
            run_ready()
        except Exception:  # the context is ending anyway; the outbox sweep finds what was not delivered
            log.exception("jobs left at the end of the app context could not run")


@dataclass(frozen=True)
class FailedJob:
    id: str
    task: str
    ended_at: object
    error: str  # the last line of the traceback: the exception's kind and message


def failed_jobs(limit: int = 100) -> list[FailedJob]:
    """Jobs that failed in RQ after their retries (empty without Redis: in-process jobs are logged)."""
    queue = rq_queue()
    if queue is None:
        return []
    found = []
    for job in queue.failed_job_registry.get_job_ids(0, limit - 1):
        fetched = queue.fetch_job(job)
        if fetched is None:
            continue
        lines = (fetched.latest_result().exc_string if fetched.latest_result() else "") or ""
        last = lines.strip().splitlines()[-1] if lines.strip() else ""
        found.append(FailedJob(fetched.id, str(fetched.args[0]) if fetched.args else "?", fetched.ended_at, last))
    return found


def retry_failed_job(job_id: str) -> bool:
    """Queue a failed RQ job again; False if it is not among the failed ones."""
    queue = rq_queue()
    if queue is None or job_id not in queue.failed_job_registry.get_job_ids():
        return False
    queue.failed_job_registry.requeue(job_id)
    return True
