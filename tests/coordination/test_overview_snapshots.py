"""The overview shows its scope's last count while it is young, says when it counted, and counts again
when it is old or a coordinator asks."""

import re
from datetime import timedelta

import pytest

from app.models import OverviewSnapshot, Role


def people_counted(page: str) -> int:
    return int(re.search(r"(\d+) Personen suchen Unterstützung", page).group(1))


@pytest.fixture
def kept_for_ten_minutes(app):
    app.config["OVERVIEW_MAX_AGE_MINUTES"] = 10


def test_a_young_count_is_shown_with_its_time_and_counted_again_on_request(
    kept_for_ten_minutes, coordinator_client, make_refugee
):
    make_refugee("First", locality="soest")
    page = coordinator_client.get("/coordination/").get_data(as_text=True)
    assert people_counted(page) == 1
    assert "nach 10 Minuten werden sie wieder gezählt" in page
    make_refugee("Second", locality="soest")
    assert people_counted(coordinator_client.get("/coordination/").get_data(as_text=True)) == 1  # kept

    response = coordinator_client.post("/coordination/recount")
    assert response.status_code == 302
    assert people_counted(coordinator_client.get("/coordination/").get_data(as_text=True)) == 2


def test_an_old_count_is_counted_again(kept_for_ten_minutes, coordinator_client, make_refugee, db):
    make_refugee("First", locality="soest")
    coordinator_client.get("/coordination/")
    make_refugee("Second", locality="soest")
    snapshot = db.session.scalar(db.select(OverviewSnapshot))
    snapshot.counted_at -= timedelta(minutes=11)
    db.session.commit()
    assert people_counted(coordinator_client.get("/coordination/").get_data(as_text=True)) == 2


def test_each_scope_keeps_its_own_count(kept_for_ten_minutes, client, login, make_user, make_refugee, db):
    make_refugee("In Soest", locality="soest")
    make_refugee("In Lippstadt", locality="lippstadt")
    login(client, make_user(Role.COORDINATOR, email="l@example.org", places=("lippstadt",)))
    assert people_counted(client.get("/coordination/").get_data(as_text=True)) == 1
    client.post("/auth/logout")
    login(client, make_user(Role.COORDINATOR, email="d@example.org"))
    assert people_counted(client.get("/coordination/").get_data(as_text=True)) == 2
    assert sorted(db.session.scalars(db.select(OverviewSnapshot.scope_key))) == ["installation", "lippstadt"]


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.REFUGEE])
def test_only_coordination_may_ask_for_a_count(role, client, login, make_user, db):
    login(client, make_user(role, email="someone@example.org"))
    assert client.post("/coordination/recount").status_code in (302, 403)
    assert db.session.scalar(db.select(OverviewSnapshot)) is None
