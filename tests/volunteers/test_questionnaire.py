"""The four-step capacity questionnaire: saving, editing and refusing bad answers."""

import re
from datetime import date

import pytest

from app.models import Commitment, Gender, LanguageLevel, Resilience

PERSONAL = {
    "phone": "+49 171 1234567",
    "gender": "f",
    "birth_year": "1958",
    "locality_id": "warstein",
    "travel_km": "15",
    "travels_by_car": "y",
}
LANGUAGES = {
    "languages-0-language": "Arabisch (ar)",
    "languages-0-level": "B2",
    "languages-1-language": "deutsch",
    "languages-1-level": "native",
    "languages-2-language": "",
    "languages-2-level": "",
}
GIVING = {
    "offers": ["mentoring", "interpreting"],
    "slots": ["tue-evening", "sat-morning"],
    "hours_per_month": "8",
    "commitment": "6_months",
    "capacity": "2",
}
MENTORING = {
    "accepted_genders": ["f", "d"],
    "works_with_children": "y",
    "clearance_issued_on": "2024-03-01",
    "physical_resilience": "medium",
    "emotional_resilience": "high",
    "profession": "Lehrerin im Ruhestand",
    "interests": ["cooking", "football"],
    "interests_note": "Kochen mit Kindern",
}
STEPS = [(1, PERSONAL), (2, LANGUAGES), (3, GIVING), (4, MENTORING)]


def answer(client, step, data, **query):
    return client.post(f"/volunteers/questionnaire/{step}", data=data, query_string=query)


def test_all_four_steps_fill_the_profile(new_volunteer_client, new_volunteer):
    for step, data in STEPS:
        assert new_volunteer_client.get(f"/volunteers/questionnaire/{step}").status_code == 200
        response = answer(new_volunteer_client, step, data)
        assert response.status_code == 302, response.get_data(as_text=True)

    assert response.location.endswith("/volunteers/me")
    profile = new_volunteer.volunteer_profile
    assert profile.completed_at is not None and profile.steps_done == 4
    assert (profile.phone, profile.gender, profile.birth_year, profile.locality_id, profile.travel_km) == (
        "+491711234567",
        Gender.FEMALE,
        1958,
        "warstein",
        15,
    )
    assert profile.travels_by_car and not profile.travels_by_bicycle
    assert {(row.code, row.level) for row in profile.languages} == {
        ("ar", LanguageLevel.B2),
        ("de", LanguageLevel.NATIVE),
    }
    assert [c.key for c in profile.offers] == ["mentoring", "interpreting"]
    assert profile.slots == {"tue-evening", "sat-morning"}
    assert (profile.hours_per_month, profile.commitment, profile.capacity) == (8, Commitment.MONTHS_6, 2)
    assert profile.accepted_genders == [Gender.FEMALE, Gender.DIVERSE]
    assert profile.works_with_children and str(profile.clearance_issued_on) == "2024-03-01"
    assert profile.clearance_checked_on is None
    assert (profile.physical_resilience, profile.emotional_resilience) == (Resilience.MEDIUM, Resilience.HIGH)
    assert profile.interest_keys == ["cooking", "football"] and profile.interests_note == "Kochen mit Kindern"
    page = new_volunteer_client.get("/volunteers/me").get_data(as_text=True)
    assert "Warstein" in page and "Arabisch" in page


def test_steps_cannot_be_skipped(new_volunteer_client):
    response = new_volunteer_client.get("/volunteers/questionnaire/3")
    assert response.status_code == 302 and response.location.endswith("/volunteers/questionnaire/1")


def test_unknown_step_is_not_found(volunteer_client):
    assert volunteer_client.get("/volunteers/questionnaire/9").status_code == 404


def test_saved_answers_are_shown_again(volunteer_client, volunteer):
    page = volunteer_client.get("/volunteers/questionnaire/2").get_data(as_text=True)
    assert 'value="Deutsch (de)"' in page
    page = volunteer_client.get("/volunteers/questionnaire/3").get_data(as_text=True)
    assert re.search(r'value="tue-evening" id="slot-tue-evening"\s+checked', page)


def test_editing_one_step_returns_to_the_profile(volunteer_client, volunteer):
    response = answer(volunteer_client, 1, {**PERSONAL, "locality_id": "lippstadt"}, edit=1)
    assert response.location.endswith("/volunteers/me")
    assert volunteer.volunteer_profile.locality_id == "lippstadt"


def test_adding_a_language_row_saves_nothing(new_volunteer_client, new_volunteer):
    answer(new_volunteer_client, 1, PERSONAL)
    response = answer(new_volunteer_client, 2, {**LANGUAGES, "add_row": "1"})
    assert response.status_code == 200
    assert 'name="languages-3-language"' in response.get_data(as_text=True)
    assert new_volunteer.volunteer_profile.languages == []


