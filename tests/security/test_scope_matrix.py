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
from app.models import (
    Agreement,
    ConsentPurpose,
    GroupMembership,
    GroupQuota,
    MatchRun,
    Proposal,
    QuotaKind,
    Role,
    StaffRole,
)
from config import TestingConfig

# The URL variables that name a person's record, and which record of a place they take.
RECORD_VARIABLES = {"profile_id", "agreement_id", "proposal_id", "user_id"}
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
            "refugee_user": refugee.id,
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
        "user_id": records["refugee_user"],
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


# Working groups: members from both places; a coordinator of Lippstadt sees the group, but names only its members
# of Lippstadt and counts the others. The group's lead, a volunteer, sees the whole group.
GROUP_PAGES = [
    "/groups/",
    "/groups/{id}",
    "/groups/{id}/proposals",
    "/groups/{id}/contacts",
    "/groups/{id}/contacts.csv",
    "/groups/{id}/contacts.vcf",
]
OUTSIDE_MEMBERS = ("Olga Member", "Oskar Asking")


@pytest.fixture
def group(make_volunteer, make_group):
    """A mentoring group led from Lippstadt, with an active member and a request to join from Werl."""
    listed = (ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_LISTS)
    lead = make_volunteer("Ina Lead", locality="lippstadt", travel_km=2, consents=listed)
    member = make_volunteer("Olga Member", locality="werl", travel_km=2, consents=listed)
    asking = make_volunteer("Oskar Asking", locality="werl", travel_km=2, consents=listed)
    quotas = [GroupQuota(kind=QuotaKind.LOCALITY, key=place, minimum=3) for place in ("lippstadt", "werl")]
    working_group = make_group(
        "mentors",
        requires_offer="mentoring",
        capacity=10,
        quotas=quotas,
        members=[(lead, "active", True), (member, "active", False), (asking, "requested", False)],
    )
    return working_group, lead, {m.profile.user.full_name: m.id for m in working_group.memberships}


@pytest.mark.parametrize("role", SCOPED_ROLES + WIDE_ROLES)
def test_group_pages_name_only_the_members_in_scope(app, places, group, login, role):
    staff, records = places
    working_group, _, _ = group
    client = client_of(app, staff[role], login)
    pages = {url: client.get(url.format(id=working_group.id)) for url in GROUP_PAGES}
    assert {url: response.status_code for url, response in pages.items()} == dict.fromkeys(GROUP_PAGES, 200)
    texts = {url: response.get_data(as_text=True) for url, response in pages.items()}
    outside = records["werl"]["names"] + OUTSIDE_MEMBERS
    leaked = {name for page in texts.values() for name in outside if name in page}

    assert "Ina Lead" in texts["/groups/{id}"] and "Ina Lead" in texts["/groups/{id}/contacts.csv"]
    assert "Insa Inside Second" in texts["/groups/{id}/proposals"]
    if role in SCOPED_ROLES:
        assert leaked == set()
        assert "2 weitere Mitglieder außerhalb Ihrer Gebiete" in texts["/groups/{id}"]
        assert "1 weiteres Mitglied außerhalb Ihrer Gebiete" in texts["/groups/{id}/contacts"]  # active members only
    else:
        assert leaked >= {*OUTSIDE_MEMBERS, "Otto Outside Second"}
        assert not any("außerhalb Ihrer Gebiete" in texts[url] for url in ("/groups/{id}", "/groups/{id}/contacts"))


@pytest.mark.parametrize("role", SCOPED_ROLES + WIDE_ROLES)
@pytest.mark.parametrize(
    ("name", "decision"), [("Olga Member", "remove"), ("Olga Member", "lead"), ("Oskar Asking", "accept")]
)
def test_decisions_on_a_member_outside_the_scope_answer_404(app, places, group, login, role, name, decision):
    staff, _ = places
    working_group, _, memberships = group
    client = client_of(app, staff[role], login)
    membership = db.session.get(GroupMembership, memberships[name])
    before = (membership.status, membership.is_lead)

    response = client.post(f"/groups/{working_group.id}/members/{membership.id}", data={"decision": decision})

    db.session.refresh(membership)
    if role in SCOPED_ROLES:
        assert response.status_code == 404 and (membership.status, membership.is_lead) == before
        assert not any(other in response.get_data(as_text=True) for other in OUTSIDE_MEMBERS)
    else:
        assert response.status_code == 302 and (membership.status, membership.is_lead) != before


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_a_volunteer_outside_the_scope_cannot_be_added_from_the_proposals(app, places, group, login, role):
    staff, records = places
    working_group, _, _ = group
    client = client_of(app, staff[role], login)

    client.post(f"/groups/{working_group.id}/proposals", data={"volunteers": [str(records["werl"]["volunteer"])]})

    db.session.refresh(working_group)
    assert records["werl"]["volunteer"] not in {m.profile_id for m in working_group.memberships}


def test_the_groups_lead_sees_and_decides_for_the_whole_group(app, group, login):
    working_group, lead, memberships = group
    client = client_of(app, lead, login)
    page = client.get(f"/groups/{working_group.id}").get_data(as_text=True)

    assert all(name in page for name in OUTSIDE_MEMBERS) and "außerhalb Ihrer Gebiete" not in page
    response = client.post(
        f"/groups/{working_group.id}/members/{memberships['Oskar Asking']}", data={"decision": "accept"}
    )
    assert response.status_code == 302
    assert db.session.get(GroupMembership, memberships["Oskar Asking"]).status == "active"
