"""Refugees register themselves on a phone, without e-mail, in their own language."""

import pytest
from sqlalchemy import func, select

from app.consents import has_consent
from app.models import ConsentPurpose, Gender, LanguageLevel, RefugeeProfile, ResidenceStatus, Role, Urgency, User
from app.refugees.duplicates import possible_duplicates

ACCOUNT = {
    "full_name": "محمد الحسن",
    "phone": "0176 1234 5678",
    "password": "ein langes passwort",
    "password_confirm": "ein langes passwort",
    "consent_matching": "y",
}
HOUSEHOLD = {
    "gender": "m",
    "birth_year": "1988",
    "members-0-relation": "partner",
    "members-0-age": "31",
    "members-1-relation": "child",
    "members-1-age": "7",
    "members-2-relation": "",
    "members-2-age": "",
}
LANGUAGES = {
    "languages-0-language": "العربية",
    "languages-0-level": "native",
    "languages-1-language": "الكردية",
    "languages-1-level": "B1",
    "german_level": "A1",
}
NEEDS = {"needs": ["homework_help", "paperwork"], "urgent": ["paperwork", "housing_search"]}
TIME_PLACE = {"locality_id": "warstein", "travel_km": "5", "slots": ["tue-afternoon", "sat-morning"]}
PREFERENCES = {
    "preferred_mentor_gender": "",
    "interests": ["football", "cooking"],
    "interests_note": "كرة القدم ⚽ مع أصدقائي",
    "residence_status": "recognised",
    "consent_residence_status": "y",
    "protection_notes": "",
}
STEPS = [(1, HOUSEHOLD), (2, LANGUAGES), (3, NEEDS), (4, TIME_PLACE), (5, PREFERENCES)]


def count_users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def sign_in_user(client) -> int:
    with client.session_transaction() as session:
        return int(session["_user_id"].partition(":")[0])


def register(client, **changes):
    return client.post("/welcome/account?lang=ar", data={**ACCOUNT, **changes})


def test_the_first_page_offers_every_language_by_its_own_name(client):
    page = client.get("/welcome/").get_data(as_text=True)
    for name in (
        "العربية",
        "دری",
        "فارسی",
        "پښتو",
        "ትግርኛ",
        "Kurmancî",
        "Українська",
        "Русский",
        "Türkçe",
        "English",
        "Deutsch",
    ):
        assert name in page
    assert 'href="/welcome/account?lang=ti"' in page
    assert 'lang="fa-AF" dir="rtl"' in page and 'href="/welcome/account?lang=fa_AF"' in page


def test_a_family_registers_in_arabic(client, db):
    response = register(client)
    assert response.status_code == 302 and response.location.endswith("/welcome/step/1")
    assert 'dir="rtl"' in client.get("/welcome/step/1").get_data(as_text=True)

    for step, data in STEPS:
        response = client.post(f"/welcome/step/{step}", data=data)
        assert response.status_code == 302, (step, response.get_data(as_text=True))

    user = db.session.scalar(select(User).where(User.role == Role.REFUGEE))
    profile = user.refugee_profile
    assert (user.full_name, user.phone, user.email, user.preferred_language) == (
        "محمد الحسن",
        "+4917612345678",
        None,
        "ar",
    )
    assert profile.completed_at is not None and profile.household_size == 3 and profile.has_children
    assert (profile.gender, profile.birth_year, profile.german_level) == (Gender.MALE, 1988, LanguageLevel.A1)
    assert {(row.code, row.level) for row in profile.languages} == {
        ("ar", LanguageLevel.NATIVE),
        ("ku", LanguageLevel.B1),
    }
    assert {n.category_key: n.urgency for n in profile.needs} == {
        "homework_help": Urgency.NEEDED,
        "paperwork": Urgency.URGENT,
        "housing_search": Urgency.URGENT,
    }
    assert profile.locality_id == "warstein" and profile.slots == {"tue-afternoon", "sat-morning"}
    assert profile.interest_keys == ["cooking", "football"] and profile.interests_note == "كرة القدم ⚽ مع أصدقائي"
    assert profile.residence_status == ResidenceStatus.RECOGNISED
    assert has_consent(user, ConsentPurpose.MATCHING) and has_consent(user, ConsentPurpose.RESIDENCE_STATUS)
    page = client.get("/welcome/me").get_data(as_text=True)
    assert "Warstein" in page and "Aufenthaltsgestattung" not in page  # special data is for coordinators only


