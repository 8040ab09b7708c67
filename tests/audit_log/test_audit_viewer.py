"""The audit viewer: filters by person, staff member, action and date; pages; CSV; bad filter input."""

import ast
import csv
import html
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit import ACTIONS
from app.models import AuditEvent, Role

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def dpo(make_user):
    return make_user(Role.DPO, email="dora@example.org", name="Dora Datenschutz", language="en")


@pytest.fixture
def dpo_client(client, dpo, login):
    login(client, dpo)
    return client


@pytest.fixture
def events(db, make_user, make_refugee, make_volunteer):
    """Two coordinators who viewed and changed the records of a refugee and a volunteer on known days."""
    cora = make_user(Role.COORDINATOR, email="cora@example.org", name="Cora Coordinator")
    carl = make_user(Role.COORDINATOR, email="carl@example.org", name="Carl Coordinator")
    amal = make_refugee("Amal Haddad", phone="+4917600000002")
    vera = make_volunteer('=HYPERLINK("http://evil.example")', email="vera@example.org")

    def event(actor, action, subject, day):
        db.session.add(
            AuditEvent(
                actor=actor,
                action=action,
                subject_type=type(subject).__name__,
                subject_id=str(subject.id),
                created_at=datetime(2026, 11, day, 12, 0, tzinfo=timezone.utc),
            )
        )

    event(cora, "refugee.viewed", amal.refugee_profile, 2)
    event(carl, "refugee.viewed", amal.refugee_profile, 5)
    event(carl, "refugee.access_code_issued", amal.refugee_profile, 9)
    event(cora, "volunteer.viewed", vera.volunteer_profile, 9)
    event(cora, "volunteer.clearance_checked", vera.volunteer_profile, 20)
    db.session.commit()
    return {"cora": cora, "carl": carl, "amal": amal, "vera": vera}


def rows(response) -> list[str]:
    """The actions listed on the page, in order."""
    page = response.get_data(as_text=True)
    return [cell.split("</code>")[0] for cell in page.split("<td><code>")[1:]]


def test_the_dpo_starts_on_the_audit_log_and_sees_everything_newest_first(client, dpo, password, events):
    answer = client.post("/auth/login", data={"identifier": dpo.email, "password": password})
    assert answer.location.endswith("/audit/")

    listed = rows(client.get("/audit/"))

    assert listed == [
        "user.login",  # the officer's own
        "volunteer.clearance_checked",
        "volunteer.viewed",
        "refugee.access_code_issued",
        "refugee.viewed",
        "refugee.viewed",
    ]


def test_admins_read_it_too(admin_client, events):
    assert admin_client.get("/audit/").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "refugee.viewed"}, ["refugee.viewed", "refugee.viewed"]),
        (
            {"date_from": "2026-11-05", "date_to": "2026-11-09"},
            ["volunteer.viewed", "refugee.access_code_issued", "refugee.viewed"],
        ),
        ({"date_to": "2026-11-02"}, ["refugee.viewed"]),
        ({"person": "amal"}, ["refugee.access_code_issued", "refugee.viewed", "refugee.viewed"]),
        ({"person": "0176 00000002"}, ["refugee.access_code_issued", "refugee.viewed", "refugee.viewed"]),
        ({"person": "VERA@example.org", "action": "volunteer.viewed"}, ["volunteer.viewed"]),
    ],
)
def test_filters(dpo_client, events, query, expected):
    assert rows(dpo_client.get("/audit/", query_string=query)) == expected


def test_filter_by_staff_member(dpo_client, events):
    listed = rows(dpo_client.get("/audit/", query_string={"staff": events["carl"].id}))
    assert listed == ["refugee.access_code_issued", "refugee.viewed"]


def test_a_search_that_finds_several_people_asks_which(dpo_client, events):
    page = dpo_client.get("/audit/", query_string={"person": "coordinator", "action": "refugee.viewed"})
    text = page.get_data(as_text=True)

    assert "Which person do you mean?" in text and rows(page) == []
    link = f"person_id={events['carl'].id}"
    assert link in text and "action=refugee.viewed" in text
    chosen = dpo_client.get("/audit/", query_string={"person_id": events["amal"].id})
    assert len(rows(chosen)) == 3


