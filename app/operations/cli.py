"""Commands for operators: ``flask worker``, ``flask scheduler`` and ``flask jobs daily|sweep``."""

import logging
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from rq import Worker

from app.jobs.queue import Call, enqueue, redis_connection, rq_queue, run_ready
from app.operations.daily import run_daily
from app.outbox.services import sweep

log = logging.getLogger("brueckenbau.scheduler")

SWEEP_EVERY_SECONDS = 60


def _queue_or_fail():
    queue = rq_queue()
    if queue is None:
        raise click.ClickException("REDIS_URL is not set: without Redis the jobs run inside the web process.")
    return queue


def scheduler_tick(now: datetime) -> list[str]:
    """Queue what is due at ``now``: the outbox sweep every minute, the daily tasks once a day after DAILY_AT.

    Redis keys with an expiry make each due item queued once, however many
    schedulers run (say one beside each worker).
    """
    app, connection, queue = current_app, redis_connection(), _queue_or_fail()
    queued = []
    prefix = f"{app.config['JOBS_QUEUE']}:scheduler"
    if connection.set(f"{prefix}:sweep", 1, nx=True, ex=SWEEP_EVERY_SECONDS - 5):
        enqueue(queue, Call("sweep", ()))
        queued.append("sweep")
    local = now.astimezone(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"]))
    hour, minute = (int(part) for part in app.config["DAILY_AT"].split(":"))
    if (local.hour, local.minute) >= (hour, minute):
        if connection.set(f"{prefix}:daily:{local.date().isoformat()}", 1, nx=True, ex=2 * 24 * 3600):
            enqueue(queue, Call("daily_tasks", ()))
            queued.append("daily_tasks")
    return queued


def register(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and one-off runs).")
    def worker_command(burst: bool) -> None:
        """Perform queued jobs (needs REDIS_URL); run several for more throughput."""
        queue = _queue_or_fail()
        current_app.config["JOBS_IN_WORKER"] = True
        worker = Worker([queue], connection=queue.connection)
        worker.work(burst=burst, with_scheduler=True, logging_level=current_app.config["LOG_LEVEL"])

    @app.cli.command("scheduler")
    @click.option("--once", is_flag=True, help="Queue what is due now and stop.")
    def scheduler_command(once: bool) -> None:
        """Queue the periodic jobs: the outbox sweep every minute and the daily tasks (needs REDIS_URL)."""
        _queue_or_fail()
        while True:
            try:
                queued = scheduler_tick(datetime.now(timezone.utc))
                if queued:
                    log.info("queued %s", ", ".join(queued))
            except Exception:  # Redis restarting: try again at the next tick
                log.exception("scheduler tick failed")
            if once:
                return
            time.sleep(10)

    @app.cli.group("jobs")
    def jobs_command() -> None:
        """Background jobs."""

    @jobs_command.command("daily")
    def daily_command() -> None:
        """Run the daily tasks now: start sponsorships, queue end-of-term reminders, delete old delivered mail."""
        result = run_daily()
        run_ready()  # without Redis, the reminders go out from this process
        if result is None:
            click.echo("The daily tasks are running already.")
            return
        click.echo(
            f"{result['started']} sponsorships started, reminders queued for {result['reminded']}, "
            f"{result['appointment_reminders']} appointment reminders, "
            f"{result['messages_deleted']} delivered messages deleted."
        )

    @jobs_command.command("sweep")
    def sweep_command() -> None:
        """Hand on messages that are due again (retries after a failure); run it every few minutes without Redis."""
        handed_on = sweep()
        run_ready()  # without Redis, delivered from this process
        click.echo(f"{handed_on} messages handed on for delivery.")

    app.cli.commands["agreements"].add_command(daily_command, "daily")
