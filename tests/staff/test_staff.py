"""Staff management in the browser: invitations, access, deactivation, organisations and areas, all audited."""

import io
import re
import time
import types

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Area, AuditEvent, Organisation, Role, StaffMembership, StaffRole, User
from app.staff import services

ENGLISH = {"Accept-Language": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def link_in(message) -> str:
    return re.search(r"https?://\S+/staff/join/\S+", message.body).group(0).split("/staff/", 1)[1]


def actions(*names) -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(names)).order_by(AuditEvent.id))
    )


@pytest.fixture
def admin(make_user):
    """An admin who reads the pages in English (the messages below are the English ones)."""
    return make_user(Role.ADMIN, email="ada@example.org", language="en")


@pytest.fixture
def caritas(make_user):
    """Caritas with an organisation admin (no area of her own) and a coordinator for Werl."""
    org_admin = make_user(
        Role.COORDINATOR,
        email="carla@example.org",
        places=(),
        organisation="Caritas",
        staff_role=StaffRole.ORG_ADMIN,
        language="en",
    )
    werl = make_user(
        Role.COORDINATOR, email="walter@example.org", places=("werl",), organisation="Caritas", language="en"
    )
    return org_admin, werl


def invite_form(org: Organisation, email: str, **changes) -> dict:
    area = db.session.scalar(select(Area).where(Area.name == "werl"))
    return {
        "organisation": org.id,
        "full_name": "Nina Neu",
        "email": email,
        "role": "coordinator",
        "areas": [area.id],
        **changes,
    }


def test_an_invitation_opens_an_account_once(client, db, login, caritas, outbox, password):
    org_admin, werl = caritas
    login(client, org_admin)
    organisation = org_admin.memberships[0].organisation

    response = client.post("/staff/invite", data=invite_form(organisation, "Nina@Example.org"))

    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0].to == ["nina@example.org"]
    path = link_in(outbox[0])
    invited = db.session.scalar(select(User).where(User.pending_email == "nina@example.org"))
    assert invited is not None and not invited.active and invited.memberships[0].pending
    client.post("/auth/logout")
    fresh = client.application.test_client()
    fresh.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Nina Neu" in fresh.get(f"/staff/{path}").get_data(as_text=True)
    answer = {"full_name": "Nina Neu", "password": password, "password_confirm": password}
    assert fresh.post(f"/staff/{path}", data=answer).status_code == 302
    db.session.expire_all()
    assert invited.active and invited.email == "nina@example.org" and not invited.memberships[0].pending
    assert fresh.get("/refugees/").status_code == 200  # logged in, with the Werl area
    again = client.application.test_client().post(f"/staff/{path}", data=answer, headers=ENGLISH)
    assert again.status_code == 400 and "not valid" in again.get_data(as_text=True)
    assert actions("staff.invited", "staff.invitation_accepted") == ["staff.invited", "staff.invitation_accepted"]


def test_an_invitation_expires_after_seven_days(client, db, login, caritas, outbox, monkeypatch):
    org_admin, _ = caritas
    login(client, org_admin)
    client.post("/staff/invite", data=invite_form(org_admin.memberships[0].organisation, "late@example.org"))
    path = link_in(outbox[0])
    later = time.time() + 7 * 24 * 3600 + 60
    monkeypatch.setattr("itsdangerous.timed.time", types.SimpleNamespace(time=lambda: later))

    response = client.application.test_client().get(f"/staff/{path}", headers=ENGLISH)

    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("tampered", ["not-a-token", "eyJtIjoxfQ.ZZZZ.abc"])
def test_a_forged_invitation_link_is_refused_with_a_message(client, tampered):
    response = client.get(f"/staff/join/{tampered}", headers=ENGLISH)
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_inviting_an_existing_staff_account_attaches_the_role(client, db, login, admin, caritas, outbox):
    _, werl = caritas
    other = db.session.scalar(select(Organisation).where(Organisation.name == "Koordination")) or Organisation(
        name="Koordination", kind="other"
    )
    db.session.add(other)
    db.session.commit()
    login(client, admin)
    users_before = db.session.scalar(select(func.count(User.id)))

    client.post("/staff/invite", data=invite_form(other, "Walter@example.org"))

    assert db.session.scalar(select(func.count(User.id))) == users_before
    assert {m.organisation.name for m in werl.memberships} == {"Caritas", "Koordination"}
    assert len(outbox) == 1 and "/staff/join/" not in outbox[0].body
    assert actions("staff.role_attached") == ["staff.role_attached"]


def test_a_volunteer_address_is_not_made_staff(client, db, login, admin, caritas, make_volunteer):
    make_volunteer(email="vol@example.org")
    login(client, admin)
    organisation = caritas[0].memberships[0].organisation

    response = client.post("/staff/invite", data=invite_form(organisation, "vol@example.org"), follow_redirects=True)

    assert "account of a volunteer" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(StaffMembership.id)).where(StaffMembership.role == "coordinator")) == 1


@pytest.mark.parametrize(
    "tampered",
    [{"organisation": 999999}, {"areas": [999999]}, {"role": "admin"}, {"whole_installation": "y"}],
    ids=["organisation", "area", "role", "whole-installation"],
)
def test_tampered_invitations_change_nothing(client, db, login, caritas, tampered):
    org_admin, _ = caritas
    login(client, org_admin)
    before = db.session.scalar(select(func.count(StaffMembership.id)))

    response = client.post(
        "/staff/invite", data=invite_form(org_admin.memberships[0].organisation, "x@example.org", **tampered)
    )

    assert response.status_code in (200, 302)
    assert db.session.scalar(select(func.count(StaffMembership.id))) == before
    assert db.session.scalar(select(User).where(User.pending_email == "x@example.org")) is None


