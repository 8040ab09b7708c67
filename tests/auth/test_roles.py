"""Every page checks the role of who asks."""

import pytest

from app.models import Role

COORDINATION_PAGES = [
    "/coordination/",
    "/volunteers/",
    "/volunteers/{volunteer}",
    "/refugees/",
    "/refugees/{refugee}",
    "/welcome/assisted",
    "/welcome/{refugee}/step/1",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/localities/new",
    "/admin/localities/soest",
    "/admin/categories/new",
    "/admin/categories/mentoring",
]
VOLUNTEER_PAGES = ["/volunteers/me", "/volunteers/questionnaire/1"]
REFUGEE_PAGES = ["/welcome/me", "/welcome/step/1"]
PERSONAL_PAGES = ["/auth/consents"]  # volunteers and refugees, each their own
ALL_PAGES = COORDINATION_PAGES + ADMIN_PAGES + VOLUNTEER_PAGES + REFUGEE_PAGES + PERSONAL_PAGES
EXPECTED = {
    Role.VOLUNTEER: {**dict.fromkeys(ALL_PAGES, 403), **dict.fromkeys(VOLUNTEER_PAGES + PERSONAL_PAGES, 200)},
    Role.REFUGEE: {**dict.fromkeys(ALL_PAGES, 403), **dict.fromkeys(REFUGEE_PAGES + PERSONAL_PAGES, 200)},
    Role.COORDINATOR: {**dict.fromkeys(ALL_PAGES, 403), **dict.fromkeys(COORDINATION_PAGES, 200)},
    Role.ADMIN: {**dict.fromkeys(ALL_PAGES, 403), **dict.fromkeys(COORDINATION_PAGES + ADMIN_PAGES, 200)},
}


@pytest.fixture
def ids(make_volunteer, make_refugee):
    return {
        "volunteer": make_volunteer(email="someone@example.org").volunteer_profile.id,
        "refugee": make_refugee(name="Someone").refugee_profile.id,
    }


@pytest.fixture
def user_of_role(make_user, make_volunteer, make_refugee):
    """A signed-in user of each role with a complete profile where the role has one."""

    def build(role: Role):
        if role == Role.VOLUNTEER:
            return make_volunteer(email="me@example.org")
        if role == Role.REFUGEE:
            return make_refugee(name="Me", phone="+4917699999999")
        return make_user(role)

    return build


@pytest.mark.parametrize("path", ALL_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, ids, path):
    response = client.get(path.format(**ids))
    assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [(role, path, status) for role, pages in EXPECTED.items() for path, status in pages.items()],
)
def test_pages_by_role(client, ids, user_of_role, login, role, path, status):
    login(client, user_of_role(role))
    response = client.get(path.format(**ids))
    assert response.status_code == status


@pytest.mark.parametrize(
    "path",
    [
        "/volunteers/{volunteer}/clearance",
        "/refugees/{refugee}/merge",
        "/welcome/{refugee}/slip",
        "/admin/localities/new",
    ],
)
def test_volunteers_cannot_post_to_coordination_or_admin(client, ids, user_of_role, login, path):
    login(client, user_of_role(Role.VOLUNTEER))
    assert client.post(path.format(**ids), data={"issued_on": "2024-01-01"}).status_code == 403


@pytest.mark.parametrize("path", ["/volunteers/me/pause", "/volunteers/me/withdraw"])
def test_coordinators_have_no_volunteer_actions(client, user_of_role, login, path):
    login(client, user_of_role(Role.COORDINATOR))
    assert client.post(path).status_code == 403