@pytest.mark.parametrize(
    "phone", ["0176 12345678", "+49 176 12345678", "0049 176-1234-5678", "(0176) 1234 5678", "+49(0)176 12345678"]
)
def test_phone_numbers_in_local_and_international_formats(client, db, phone):
    register(client, phone=phone)
    assert db.session.scalar(select(User.phone)) == "+4917612345678"


def test_log_in_with_the_phone_number_in_another_format(client, db):
    register(client)
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"identifier": "+49 176 1234 5678", "password": ACCOUNT["password"]})
    assert response.status_code == 302 and response.location.endswith("/welcome/me")


def test_a_user_name_is_enough(client, db):
    register(client, phone="", username="Samira_T")
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"identifier": "samira_t", "password": ACCOUNT["password"]})
    assert response.location.endswith("/welcome/me")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "", "username": ""}, "username"),
        ({"phone": "12"}, "phone"),
        ({"phone": "call me"}, "phone"),
        ({"username": "a b"}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "x" * 121}, "full_name"),
        ({"email": "nope"}, "email"),
        ({"consent_matching": ""}, "consent_matching"),
        ({"password": "kurz", "password_confirm": "kurz"}, "password"),
    ],
)
def test_bad_accounts_are_refused_in_arabic(client, db, changes, field):
    response = register(client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{field}-error"' in page
    assert 'lang="ar" dir="rtl"' in page
    assert count_users(db) == 0


def test_a_registered_phone_number_is_not_revealed_and_shows_as_a_duplicate(client, db, make_refugee, make_user):
    first = make_refugee(phone="+4917612345678")

    response = register(client)

    assert response.status_code == 302 and response.location.endswith("/welcome/step/1")
    assert count_users(db) == 2
    second = db.session.scalar(select(User).where(User.id != first.id))
    coordination = make_user(Role.COORDINATOR)
    assert possible_duplicates(second.refugee_profile, coordination).shown == [first.refugee_profile]
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"identifier": "0176 12345678", "password": ACCOUNT["password"]})
    assert response.location.endswith("/welcome/me")  # the password picks the account
    assert client.get("/welcome/me").status_code == 200 and sign_in_user(client) == second.id


def test_an_e_mail_address_is_kept_once_confirmed(client, db, outbox):
    register(client, email="samira@example.org")

    user = db.session.scalar(select(User))
    assert user.email is None and user.pending_email == "samira@example.org"
    assert len(outbox) == 1 and outbox[0].to == ["samira@example.org"]


@pytest.mark.parametrize(
    "name", ["Ḥasan Ṣāliḥ", "Олена Коваленко", "ሰናይት ተስፋይ", "Zahra 🌸 Ahmadi", "Ali O'Neill-Smith"]
)
def test_names_in_any_script_are_kept_as_written(client, db, name):
    register(client, full_name=name)
    assert db.session.scalar(select(User.full_name)) == name


@pytest.fixture
def registered(client, db):
    register(client)
    return client


BAD_STEPS = [
    (1, {"birth_year": "1850"}, "birth_year-error"),
    (1, {"birth_year": "2090"}, "birth_year-error"),
    (1, {"members-0-age": "300"}, "members-0-age-error"),
    (1, {"members-0-relation": ""}, "members-0-relation-error"),
    (1, {"members-1-relation": "cousin"}, "members-1-relation-error"),
    (2, {"languages-0-language": "de"}, "languages-0-language-error"),
    (2, {"german_level": "native"}, "german_level-error"),
    (3, {"needs": [], "urgent": []}, "needs-error"),
    (3, {"needs": ["flying"]}, "needs-error"),
    (4, {"travel_km": "-1"}, "travel_km-error"),
    (4, {"locality_id": "../../etc"}, "locality_id-error"),
    (5, {"consent_residence_status": ""}, "consent_residence_status-error"),
    (5, {"protection_notes": "nachts Angst", "consent_protection_needs": ""}, "consent_protection_needs-error"),
    (5, {"interests": ["football", "flying"]}, "interests-error"),
]


