"""The coordinators' volunteer list, detail page and police-clearance check."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import AuditEvent, VolunteerStatus


@pytest.fixture
def people(make_volunteer):
    """Four volunteers who differ in every filtered respect."""
    return {
        "amal": make_volunteer(
            "Amal Haddad",
            locality="warstein",
            languages={"ar": "native", "de": "B2"},
            offers=("interpreting",),
            slots=("tue-evening",),
        ),
        "klaus": make_volunteer(
            "Klaus Becker",
            locality="soest",
            languages={"de": "native", "en": "B1"},
            offers=("driving", "bicycle"),
            slots=("mon-morning", "wed-morning"),
            clearance_issued_on=date.today() - timedelta(days=100),
            clearance_checked_on=date.today() - timedelta(days=90),
        ),
        "lena": make_volunteer(
            "Lena Schulz",
            locality="soest",
            languages={"de": "native"},
            offers=("homework_help",),
            slots=("thu-afternoon",),
            clearance_issued_on=date.today() - timedelta(days=30),
        ),
        "ursula": make_volunteer(
            "Ursula Koch",
            locality="lippstadt",
            languages={"de": "native", "fr": "A2"},
            offers=("mentoring",),
            slots=("tue-morning",),
            status=VolunteerStatus.PAUSED,
            clearance_issued_on=date(2015, 1, 1),
            clearance_checked_on=date(2015, 2, 1),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Amal Haddad", "Klaus Becker", "Lena Schulz", "Ursula Koch"}),
        ({"q": "haddad"}, {"Amal Haddad"}),
        ({"locality": "soest"}, {"Klaus Becker", "Lena Schulz"}),
        ({"language": "ar"}, {"Amal Haddad"}),
        ({"offer": "driving"}, {"Klaus Becker"}),
        ({"day": "tue"}, {"Amal Haddad", "Ursula Koch"}),
        ({"part": "morning"}, {"Klaus Becker", "Ursula Koch"}),
        ({"day": "tue", "part": "evening"}, {"Amal Haddad"}),
        ({"status": "paused"}, {"Ursula Koch"}),
        ({"clearance": "valid"}, {"Klaus Becker"}),
        ({"clearance": "unchecked"}, {"Lena Schulz"}),
        ({"clearance": "expired"}, {"Ursula Koch"}),
        ({"clearance": "none"}, {"Amal Haddad"}),
        ({"locality": "soest", "offer": "homework_help"}, {"Lena Schulz"}),
    ],
)
def test_filters(coordinator_client, people, query, expected):
    page = coordinator_client.get("/volunteers/", query_string=query).get_data(as_text=True)
    shown = {name for name in ("Amal Haddad", "Klaus Becker", "Lena Schulz", "Ursula Koch") if name in page}
    assert shown == expected


@pytest.mark.parametrize(
    "query",
    [{"locality": "atlantis"}, {"status": "asleep"}, {"clearance": "maybe"}, {"day": "someday"}, {"page": "-3"}],
)
def test_invalid_filters_are_ignored_with_a_message(coordinator_client, people, query):
    response = coordinator_client.get("/volunteers/", query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Amal Haddad" in page


def test_list_is_paginated(coordinator_client, make_volunteer, app):
    app.config["LIST_PAGE_SIZE"] = 2
    for number in range(5):
        make_volunteer(f"Person {number}")
    first = coordinator_client.get("/volunteers/").get_data(as_text=True)
    last = coordinator_client.get("/volunteers/?page=3").get_data(as_text=True)
    assert "Person 0" in first and "Person 4" not in first
    assert "Person 4" in last


def test_detail_page_is_logged_as_a_view_of_personal_data(coordinator_client, coordinator, people, db):
    amal = people["amal"].volunteer_profile
    page = coordinator_client.get(f"/volunteers/{amal.id}").get_data(as_text=True)

    assert "Amal Haddad" in page and "Warstein" in page and "Arabisch" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "volunteer.viewed"))
    assert event.actor_id == coordinator.id and event.subject_id == str(amal.id)


def test_unknown_volunteer_is_not_found(coordinator_client):
    assert coordinator_client.get("/volunteers/999999").status_code == 404


def test_marking_the_clearance_as_checked(coordinator_client, coordinator, people, db):
    lena = people["lena"].volunteer_profile
    issued = date.today() - timedelta(days=40)

    response = coordinator_client.post(f"/volunteers/{lena.id}/clearance", data={"issued_on": issued.isoformat()})

    assert response.status_code == 302
    db.session.expire_all()
    assert lena.clearance_issued_on == issued and lena.clearance_checked_on == date.today()
    assert lena.clearance_checked_by_id == coordinator.id
    page = coordinator_client.get(f"/volunteers/{lena.id}").get_data(as_text=True)
    assert "Cora Coordinator" in page


@pytest.mark.parametrize("issued_on", ["", "2999-12-31", "gestern"])
def test_bad_clearance_dates_change_nothing(coordinator_client, people, db, issued_on):
    lena = people["lena"].volunteer_profile
    before = lena.clearance_issued_on
    coordinator_client.post(f"/volunteers/{lena.id}/clearance", data={"issued_on": issued_on})
    db.session.expire_all()
    assert lena.clearance_issued_on == before and lena.clearance_checked_on is None


def test_a_newcomer_can_be_found_by_the_filters(client, coordinator, login, db, outbox):
    """The issue's end-to-end promise, through the same forms a person uses."""
    client.post(
        "/auth/register",
        data={
            "full_name": "Neu Ling",
            "email": "neu@example.org",
            "password": "ein langes passwort",
            "password_confirm": "ein langes passwort",
            "consent_matching": "y",
        },
    )
    confirmation = re.search(r"http://localhost(/auth/confirm/\S+)", outbox[0].body).group(1)
    client.post(confirmation, data={"password": "ein langes passwort"})
    client.post("/volunteers/questionnaire/1", data={"birth_year": "1990", "locality_id": "ense", "travel_km": "5"})
    client.post("/volunteers/questionnaire/2", data={"languages-0-language": "ti", "languages-0-level": "native"})
    client.post(
        "/volunteers/questionnaire/3",
        data={
            "offers": ["interpreting"],
            "slots": ["fri-evening"],
            "hours_per_month": "4",
            "commitment": "3_months",
            "capacity": "0",
        },
    )
    client.post("/volunteers/questionnaire/4", data={"physical_resilience": "high", "emotional_resilience": "high"})
    client.post("/auth/logout")
    login(client, coordinator)

    page = client.get(
        "/volunteers/",
        query_string={"locality": "ense", "language": "ti", "offer": "interpreting", "day": "fri", "part": "evening"},
    ).get_data(as_text=True)
    assert "Neu Ling" in page


def test_the_detail_page_names_interests_in_the_readers_language(coordinator_client, make_volunteer):
    profile = make_volunteer(interests=("chess", "cooking"), interests_note="Kochen für viele").volunteer_profile
    page = coordinator_client.get(f"/volunteers/{profile.id}").get_data(as_text=True)
    assert "Schach" in page and "Chess" not in page and "#icon-interest-cooking" in page
    assert "Kochen für viele" in page


def test_the_list_names_languages_with_their_levels(coordinator_client, make_volunteer):
    make_volunteer("Petra Hoffmann", languages={"de": "native", "ar": "B2"}, offers=("driving", "sport"))
    row = (
        coordinator_client.get("/volunteers/").get_data(as_text=True).split("Petra Hoffmann", 1)[1].split("</tr>", 1)[0]
    )
    assert "Deutsch (Muttersprache)" in row and "Arabisch (B2)" in row and "de native" not in row
    assert "<bdi>Fahrdienst / Mitfahrgelegenheit</bdi> und <bdi>Sport und Vereine</bdi>" in row