def test_a_post_without_the_add_button_saves_the_languages(new_volunteer_client, new_volunteer):
    answer(new_volunteer_client, 1, PERSONAL)
    response = answer(new_volunteer_client, 2, {**LANGUAGES, "submit": "1"})
    assert response.status_code == 302 and response.location.endswith("/volunteers/questionnaire/3")
    assert len(new_volunteer.volunteer_profile.languages) == 2


def test_a_new_clearance_date_needs_a_new_check(volunteer_client, volunteer, coordinator, db):
    profile = volunteer.volunteer_profile
    profile.clearance_issued_on, profile.clearance_checked_by = date(2020, 1, 1), coordinator
    profile.clearance_checked_on = date(2020, 1, 5)
    db.session.commit()

    answer(volunteer_client, 4, MENTORING)

    db.session.expire_all()
    assert profile.clearance_issued_on == date(2024, 3, 1)
    assert profile.clearance_checked_on is None and profile.clearance_checked_by_id is None


BAD_ANSWERS = [
    (1, {"travel_km": "-5"}, "zwischen 0 und 200"),
    (1, {"travel_km": "viele"}, "travel_km-error"),
    (1, {"birth_year": "1800"}, "Bitte geben Sie ein Jahr zwischen"),
    (1, {"birth_year": ""}, "Bitte geben Sie Ihr Geburtsjahr ein."),
    (1, {"locality_id": "atlantis"}, "locality_id-error"),
    (1, {"locality_id": ""}, "locality_id-error"),
    (1, {"phone": "call me maybe"}, "phone-error"),
    (1, {"gender": "x"}, "gender-error"),
    (2, {"languages-0-language": "Klingonisch"}, "Diese Sprache kennen wir nicht"),
    (2, {"languages-1-language": "Arabic"}, "doppelt"),
    (2, {"languages-0-level": ""}, "languages-0-level-error"),
    (2, {"languages-0-level": "B7"}, "languages-0-level-error"),
    (
        2,
        {"languages-0-language": "", "languages-0-level": "", "languages-1-language": "", "languages-1-level": ""},
        "mindestens eine Sprache",
    ),
    (3, {"capacity": "500"}, "zwischen 0 und 10"),
    (3, {"capacity": "-1"}, "zwischen 0 und 10"),
    (3, {"offers": []}, "mindestens eine Tätigkeit"),
    (3, {"offers": ["mentoring", "hacking"]}, "offers-error"),
    (3, {"slots": []}, "slots-error"),
    (3, {"slots": ["mon-night"]}, "slots-error"),
    (3, {"hours_per_month": "0"}, "hours_per_month-error"),
    (3, {"commitment": "forever"}, "commitment-error"),
    (4, {"clearance_issued_on": "2999-01-01"}, "in der Zukunft"),
    (4, {"clearance_issued_on": "31.02.2024"}, "clearance_issued_on-error"),
    (4, {"physical_resilience": ""}, "physical_resilience-error"),
    (4, {"interests_note": "x" * 1001}, "Höchstens 1000 Zeichen"),
    (4, {"interests": ["cooking", "knitting"]}, "Bitte wählen Sie nur Interessen aus der Liste."),
    (4, {"interests": ["cooking' onmouseover='x"]}, "Bitte wählen Sie nur Interessen aus der Liste."),
]


@pytest.mark.parametrize(("step", "change", "expected"), BAD_ANSWERS)
def test_bad_answers_are_refused_and_change_nothing(volunteer_client, volunteer, db, step, change, expected):
    profile = volunteer.volunteer_profile
    before = (
        profile.travel_km,
        profile.birth_year,
        profile.locality_id,
        profile.capacity,
        profile.interests_note,
        profile.interest_keys,
        sorted(profile.slots),
        [c.key for c in profile.offers],
        [r.code for r in profile.languages],
    )

    response = answer(volunteer_client, step, {**dict(STEPS)[step], **change})

    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)
    db.session.expire_all()
    profile = volunteer.volunteer_profile
    after = (
        profile.travel_km,
        profile.birth_year,
        profile.locality_id,
        profile.capacity,
        profile.interests_note,
        profile.interest_keys,
        sorted(profile.slots),
        [c.key for c in profile.offers],
        [r.code for r in profile.languages],
    )
    assert after == before


def test_a_huge_text_is_refused_before_parsing(volunteer_client, volunteer):
    response = answer(volunteer_client, 4, {**MENTORING, "interests_note": "x" * 5_000_000})
    assert response.status_code == 413
    assert "zu umfangreich" in response.get_data(as_text=True)
    assert volunteer.volunteer_profile.interests_note == "Kochen"


def test_coordinators_have_no_questionnaire(coordinator_client):
    assert coordinator_client.get("/volunteers/questionnaire/1").status_code == 403
