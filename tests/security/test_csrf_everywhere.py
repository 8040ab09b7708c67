"""Every POST route refuses a request without a valid CSRF token, for every kind of visitor, and
changes nothing; a token handed out before a login is not accepted after it."""

import re

import pytest
from district import methods, rules, snapshot

from app import create_app
from app.models import Role
from app.security.access import PRINCIPALS
from config import TestingConfig

POST_RULES = [rule.rule for rule in rules(create_app(TestingConfig)) if "POST" in methods(rule)]


@pytest.fixture
def app_config(database_url, make_config):
    return make_config(database_url, WTF_CSRF_ENABLED=True)


def token_in(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("rule_text", POST_RULES)
def test_posts_without_or_with_a_forged_token_are_refused(world, rule_text):
    rule = next(rule for rule in world.app.url_map.iter_rules() if rule.rule == rule_text)
    url = world.url(rule)
    someone_else = world.client(Role.VOLUNTEER)
    forged = token_in(someone_else.get("/auth/consents").get_data(as_text=True))  # valid, but for another session
    before = snapshot()
    for principal in PRINCIPALS:
        client = world.client(principal)
        for data in ({}, {"csrf_token": ""}, {"csrf_token": "not a token"}, {"csrf_token": forged}):
            response = client.post(url, data=data)
            assert response.status_code == 400, (principal, url, data)
    assert snapshot() == before


def test_a_token_from_before_the_login_is_refused_after_it(client, make_user, password, db):
    user = make_user(Role.VOLUNTEER, email="vera@example.org")
    planted = token_in(client.get("/auth/login").get_data(as_text=True))

    response = client.post(
        "/auth/login", data={"identifier": "vera@example.org", "password": password, "csrf_token": planted}
    )
    assert response.status_code == 302

    assert client.post("/auth/logout-everywhere", data={"csrf_token": planted}).status_code == 400
    assert user.session_version == 0
    fresh = token_in(client.get("/auth/consents").get_data(as_text=True))
    assert fresh != planted
    assert client.post("/auth/logout-everywhere", data={"csrf_token": fresh}).status_code == 302
    assert user.session_version == 1
