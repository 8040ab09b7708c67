"""Every route that names a person's record × every staff role × a record inside and one outside the scope.

Lippstadt's coordinator and Lippstadt's organisation admin are responsible
for Lippstadt only; Werl lies 30 km away. A record outside the scope is a
404 on every route (never a hint that it exists), and no page a scoped
coordinator opens names a person outside the scope. The district office and
admins see both.
"""

from datetime import date, timedelta

import pytest
from district import methods, rules

from app import create_app
from app.extensions import db
from app.models import Agreement, MatchRun, Proposal, Role, StaffRole
from config import TestingConfig

# The URL variables that name a person's record, and which record of a place they take.
RECORD_VARIABLES = {"profile_id", "agreement_id", "proposal_id"}
SCOPED_ROUTES = [
    (rule.rule, method)
    for rule in rules(create_app(TestingConfig))
    if RECORD_VARIABLES & set(rule.arguments) and not rule.rule.startswith("/groups")
    for method in methods(rule)
]
SCOPED_ROLES = ("area_coordinator", "area_org_admin")
WIDE_ROLES = ("district_coordinator", "admin")
LIST_PAGES = ["/refugees/", "/volunteers/", "/sponsorships/", "/matching/", "/coordination/"]


@pytest.fixture
def places(app, make_user, make_volunteer, make_refugee):
    """Per place (Lippstadt inside, Werl outside), its people and records; the staff by role."""
    staff = {
        "area_coordinator": make_user(Role.COORDINATOR, email="lena@example.org", places=("lippstadt",)),
        "area_org_admin": make_user(
            Role.COORDINATOR,
            email="olaf@example.org",
            places=("lippstadt",),
            organisation="Stadt Lippstadt",
            staff_role=StaffRole.ORG_ADMIN,
        ),
        "district_coordinator": make_user(Role.COORDINATOR, email="dora@example.org"),
        "admin": make_user(Role.ADMIN, email="ada@example.org"),
    }
    run = MatchRun(settings={}, metrics={"proposed": 2, "unmatched": 0, "seconds_total": 0.1})
    records = {}
    for place, name, phone in (
        ("lippstadt", "Insa Inside", "+4917600000011"),
        ("werl", "Otto Outside", "+4917600000012"),
    ):
        volunteer = make_volunteer(f"{name} Helper", locality=place, travel_km=2, offers=("mentoring",))
        other = make_volunteer(f"{name} Second", locality=place, travel_km=2, offers=("mentoring",))
        refugee = make_refugee(name, phone=phone, locality=place, birth_year=1988)
        make_refugee(name, locality=place, birth_year=1988)  # a re-registration: a possible duplicate
        agreement = Agreement(
            refugee=refugee.refugee_profile,
            volunteer=volunteer.volunteer_profile,
            starts_on=date.today(),
            ends_on=date.today() + timedelta(days=90),
        )
        proposal = Proposal(
            run=run,
            volunteer=other.volunteer_profile,
            refugee=refugee.refugee_profile,
            score=0.5,
            reasons=[],
            alternatives=[{"volunteer": volunteer.volunteer_profile.id, "score": 0.4}],
        )
        db.session.add_all([agreement, proposal])
        db.session.commit()
        records[place] = {
            "names": (name, f"{name} Helper", f"{name} Second"),
            "refugee": refugee.refugee_profile.id,
            "volunteer": volunteer.volunteer_profile.id,
            "agreement_id": agreement.id,
            "proposal_id": proposal.id,
        }
    return staff, records


def url_for_record(app, rule_text: str, records: dict) -> str:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.rule == rule_text)
    values = {
        "profile_id": records["volunteer"] if rule_text.startswith("/volunteers") else records["refugee"],
        "agreement_id": records["agreement_id"],
        "proposal_id": records["proposal_id"],
        "step": 1,
        "action": "end",
    }
    with app.test_request_context():
        return app.url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def client_of(app, user, login):
    client = app.test_client()
    login(client, user)
    return client


@pytest.mark.parametrize(("rule_text", "method"), SCOPED_ROUTES)
@pytest.mark.parametrize("role", SCOPED_ROLES + WIDE_ROLES)
def test_a_record_outside_the_scope_does_not_exist(app, places, login, role, rule_text, method):
    staff, records = places
    client = client_of(app, staff[role], login)
    outside = client.open(url_for_record(app, rule_text, records["werl"]), method=method)
    inside = client.open(url_for_record(app, rule_text, records["lippstadt"]), method=method)

    assert inside.status_code not in (403, 404) and inside.status_code < 500
    if role in SCOPED_ROLES:
        assert outside.status_code == 404
        assert not any(name in outside.get_data(as_text=True) for name in records["werl"]["names"])
    else:
        assert outside.status_code not in (403, 404) and outside.status_code < 500


@pytest.mark.parametrize("role", SCOPED_ROLES + WIDE_ROLES)
def test_lists_and_overviews_name_only_the_people_in_scope(app, places, login, role):
    staff, records = places
    client = client_of(app, staff[role], login)
    pages = {url: client.get(url).get_data(as_text=True) for url in LIST_PAGES}
    detail = client.get(f"/refugees/{records['lippstadt']['refugee']}").get_data(as_text=True)

    assert "Insa Inside" in pages["/refugees/"] and "Insa Inside Helper" in pages["/volunteers/"]
    leaked = [(url, name) for url, page in pages.items() for name in records["werl"]["names"] if name in page]
    leaked += [("detail", name) for name in records["werl"]["names"] if name in detail]
    assert leaked == [] if role in SCOPED_ROLES else leaked != []
