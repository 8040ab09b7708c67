"""Browser tests: the app served on a local port, driven by Playwright in Debian's Chromium.

Playwright's own browser download cannot work on these machines, so the
tests launch the system's ``chromium``. Without it they are skipped with the
reason, unless ``BRUECKENBAU_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns
the skip into a failure.
"""

import os
import shutil
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app.agreements.services import agree, draft_from_proposal
from app.demo import DEMO_ADMIN, DEMO_COORDINATOR, DEMO_DPO, seed_demo
from app.groups.services import add_members, membership_of, set_lead
from app.matches.services import run_matching
from app.models import Proposal, ProposalStatus, User, WorkingGroup

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = "browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it"
        if os.environ.get("BRUECKENBAU_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def app_config(database_url, make_config):
    # The browser goes through the real forms, CSRF tokens included.
    return make_config(database_url, WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(app):
    """The test's app on a free local port, served from a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def phone_pages(browser):
    """``phone_pages()``: a new page in a phone-sized browser context of its own (own cookies, own login)."""
    contexts = []

    def open_page():
        contexts.append(browser.new_context(viewport=PHONE, locale="de-DE"))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone(browser):
    """A page in a phone-sized, German-speaking browser."""
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(app, db):
    """The demo district after a matching run: a draft sponsorship, agreed by the volunteer, who also leads a group."""
    seed_demo()
    coordinator = db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR))
    run_matching(coordinator)
    groups = {group.requires_offer: group for group in db.session.scalars(select(WorkingGroup))}
    proposal, group = next(
        (proposal, groups[category.key])
        for proposal in db.session.scalars(select(Proposal).order_by(Proposal.id))
        for category in proposal.volunteer.offers
        if proposal.refugee.user.phone and category.key in groups
    )
    agreement = draft_from_proposal(proposal, coordinator)
    agree(agreement, proposal.volunteer.user)
    add_members(group, [proposal.volunteer], coordinator)
    set_lead(membership_of(group, proposal.volunteer), True, coordinator)
    return {
        "refugee": proposal.refugee.user.phone,
        "volunteer": proposal.volunteer.user.email,
        "coordinator": DEMO_COORDINATOR,
        "admin": DEMO_ADMIN,
        "dpo": DEMO_DPO,
        "values": {
            "agreement_id": agreement.id,
            "group_id": group.id,
            "key": "driving",
            "locality_id": "soest",
            "token": "no-such-token",
            "refugees.profile_id": proposal.refugee.id,
            "intake.profile_id": proposal.refugee.id,
            "volunteers.profile_id": proposal.volunteer.id,
            "proposal_id": db.session.scalar(
                select(Proposal.id).where(Proposal.status == ProposalStatus.PROPOSED).order_by(Proposal.id)
            ),
        },
    }