def test_an_org_admin_cannot_touch_another_organisations_staff(client, db, login, caritas, make_user):
    org_admin, _ = caritas
    stranger = make_user(Role.COORDINATOR, email="str@example.org", organisation="Stadt Lippstadt")
    membership_id = stranger.memberships[0].id
    login(client, org_admin)

    page = client.get(f"/staff/memberships/{membership_id}", follow_redirects=True).get_data(as_text=True)
    client.post(f"/staff/memberships/{membership_id}/deactivate", follow_redirects=True)

    assert "not yours to manage" in page and "str@example.org" not in client.get("/staff/").get_data(as_text=True)
    db.session.expire_all()
    assert stranger.memberships[0].active and stranger.active


def test_a_plain_coordinator_has_no_staff_pages(client, login, coordinator):
    login(client, coordinator)
    assert client.get("/staff/").status_code == 403
    assert "/staff/" not in client.get("/coordination/").get_data(as_text=True)


def test_deactivation_logs_out_everywhere_and_closes_the_last_membership(client, db, login, caritas):
    org_admin, werl = caritas
    werl_client = client.application.test_client()
    with werl_client.session_transaction() as session:
        session["_user_id"] = werl.get_id()
    assert werl_client.get("/refugees/").status_code == 200
    login(client, org_admin)

    client.post(f"/staff/memberships/{werl.memberships[0].id}/deactivate")

    db.session.expire_all()
    assert not werl.active and not werl.memberships[0].active
    assert werl_client.get("/refugees/").status_code == 302  # back to the login page
    assert actions("staff.deactivated") == ["staff.deactivated"]


def test_removing_an_area_takes_effect_on_the_next_request(client, db, login, caritas, make_refugee):
    org_admin, werl = caritas
    make_refugee("Wera Werl", locality="werl")
    werl_client = client.application.test_client()
    login(werl_client, werl)
    assert "Wera Werl" in werl_client.get("/refugees/").get_data(as_text=True)
    login(client, org_admin)

    client.post(f"/staff/memberships/{werl.memberships[0].id}", data={"role": "coordinator", "areas": []})

    page = werl_client.get("/refugees/").get_data(as_text=True)
    assert "Wera Werl" not in page and "not responsible for any area" in page
    assert actions("staff.access_changed") == ["staff.access_changed"]


def test_a_place_moved_to_another_area_moves_its_people(client, db, login, admin, caritas, make_refugee):
    _, werl = caritas
    make_refugee("Erna Ense", locality="ense")
    login(client, werl)
    assert "Erna Ense" not in client.get("/refugees/").get_data(as_text=True)
    area = werl.memberships[0].areas[0]

    services.save_area(area, area.name, ["werl", "ense"], admin)

    assert "Erna Ense" in client.get("/refugees/").get_data(as_text=True)


def test_a_coordinator_without_an_area_sees_an_explanation(client, login, make_user, make_refugee):
    make_refugee("Somebody")
    login(client, make_user(Role.COORDINATOR, places=(), language="en"))

    for url in ("/coordination/", "/refugees/", "/matching/"):
        page = client.get(url).get_data(as_text=True)
        assert "not responsible for any area" in page and "Somebody" not in page
        assert "manages your organisation's staff" not in page
    response = client.post("/matching/run", follow_redirects=True)
    assert "nobody to match" in response.get_data(as_text=True)


def test_an_organisation_admin_without_an_area_is_pointed_to_the_staff_pages(client, login, caritas):
    org_admin, _ = caritas
    login(client, org_admin)

    for url in ("/coordination/", "/refugees/", "/staff/"):
        page = client.get(url).get_data(as_text=True)
        assert "manages your organisation's staff" in page and 'href="/staff/"' in page
        assert "not responsible for any area" not in page


def test_admins_manage_organisations_with_a_logo(client, db, login, admin):
    login(client, admin)
    data = {"name": "Diakonie Ruhr-Hellweg", "kind": "welfare", "email": "info@example.org"}

    refused = client.post(
        "/staff/organisations/new", data={**data, "logo": (io.BytesIO(PNG[:4] + b"<svg>"), "logo.svg")}
    )
    assert "PNG or JPEG" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Organisation).where(Organisation.name == data["name"])) is None
    too_big = client.post(
        "/staff/organisations/new", data={**data, "logo": (io.BytesIO(PNG + b"\0" * 200_000), "big.png")}
    )
    assert too_big.status_code in (200, 413)
    assert db.session.scalar(select(Organisation).where(Organisation.name == data["name"])) is None

    client.post("/staff/organisations/new", data={**data, "logo": (io.BytesIO(PNG), "logo.png")})

    organisation = db.session.scalar(select(Organisation).where(Organisation.name == data["name"]))
    logo = client.get(f"/staff/organisations/{organisation.id}/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == PNG


def test_an_area_needs_a_place_and_a_free_name(client, db, login, admin):
    login(client, admin)
    assert "at least one place" in client.post("/staff/areas/new", data={"name": "Nord"}).get_data(as_text=True)
    client.post("/staff/areas/new", data={"name": "Nord", "places": ["lippstadt"]})
    again = client.post("/staff/areas/new", data={"name": "Nord", "places": ["geseke"]})
    assert "taken already" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Area.id)).where(Area.name == "Nord")) == 1