@pytest.mark.parametrize(("step", "change", "error_id"), BAD_STEPS)
def test_bad_answers_are_refused_and_change_nothing(registered, db, step, change, error_id):
    for earlier, data in STEPS[: step - 1]:
        registered.post(f"/welcome/step/{earlier}", data=data)
    profile = db.session.scalar(select(RefugeeProfile))
    steps_before = profile.steps_done

    response = registered.post(f"/welcome/step/{step}", data={**dict(STEPS)[step], **change})

    assert response.status_code == 200 and f'id="{error_id}"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert profile.steps_done == steps_before


def test_a_household_of_forty_is_refused(registered, db):
    members = {f"members-{i}-relation": "child" for i in range(40)} | {f"members-{i}-age": "5" for i in range(40)}
    response = registered.post("/welcome/step/1", data={"gender": "f", "birth_year": "1980", **members})
    assert response.status_code == 200
    assert "20" in response.get_data(as_text=True)
    assert db.session.scalar(select(RefugeeProfile)).members == []


def test_withdrawing_the_consent_deletes_the_residence_status(registered, db):
    for step, data in STEPS:
        registered.post(f"/welcome/step/{step}", data=data)
    registered.post(
        "/welcome/step/5?edit=1", data={**PREFERENCES, "residence_status": "", "consent_residence_status": ""}
    )
    user = db.session.scalar(select(User))
    assert user.refugee_profile.residence_status is None
    assert not has_consent(user, ConsentPurpose.RESIDENCE_STATUS)


def test_adding_a_person_row_saves_nothing(registered, db):
    response = registered.post("/welcome/step/1", data={**HOUSEHOLD, "add_row": "1"})
    assert 'name="members-3-relation"' in response.get_data(as_text=True)
    assert db.session.scalar(select(RefugeeProfile)).steps_done == 0


@pytest.mark.parametrize(("step", "data"), STEPS)
def test_a_post_without_the_add_button_saves_and_continues(registered, db, step, data):
    """What Enter in a field sends: the form's default button, "Save and continue" (its template checks that)."""
    for earlier, answers in STEPS[: step - 1]:
        registered.post(f"/welcome/step/{earlier}", data=answers)

    response = registered.post(f"/welcome/step/{step}", data={**data, "submit": "1"})

    assert response.status_code == 302
    profile = db.session.scalar(select(RefugeeProfile))
    assert profile.steps_done == step
    if step == 1:
        assert len(profile.members) == 2  # the empty third row added no one


def test_refugees_cannot_open_other_records_or_coordination(refugee_client, make_refugee):
    other = make_refugee(name="Someone Else")
    for path in (
        f"/welcome/{other.refugee_profile.id}/step/1",
        "/refugees/",
        f"/refugees/{other.refugee_profile.id}",
        "/coordination/",
        "/welcome/assisted",
        "/volunteers/",
    ):
        assert refugee_client.get(path).status_code == 403, path


def test_coordinators_have_no_own_questionnaire(coordinator_client):
    assert coordinator_client.get("/welcome/step/1").status_code == 403


def test_interests_are_ticked_from_icons_in_the_persons_language(registered, db):
    for step, data in STEPS[:4]:
        registered.post(f"/welcome/step/{step}", data=data)
    page = registered.get("/welcome/step/5").get_data(as_text=True)
    assert 'type="checkbox" value="football"' in page and "#icon-interest-football" in page
    assert "كرة القدم" in page  # the label in Arabic, the language of the registration

    registered.post("/welcome/step/5", data=PREFERENCES)
    response = registered.post("/welcome/step/5?edit=1", data={**PREFERENCES, "interests": ["chess"]})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(RefugeeProfile)).interest_keys == ["chess"]


def test_a_tampered_interest_is_refused_in_arabic_and_changes_nothing(registered, db):
    for step, data in STEPS:
        registered.post(f"/welcome/step/{step}", data=data)

    response = registered.post("/welcome/step/5?edit=1", data={**PREFERENCES, "interests": ["chess", "<script>"]})

    assert response.status_code == 200
    assert "يرجى اختيار الاهتمامات من القائمة فقط." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(RefugeeProfile)).interest_keys == ["cooking", "football"]
