"""A matching run's page follows the run live in a real browser (its script, no inline code), then shows the result."""

import re

import pytest
from playwright.sync_api import expect

from app.jobs import services as runs
from app.models import JobStatus, utcnow

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]


def test_the_progress_page_follows_the_run_and_moves_on_to_the_proposals(
    live_server, browser, coordinator, password, db
):
    run, _ = runs.start("matching", coordinator, {"solver": "auto"}, 1800)
    db.session.commit()  # queued: no worker has it yet
    page = browser.new_context(locale="de-DE").new_page()
    page.goto(f"{live_server}/auth/login")
    page.locator("#identifier").fill(coordinator.email)
    page.locator("#password").fill(password)
    page.locator("form button.primary").click()

    page.goto(f"{live_server}/matching/runs/{run.id}")
    expect(page.locator("#job-text")).to_have_text("Wartet auf die Hintergrundverarbeitung")

    run.status, run.stage, run.percent, run.started_at = JobStatus.RUNNING, "solving", 50, utcnow()
    db.session.commit()
    expect(page.locator("#job-text")).to_have_text("Die besten Paare werden gesucht")
    expect(page.locator("progress")).to_have_attribute("value", "50")

    run.status, run.running_key, run.percent, run.stage = JobStatus.FINISHED, None, 100, ""
    run.finished_at, run.result = utcnow(), {"proposed": 0, "unmatched": 0}
    db.session.commit()
    expect(page).to_have_url(re.compile(r"/matching/$"))
    expect(page.locator(".flash-success")).to_contain_text("Vermittlung fertig: 0 Vorschläge")
