"""Every page checks the role of who asks."""
import pytest

from app.models import Role

COORDINATION_PAGES = ["/volunteers/", "/volunteers/{profile}"]
ADMIN_PAGES = ["/admin/", "/admin/localities/new", "/admin/localities/soest", "/admin/categories/new",
               "/admin/categories/mentoring"]
VOLUNTEER_PAGES = ["/volunteers/me", "/volunteers/me/consents", "/volunteers/questionnaire/1"]


@pytest.fixture
def profile_id(make_volunteer):
    return make_volunteer(email="someone@example.org").volunteer_profile.id


@pytest.mark.parametrize("path", COORDINATION_PAGES + ADMIN_PAGES + VOLUNTEER_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, profile_id, path):
    response = client.get(path.format(profile=profile_id))
    assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [(Role.VOLUNTEER, path, 403) for path in COORDINATION_PAGES + ADMIN_PAGES]
    + [(Role.COORDINATOR, path, 200) for path in COORDINATION_PAGES]
    + [(Role.COORDINATOR, path, 403) for path in ADMIN_PAGES + VOLUNTEER_PAGES]
    + [(Role.ADMIN, path, 200) for path in COORDINATION_PAGES + ADMIN_PAGES]
    + [(Role.REFUGEE, path, 403) for path in COORDINATION_PAGES + ADMIN_PAGES + VOLUNTEER_PAGES],
)
def test_pages_by_role(client, make_user, login, profile_id, role, path, status):
    login(client, make_user(role))
    assert client.get(path.format(profile=profile_id)).status_code == status


@pytest.mark.parametrize("path", ["/volunteers/{profile}/clearance", "/volunteers/me/pause", "/admin/localities/new"])
def test_volunteers_cannot_post_to_coordination_or_admin(client, make_user, login, profile_id, path):
    login(client, make_user(Role.COORDINATOR))
    if path.startswith("/volunteers/me"):
        assert client.post(path).status_code == 403
    else:
        login(client, make_user(Role.VOLUNTEER))
        assert client.post(path.format(profile=profile_id), data={"issued_on": "2024-01-01"}).status_code == 403
