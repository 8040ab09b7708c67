"""Steps that several browser tests take the same way."""

from collections.abc import Callable, Iterator

from flask import url_for
from sqlalchemy import update

from app.demo import DEMO_PASSWORD
from app.models import User

# The steps of the registration questionnaires that a crawl fills into ``step`` arguments.
STEPS = range(1, 6)


def log_in(page, live_server: str, identifier: str, password: str) -> None:
    """Log in through the login form, whatever the page's language."""
    page.goto(f"{live_server}/auth/login")
    page.locator("#identifier").fill(identifier)
    page.locator("#password").fill(password)
    page.locator("form button.primary").click()
    page.wait_for_load_state()


def page_urls(app, values: dict) -> list[str]:
    """Every GET route of the app with its arguments filled in from ``values`` (``blueprint.argument`` first)."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            blueprint = rule.endpoint.split(".", 1)[0]
            needed = rule.arguments - set(rule.defaults or {})
            if needed - {"step", "fmt"} - {name.split(".")[-1] for name in values}:
                continue
            arguments = {name: values.get(f"{blueprint}.{name}", values.get(name)) for name in needed - {"step", "fmt"}}
            if "fmt" in needed or rule.rule.rsplit("/", 1)[-1].count("."):
                continue  # exports and feeds (a format argument or a file name) are files, not pages
            for step in STEPS if "step" in needed else [None]:
                urls.append(url_for(rule.endpoint, **arguments, **({"step": step} if step else {})))
    return sorted(set(urls))


def html_page_opened(page, response) -> bool:
    """Whether ``page.goto`` showed an HTML page the logged-in role may see (not a 403/404, a file or the login)."""
    return (
        response is not None
        and response.status == 200
        and "text/html" in response.headers.get("content-type", "")
        and "/auth/login" not in page.url
    )


def every_page_of_every_role(
    new_page: Callable, live_server: str, db, demo: dict, roles, language: str, urls: list[str]
) -> Iterator[tuple[str, str, object]]:
    """``(role, url, page)`` for each of ``urls`` that ``role`` may open, ``page`` showing it in ``language``:
    the anonymous visitor chooses the language, the demo's accounts have it as their own and log in.
    ``new_page()`` gives a page of a fresh browser context for each role."""
    for role in roles:
        page = new_page()
        if role == "anonymous":
            page.goto(f"{live_server}/?lang={language}")
        else:
            db.session.execute(update(User).where(User.role == role).values(preferred_language=language))
            db.session.commit()
            log_in(page, live_server, demo[role], DEMO_PASSWORD)
        for url in urls:
            if html_page_opened(page, page.goto(live_server + url)):
                assert page.locator("html").get_attribute("lang") == language
                yield role, url, page
        page.context.close()
