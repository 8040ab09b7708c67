"""axe-core on every page of every role, in German and Arabic: no critical or serious finding.

axe comes bundled in the PyPI package ``axe-playwright-python`` (its ``axe.min.js``, axe-core
4.12.1, pinned in requirements-dev.txt) and is evaluated inside each page, so nothing is loaded
from another host. The pages are the app's GET routes filled in with the demo records (the same
crawl as the phone-layout test): each role sees what its menu and its records lead to, including
the printed agreement and certificate of a running sponsorship; pages a role may not open are
left out for that role. One browser; one context per role and language.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import every_page_of_every_role, page_urls
from flask import url_for
from sqlalchemy import select

from app.agreements.services import agree, approve
from app.demo import DEMO_COORDINATOR
from app.models import Agreement, User

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.real_commits]

ROLES = ("anonymous", "refugee", "volunteer", "coordinator", "admin", "dpo")
FAILING_IMPACTS = {"critical", "serious"}
# Moderate findings that were seen once and fixed: they stay fixed.
ALSO_FAILING = {"page-has-heading-one", "empty-table-header"}
AXE_OPTIONS = {"resultTypes": ["violations"]}


@pytest.fixture
def running_sponsorship(app, db, demo):
    """The demo's draft agreed by both sides and approved, starting today: its certificate can be printed."""
    agreement = db.session.get(Agreement, demo["values"]["agreement_id"])
    agreement.starts_on = agreement.starts_on.today()
    agree(agreement, agreement.refugee.user)
    approve(agreement, db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR)))
    with app.test_request_context():
        return [
            url_for("agreements.document", agreement_id=agreement.id),
            url_for("agreements.certificate", agreement_id=agreement.id),
        ]


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {len(violation['nodes'])}× e.g. {targets}"


# About 150 pages checked and 650 opened per language: some 4 minutes on two busy cores, 0.8 s of it per axe run.
@pytest.mark.timeout(900)
@pytest.mark.parametrize("language", ["de", "ar"])
def test_axe_finds_nothing_serious_on_any_page(live_server, browser, app, db, demo, running_sponsorship, language):
    urls = sorted(set(page_urls(app, demo["values"]) + running_sponsorship))
    axe = Axe()
    problems, seen = {}, set()
    new_page = lambda: browser.new_context(locale="de-DE").new_page()  # noqa: E731 - one context per role
    for role, url, page in every_page_of_every_role(new_page, live_server, db, demo, ROLES, language, urls):
        seen.add((role, url))
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        found = [v for v in violations if v["impact"] in FAILING_IMPACTS or v["id"] in ALSO_FAILING]
        if found:
            problems[f"{role} {url}"] = found
    assert {role for role, _ in seen} == set(ROLES)
    assert set(running_sponsorship) <= {url for _, url in seen}
    assert len(seen) > 60, sorted(seen)
    assert not problems, f"axe found problems ({language}):\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(map(describe, found)) for where, found in sorted(problems.items())
    )
