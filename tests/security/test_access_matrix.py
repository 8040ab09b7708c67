"""Every route of the URL map against every kind of visitor, as ``app/security/access.py`` declares.

The routes are read from ``app.url_map``: a new route fails here until someone
declares who may use it.
"""

from urllib.parse import urlsplit

import pytest
from district import methods, rules

from app import create_app
from app.security.access import ACCESS, PRINCIPALS
from config import TestingConfig

URL_MAP_RULES = rules(create_app(TestingConfig))
ROUTES = [(rule.rule, method) for rule in URL_MAP_RULES for method in methods(rule)]


def refused(response) -> bool:
    """403, or sent to the login page to come back afterwards (Flask-Login's answer to anonymous visitors)."""
    if response.status_code in (401, 403):
        return True
    location = urlsplit(response.location or "")
    return response.status_code == 302 and location.path == "/auth/login" and "next=" in location.query


def test_every_route_is_declared_and_every_declaration_is_a_route():
    routes = {rule.rule for rule in URL_MAP_RULES}
    assert sorted(routes - set(ACCESS)) == [], "declare who may use these routes in app/security/access.py"
    assert sorted(set(ACCESS) - routes) == [], "these declarations name no route"


@pytest.mark.parametrize(("rule_text", "method"), ROUTES)
def test_each_kind_of_visitor_gets_what_is_declared(world, rule_text, method):
    rule = next(rule for rule in world.app.url_map.iter_rules() if rule.rule == rule_text)
    url = world.url(rule)
    outcomes = {}
    for principal in PRINCIPALS:
        response = world.client(principal).open(url, method=method)
        assert response.status_code < 500, (principal, url)
        outcomes[principal] = not refused(response)
    assert outcomes == {principal: principal in ACCESS[rule_text] for principal in PRINCIPALS}
