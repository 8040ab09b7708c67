"""The policy layer: scopes as SQL agree with the record-by-record rules, counts equal scoped rows, hand-overs."""

import pytest
from flask import g
from sqlalchemy import func, select

from app import policies
from app.models import AuditEvent, Locality, RefugeeProfile, Role, VolunteerProfile
from app.refugees.services import RefugeeFilters, refugee_search
from app.volunteers.services import VolunteerFilters, volunteer_search

SCOPES = [("lippstadt",), ("werl", "wickede", "ense"), ("warstein", "ruethen"), None, ()]


@pytest.fixture
def district(app, make_refugee, make_volunteer):
    """A refugee and volunteers with several travel distances in every place."""
    places = sorted(app.extensions["sqlalchemy"].session.scalars(select(Locality.id)))
    for n, place in enumerate(places):
        make_refugee(f"Family {place}", locality=place)
        for km in (0, 8, 25):
            make_volunteer(f"Helper {place} {km}", email=f"h-{n}-{km}@example.org", locality=place, travel_km=km)
    return places


@pytest.mark.parametrize("places", SCOPES, ids=lambda p: "district" if p is None else ",".join(p) or "none")
def test_sql_scope_and_record_rules_agree_and_counts_equal_the_rows(db, district, make_user, places):
    coordinator = make_user(Role.COORDINATOR, places=places)
    refugees = db.session.scalars(select(RefugeeProfile)).all()
    volunteers = db.session.scalars(select(VolunteerProfile)).all()

    listed_refugees = set(db.session.scalars(refugee_search(RefugeeFilters(), coordinator)))
    listed_volunteers = set(db.session.scalars(volunteer_search(VolunteerFilters(), coordinator)))

    assert listed_refugees == {r for r in refugees if policies.can(coordinator, "view", r)}
    assert listed_volunteers == {v for v in volunteers if policies.can(coordinator, "view", v)}
    counted = db.session.scalar(
        select(func.count()).select_from(refugee_search(RefugeeFilters(), coordinator).subquery())
    )
    assert counted == len(listed_refugees)
    if places is None:
        assert len(listed_refugees) == len(refugees)
    elif places == ():
        assert listed_refugees == set() and listed_volunteers == set()
    else:
        assert {r.locality_id for r in listed_refugees} == set(places)
        assert any(v.locality_id not in places for v in listed_volunteers)  # they reach the area from outside
        assert all(v.travel_km > 0 for v in listed_volunteers if v.locality_id not in places)


def test_the_scope_is_read_once_per_request(app, db, make_user):
    coordinator = make_user(Role.COORDINATOR, places=("lippstadt",))
    with app.test_request_context():
        assert policies.scope_of(coordinator).places == {"lippstadt"}
        coordinator.memberships[0].areas = []
        assert policies.scope_of(coordinator).places == {"lippstadt"}  # the same request
        g.pop("policy_scopes")
        assert policies.scope_of(coordinator).empty  # the next request


def test_a_refugee_who_moves_is_handed_over_with_a_note(client, db, login, make_user, make_refugee):
    lippstadt = make_user(Role.COORDINATOR, places=("lippstadt",))
    werl = make_user(Role.COORDINATOR, places=("werl",))
    profile = make_refugee("Mira Moved", locality="lippstadt").refugee_profile
    login(client, lippstadt)

    response = client.post(
        f"/refugees/{profile.id}/hand-over", data={"locality_id": "werl", "note": "Moved to her sister."}
    )

    assert response.status_code == 302 and response.location.endswith("/refugees/")
    assert client.get(f"/refugees/{profile.id}").status_code == 404
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "refugee.handed_over"))
    assert event.detail == {"moved_from": "lippstadt", "moved_to": "werl", "note": "Moved to her sister."}
    login(client, werl)
    assert client.get(f"/refugees/{profile.id}").status_code == 200


@pytest.mark.parametrize("data", [{"locality_id": "atlantis", "note": "x"}, {"locality_id": "werl", "note": ""}])
def test_a_hand_over_with_bad_input_changes_nothing(client, db, login, make_user, make_refugee, data):
    login(client, make_user(Role.COORDINATOR, places=("lippstadt",)))
    profile = make_refugee("Mira Stays", locality="lippstadt").refugee_profile

    response = client.post(f"/refugees/{profile.id}/hand-over", data=data, follow_redirects=True)

    assert response.status_code == 200 and "flash-error" in response.get_data(as_text=True)
    db.session.expire_all()
    assert profile.locality_id == "lippstadt"


def test_special_category_data_only_in_scope(client, db, login, make_user, make_refugee):
    profile = make_refugee("Sara Special", locality="werl", residence_status="tolerated").refugee_profile
    login(client, make_user(Role.COORDINATOR, places=("werl",), language="en"))
    assert "Residence status" in client.get(f"/refugees/{profile.id}").get_data(as_text=True)
    login(client, make_user(Role.COORDINATOR, places=("lippstadt",)))
    assert client.get(f"/refugees/{profile.id}").status_code == 404


def test_a_contact_list_export_holds_only_the_members_in_scope(app, db, make_user, make_volunteer, make_group):
    from app.exports.services import contact_table
    from app.models import ConsentPurpose, MembershipStatus

    consents = (ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_LISTS)
    near = make_volunteer("Nora Near", locality="werl", travel_km=0, consents=consents)
    far = make_volunteer("Fritz Far", locality="geseke", travel_km=0, consents=consents)
    group = make_group(members=[(near, MembershipStatus.ACTIVE, True), (far, MembershipStatus.ACTIVE, False)])

    werl, district = make_user(Role.COORDINATOR, places=("werl",)), make_user(Role.COORDINATOR)
    with app.test_request_context():
        scoped, whole = contact_table(group, werl), contact_table(group, district)

    assert [c.name for c in scoped.contacts] == ["Nora Near"]
    assert sorted(c.name for c in whole.contacts) == ["Fritz Far", "Nora Near"]


@pytest.mark.parametrize("places", SCOPES[:3], ids=lambda p: ",".join(p))
def test_the_overview_counts_the_scoped_rows(db, district, make_user, places):
    from app.coordination.services import overview
    from app.matching_problem import matchable_refugee, matchable_volunteers

    coordinator = make_user(Role.COORDINATOR, places=places)
    in_scope = list(
        db.session.scalars(select(RefugeeProfile).where(matchable_refugee(policies.refugees_in_scope(coordinator))))
    )

    result = overview(coordinator)

    assert result.refugees == len(in_scope)
    assert result.volunteers == len(matchable_volunteers(policies.volunteers_in_scope(coordinator)))
    assert {gap.locality.id for gap in result.gaps} <= set(places)
    assert sum(row.needed for row in result.balances) == sum(len(r.needs) for r in in_scope)
