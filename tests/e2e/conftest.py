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
from werkzeug.serving import make_server

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
