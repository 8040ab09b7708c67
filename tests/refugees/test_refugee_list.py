"""The coordinators' list of refugees and households."""

from datetime import date

import pytest
from sqlalchemy import select

from app.models import Agreement, AgreementStatus, AuditEvent


@pytest.fixture
def people(make_refugee, make_volunteer, db):
    helper = make_volunteer(capacity=2)
    people = {
        "amal": make_refugee(
            "Amal Haddad",
            phone="+4917611111111",
            locality="warstein",
            languages={"ar": "native"},
            needs={"homework_help": "needed"},
            members=(("child", 8),),
        ),
        "yonas": make_refugee(
            "Yonas Haile", locality="soest", languages={"ti": "native"}, needs={"job_search": "urgent"}
        ),
        "olena": make_refugee(
            "Olena Melnyk",
            username="olena",
            locality="soest",
            languages={"uk": "native", "ru": "C1"},
            needs={"childcare": "needed"},
            members=(("child", 3), ("child", 6)),
        ),
    }
    db.session.add(
        Agreement(
            refugee=people["amal"].refugee_profile,
            volunteer=helper.volunteer_profile,
            starts_on=date.today(),
            ends_on=date.today(),
            status=AgreementStatus.ACTIVE,
        )
    )
    db.session.commit()
    return people


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Amal Haddad", "Yonas Haile", "Olena Melnyk"}),
        ({"q": "haile"}, {"Yonas Haile"}),
        ({"q": "0176 11111111"}, {"Amal Haddad"}),
        ({"locality": "soest"}, {"Yonas Haile", "Olena Melnyk"}),
        ({"language": "ru"}, {"Olena Melnyk"}),
        ({"need": "job_search"}, {"Yonas Haile"}),
        ({"children": "y"}, {"Amal Haddad", "Olena Melnyk"}),
        ({"children": "y", "locality": "soest"}, {"Olena Melnyk"}),
        ({"status": "inactive"}, set()),
        ({"unmatched": "y"}, {"Yonas Haile", "Olena Melnyk"}),
    ],
)
def test_filters(coordinator_client, people, query, expected):
    page = coordinator_client.get("/refugees/", query_string=query).get_data(as_text=True)
    assert {name for name in ("Amal Haddad", "Yonas Haile", "Olena Melnyk") if name in page} == expected


def test_the_detail_page_shows_special_data_and_is_logged(coordinator_client, coordinator, make_refugee, db):
    profile = make_refugee("Amal Haddad", residence_status="tolerated", protection_notes="Diabetes").refugee_profile
    page = coordinator_client.get(f"/refugees/{profile.id}").get_data(as_text=True)
    assert "Duldung" in page and "Diabetes" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "refugee.viewed"))
    assert event.actor_id == coordinator.id and event.subject_id == str(profile.id)


def test_unknown_record_is_not_found(coordinator_client):
    assert coordinator_client.get("/refugees/424242").status_code == 404


def test_the_detail_page_names_interests_in_the_readers_language_beside_the_persons_words(
    coordinator_client, make_refugee
):
    profile = make_refugee(interests=("football", "sewing"), interests_note="كرة القدم مع أولادي").refugee_profile
    page = coordinator_client.get(f"/refugees/{profile.id}").get_data(as_text=True)
    assert "Fußball" in page and "Nähen" in page and "#icon-interest-sewing" in page
    assert "كرة القدم مع أولادي" in page


def test_the_list_names_languages_and_urgency_in_words(coordinator_client, make_refugee):
    make_refugee(
        "Zahra Ahmadi",
        languages={"fa": "native"},
        needs={"paperwork": "urgent"},
        german_level=None,
        locality="warstein",
    )
    row = coordinator_client.get("/refugees/").get_data(as_text=True).split("Zahra Ahmadi", 1)[1].split("</tr>", 1)[0]
    assert "Persisch (Muttersprache)" in row and "noch kein Deutsch" in row
    assert "Hilfe bei Anträgen und Amtspapieren · dringend" in row and "(!)" not in row