def test_pages(dpo_client, db, app, events):
    for _ in range(30):
        db.session.add(AuditEvent(action="user.login"))
    db.session.commit()

    first = dpo_client.get("/audit/", query_string={"action": "user.login"})
    second = dpo_client.get("/audit/", query_string={"action": "user.login", "page": 2})

    per_page = app.config["LIST_PAGE_SIZE"]
    assert len(rows(first)) == per_page and len(rows(second)) == 30 - per_page
    assert "action=user.login" in first.get_data(as_text=True).split('class="pagination"')[1]


def test_large_results_are_counted_only_up_to_a_limit(dpo_client, db, monkeypatch, events):
    from app.audit_log import services

    monkeypatch.setattr(services, "COUNT_LIMIT", 3)
    capped = dpo_client.get("/audit/", environ_base=ENGLISH).get_data(as_text=True)
    exact = dpo_client.get("/audit/", query_string={"action": "refugee.viewed"}, environ_base=ENGLISH)

    assert "More than 3 events: the list shows the newest 3." in capped
    assert "2 events" in exact.get_data(as_text=True)


def test_csv_export_is_formula_safe_filtered_and_audited(dpo_client, db, dpo, events):
    answer = dpo_client.get("/audit/export.csv", query_string={"person": "vera@example.org"})

    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    text = answer.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    # The export is about the person too: it is recorded before the file is written.
    assert [row[3] for row in table[1:]] == ["audit.exported", "volunteer.clearance_checked", "volunteer.viewed"]
    assert table[2][0] == "2026-11-20 13:00:00"  # local time
    assert table[2][6] == '\'=HYPERLINK("http://evil.example")'
    exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
    assert exported.actor_id == dpo.id and exported.subject_id == str(events["vera"].id)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "yesterday"}, "Please enter a date."),
        ({"date_from": "2026-02-30"}, "Please enter a date."),
        ({"date_from": "0001-01-01"}, "Please enter a date between 1900 and 2100."),
        ({"date_from": "2026-11-10", "date_to": "2026-11-01"}, "The end date lies before the start date."),
        ({"staff": "999999"}, "Please choose one of the options."),
        ({"staff": "cora"}, "Please choose one of the options."),
        ({"action": "drop table"}, "Please choose one of the options."),
        ({"person_id": "0"}, "This is not a person's number."),
        ({"person_id": "99999999999999999999"}, "This is not a person's number."),
        ({"person_id": "abc"}, "Please enter a whole number."),
        ({"person_id": "999999"}, "Nobody with this name"),
        ({"person": "x" * 101}, "At most 100 characters."),
        ({"person": "nobody at all"}, "Nobody with this name"),
        ({"person": "%"}, "Nobody with this name"),
        ({"page": "-1"}, None),
    ],
)
@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv"])
def test_bad_filter_input_gets_a_clear_message(dpo_client, db, events, path, query, message):
    before = db.session.query(AuditEvent).count()

    answer = dpo_client.get(path, query_string=query, environ_base=ENGLISH)

    assert answer.status_code < 500
    if message is not None:
        assert message in html.unescape(answer.get_data(as_text=True))
        assert answer.status_code == (400 if path.endswith(".csv") else 200)
        assert db.session.query(AuditEvent).count() == before  # no export recorded


def test_too_many_people_ask_for_more_detail(dpo_client, make_user, events):
    for n in range(21):
        make_user(Role.VOLUNTEER, email=f"many{n}@example.org", name=f"Maria Many {n}")
    answer = dpo_client.get("/audit/", query_string={"person": "maria"})
    assert "More than 20 people match" in answer.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/refugees/", "/volunteers/", "/coordination/", "/admin/", "/sponsorships/"])
def test_the_dpo_reads_nothing_else(dpo_client, path):
    assert dpo_client.get(path).status_code in (403, 404)


def test_the_command_line_creates_a_dpo(runner, db):
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "dpo@example.org",
            "--name",
            "Dora",
            "--password",
            "long enough pw",
            "--role",
            "dpo",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Data-protection officer dpo@example.org created." in result.output
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions == ["user.dpo_created"]


def _recorded_actions() -> set[str]:
    """Every action string the app's code passes to ``audit.record`` (literals, also in conditionals)."""
    found = set()
    for path in Path("app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "record":
                if node.args:
                    found |= {
                        n.value
                        for n in ast.walk(node.args[0])
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    }
    return found


def test_the_action_filter_offers_every_recorded_action():
    recorded = _recorded_actions() | {"refugee.viewed", "volunteer.viewed"}  # passed on by app/profiles.py
    assert sorted(recorded - set(ACTIONS)) == [], "add these to app.audit.ACTIONS"
    assert sorted(set(ACTIONS) - recorded) == []
