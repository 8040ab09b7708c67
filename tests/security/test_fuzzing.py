"""Property-based fuzzing of every route: any URL values, query arguments and form fields give an
answer, never a server error (500), for every kind of visitor.

``BRUECKENBAU_FUZZ_EXAMPLES`` sets the examples per route (default 25); a review runs it with 500.
"""

import inspect
import os
import re
from urllib.parse import quote, urlencode

import pytest
from district import methods, rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import Form
from wtforms.fields.core import UnboundField

import app as app_package
from app import create_app
from app.models import Role, WorkingGroup
from app.security.access import ACCESS, PRINCIPALS
from app.security.converters import MAX_ID
from config import TestingConfig

EXAMPLES = int(os.environ.get("BRUECKENBAU_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
URL_MAP_APP = create_app(TestingConfig)
URL_MAP_RULES = rules(URL_MAP_APP)
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

NASTY = [
    "",
    "0",
    "-1",
    str(MAX_ID),
    str(MAX_ID + 1),
    str(2**63),
    str(10**30),
    "²",
    "①",
    "٣",
    "1e9",
    "NaN",
    "inf",
    "2024-02-30",
    "9999-12-31",
    "y",
    "on",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "=1+1",
    "a\u202eb",
    "x" * 5000,
]
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.integers(-(2**70), 2**70).map(str),
    st.dates().map(str),
)
QUERY_NAMES = [
    "page",
    "per_page",
    "q",
    "lang",
    "next",
    "edit",
    "status",
    "c",
    "locality",
    "language",
    "need",
    "offer",
    "day",
    "part",
    "clearance",
    "children",
    "unmatched",
    "endpoint",
    "_method",
    "_external",
    "_anchor",
    "_scheme",
]


def form_field_names() -> list[str]:
    """Every field name of every form in the app, and the rows of its lists."""
    forms, pending = set(), list(Form.__subclasses__())
    while pending:
        form = pending.pop()
        forms.add(form)
        pending.extend(form.__subclasses__())
    names = {
        name
        for form in forms
        if form.__module__.startswith(app_package.__name__)
        for name in dir(form)
        if isinstance(getattr(form, name, None), UnboundField)
    }
    rows = [f"{field}-{n}-{sub}" for field, sub in [("members", "relation"), ("members", "age")] for n in (0, 1)]
    rows += [f"languages-{n}-{sub}" for sub in ("language", "level") for n in (0, 1)]
    return sorted(names | set(rows))


FIELD_NAMES = form_field_names()


def view_field_names(rule) -> list[str]:
    """The field names of the forms a rule's view makes: the form classes its code names, or the code of
    the app's functions it calls names (two calls deep), also inside tables of forms (one per step).
    Drawn most often, so that each route's own fields get the nasty values."""
    forms: set[type] = set()
    seen: set[object] = set()

    def named_by(function, depth: int) -> None:
        code = getattr(function, "__code__", None)
        if code is None or function in seen:
            return
        seen.add(function)
        for name in code.co_names:
            value = function.__globals__.get(name)
            values = list(value.values()) if isinstance(value, dict) else [value]
            for item in values:
                if isinstance(item, type) and issubclass(item, Form):
                    forms.add(item)
                elif depth and getattr(item, "__module__", "").startswith(app_package.__name__):
                    named_by(inspect.unwrap(item), depth - 1)

    named_by(inspect.unwrap(URL_MAP_APP.view_functions[rule.endpoint]), 2)
    return sorted({name for form in forms for name in dir(form) if isinstance(getattr(form, name, None), UnboundField)})


def path_value(converter: str | None):
    if converter == "int":
        return st.one_of(st.integers(-5, 50), st.integers(0, 2**80), st.sampled_from(NASTY)).map(str)
    if converter == "any":
        return st.one_of(st.sampled_from(["end", "cancel"]), st.text(min_size=1, max_size=10))
    return st.one_of(st.text(min_size=1, max_size=30), st.sampled_from([n for n in NASTY if n]))


def fuzzed_path(rule_text: str, world):
    """The rule with each variable either a real record's value or anything at all."""
    parts = PLACEHOLDER.split(rule_text)
    strategies = [st.just(parts[0])]
    for index in range(1, len(parts), 3):
        converter, name, literal = parts[index], parts[index + 1], parts[index + 2]
        real = world.values.get(name, world.refugee_profile_id if name == "profile_id" else None)
        choices = [path_value(converter)] + ([st.just(str(real))] if real is not None else [])
        strategies += [st.one_of(*choices).map(lambda value: quote(value, safe="")), st.just(literal)]
    return st.tuples(*strategies).map("".join)


queries = st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=8)), texts, max_size=4)


def form_data(own_fields: list[str]):
    """Forms of up to 8 fields: the view's own fields first, then any field of the app, or any name."""
    names = [st.sampled_from(FIELD_NAMES), st.text(max_size=8)]
    if own_fields:
        names.insert(0, st.sampled_from(own_fields))
    return st.dictionaries(st.one_of(*names), st.one_of(texts, st.lists(texts, max_size=3)), max_size=8)


@pytest.mark.parametrize("rule_text", [rule.rule for rule in URL_MAP_RULES if "GET" in methods(rule)])
def test_get_with_any_url_and_query_is_never_a_server_error(world, rule_text):
    @FUZZ
    @given(path=fuzzed_path(rule_text, world), query=queries, principal=st.sampled_from(PRINCIPALS))
    def fuzz(path, query, principal):
        url = f"{path}?{urlencode(query)}" if query else path
        response = world.client(principal).get(url)
        assert response.status_code < 500, (principal, url)

    fuzz()


@pytest.mark.parametrize("rule", [rule for rule in URL_MAP_RULES if "POST" in methods(rule)], ids=str)
def test_post_with_any_form_is_never_a_server_error(world, rule):
    rule_text = rule.rule
    allowed = [principal for principal in PRINCIPALS if principal in ACCESS[rule_text]]
    data = form_data(view_field_names(rule))

    @FUZZ
    @given(path=fuzzed_path(rule_text, world), data=data, principal=st.sampled_from(allowed))
    def fuzz(path, data, principal):
        response = world.client(principal).post(path, data=data)
        assert response.status_code < 500, (principal, path, data)

    fuzz()


@pytest.mark.parametrize(
    "path",
    [
        f"/groups/{2**63}",
        f"/groups/{2**31}",
        f"/sponsorships/{2**31}",
        f"/sponsorships/{2**63}",
        f"/refugees/{MAX_ID + 1}",
        f"/volunteers/{10**30}",
        f"/welcome/{2**63}/step/1",
        f"/welcome/step/{2**63}",
    ],
)
def test_ids_beyond_the_databases_range_are_not_found(coordinator_client, path):
    assert coordinator_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "endpoint=x",
        "_method=x",
        "_external=1",
        "_anchor=x",
        f"page={10**30}",
        "page=-3",
        "page=²",
        "q=Person&endpoint=b",
    ],
)
@pytest.mark.parametrize("list_path", ["/refugees/", "/volunteers/"])
def test_pagination_builds_links_only_from_the_filters(
    coordinator_client, make_refugee, make_volunteer, query, list_path
):
    for n in range(30):  # more than one page
        make_refugee(f"Person {n}") if list_path == "/refugees/" else make_volunteer(f"Person {n}", email=f"p{n}@x.org")
    response = coordinator_client.get(f"{list_path}?{query}")
    assert response.status_code == 200
    links = re.findall(r'<nav class="pagination".*?</nav>', response.get_data(as_text=True), re.S)[0]
    assert "endpoint" not in links and "_method" not in links and "_external" not in links
    assert "page=2" in links
    assert ("q=Person" in links) == ("q=Person" in query)


@pytest.mark.parametrize("duplicate_id", ["²", "①", "٣", str(2**63), str(MAX_ID + 1), "-1", "", "x"])
def test_a_merge_with_a_strange_id_changes_nothing(coordinator_client, make_refugee, db, duplicate_id):
    keep = make_refugee("Amal Haddad").refugee_profile
    response = coordinator_client.post(f"/refugees/{keep.id}/merge", data={"duplicate_id": duplicate_id})
    assert response.status_code == 302
    assert keep.status == "active"


def test_the_roles_can_reach_their_pages():
    """The POST fuzzing sends each route's allowed roles: every route has one."""
    for rule in URL_MAP_RULES:
        assert ACCESS[rule.rule], rule.rule
    assert Role.COORDINATOR in ACCESS["/refugees/<int:profile_id>/merge"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_dates_beyond_the_calendar_are_refused_with_a_message(coordinator_client, db, day):
    group = {"slug": "sport", "name": "Sport", "capacity": "5", "meeting_minutes": "600", "meeting_time": "23:00"}
    response = coordinator_client.post("/groups/new", data={**group, "first_meeting_on": day})
    assert response.status_code == 200
    assert "Bitte geben Sie ein Datum zwischen 1900 und 2100 ein." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(WorkingGroup.id))) == 0
    assert coordinator_client.post("/groups/new", data={**group, "first_meeting_on": "2100-12-31"}).status_code == 302
