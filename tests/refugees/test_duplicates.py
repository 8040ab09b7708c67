"""A person registered twice is found, even spelled differently, and the records merge without loss."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from app.consents import has_consent
from app.models import AuditEvent, ConsentPurpose, RefugeeStatus, Relation, Urgency
from app.names import name_key_closeness, name_skeleton, similar_keys, similar_names
from app.refugees import duplicates
from app.refugees.duplicates import possible_duplicates, similar_lengths


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Mohammed Al-Hassan", "Muhammad Alhasan"),
        ("محمد الحسن", "Mohamad Al Hasan"),
        ("Yonas Tesfamariam", "Yohannes Tesfamariam"),
        ("Olena Kovalenko", "Олена Коваленко"),
        ("Khaled Darwish", "Khalid Darvish"),
        ("Fatemeh Ahmadi", "Fatima Ahmadi"),
        ("Amal Haddad", "AMAL HADAD"),
        ("Haddad Amal", "Amal Haddad"),
    ],
)
def test_spellings_of_one_name_are_similar(first, second):
    assert similar_names(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ahmad Karimi", "Ali Rahimi"),
        ("Amal Haddad", "Rania Haddad"),
        ("Olena Kovalenko", "Oksana Melnyk"),
        ("", "Amal Haddad"),
    ],
)
def test_different_people_are_not_similar(first, second):
    assert not similar_names(first, second)


def test_skeleton_drops_vowels_doubles_and_articles():
    assert name_skeleton("Muhammad Al-Hassan") == name_skeleton("Mohammed Alhasan") == "mhmd hsn"


def test_a_re_registration_with_another_spelling_is_found(coordinator, make_refugee):
    first = make_refugee("Mohammed Al-Hassan", phone="+4917611111111", birth_year=1988).refugee_profile
    again = make_refugee("Muhammad Alhasan", birth_year=1988).refugee_profile
    make_refugee("Muhammad Alhasan", birth_year=1990)  # same name, another person
    make_refugee("Rania Haddad", birth_year=1988)

    assert possible_duplicates(again, coordinator).shown == [first]
    assert possible_duplicates(first, coordinator).shown == [again]


def test_the_detail_page_warns_and_offers_the_merge(coordinator_client, make_refugee):
    make_refugee("Mohammed Al-Hassan", birth_year=1988)
    again = make_refugee("Muhammad Alhasan", birth_year=1988).refugee_profile
    page = coordinator_client.get(f"/refugees/{again.id}").get_data(as_text=True)
    assert "Mohammed Al-Hassan" in page and 'name="duplicate_id"' in page


@pytest.fixture
def pair(make_refugee):
    keep = make_refugee(
        "Mohammed Al-Hassan",
        phone="+4917611111111",
        birth_year=1988,
        locality="werl",
        languages={"ar": "native", "en": "A2"},
        needs={"paperwork": "needed"},
        slots=("mon-morning",),
        members=(("partner", 30),),
        interests=("football",),
        interests_note="كرة القدم",
    ).refugee_profile
    duplicate = make_refugee(
        "Muhammad Alhasan",
        birth_year=1988,
        locality="werl",
        languages={"en": "B1", "ku": "B2"},
        needs={"paperwork": "urgent", "housing_search": "needed"},
        slots=("tue-evening",),
        members=(("partner", 30), ("child", 4)),
        interests=("cooking", "football"),
        interests_note="Kochen",
        protection_notes="Rollstuhl",
        consents=(ConsentPurpose.MATCHING, ConsentPurpose.PROTECTION_NEEDS),
    ).refugee_profile
    return keep, duplicate


def test_merging_keeps_everything(coordinator_client, coordinator, pair, db):
    keep, duplicate = pair
    response = coordinator_client.post(f"/refugees/{keep.id}/merge", data={"duplicate_id": str(duplicate.id)})

    assert response.status_code == 302
    db.session.expire_all()
    assert {(m.relation, m.age) for m in keep.members} == {(Relation.PARTNER, 30), (Relation.CHILD, 4)}
    assert {row.code: row.level for row in keep.languages} == {"ar": "native", "en": "B1", "ku": "B2"}
    assert {n.category_key: n.urgency for n in keep.needs} == {
        "paperwork": Urgency.URGENT,
        "housing_search": Urgency.NEEDED,
    }
    assert keep.slots == {"mon-morning", "tue-evening"}
    assert keep.interest_keys == ["cooking", "football"] and keep.interests_note == "كرة القدم\nKochen"
    assert keep.protection_notes == "Rollstuhl"
    assert has_consent(keep.user, ConsentPurpose.PROTECTION_NEEDS)
    assert duplicate.status == RefugeeStatus.MERGED and duplicate.merged_into_id == keep.id
    assert not duplicate.user.active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "refugee.merged"))
    assert event.actor_id == coordinator.id and event.detail == {"duplicate": duplicate.id}


def test_a_merged_record_leaves_the_list_and_cannot_be_merged_again(coordinator_client, pair, db):
    keep, duplicate = pair
    coordinator_client.post(f"/refugees/{keep.id}/merge", data={"duplicate_id": str(duplicate.id)})
    response = coordinator_client.post(
        f"/refugees/{keep.id}/merge", data={"duplicate_id": str(duplicate.id)}, follow_redirects=True
    )
    assert "lassen sich nicht zusammenführen" in response.get_data(as_text=True)
    listing = coordinator_client.get("/refugees/").get_data(as_text=True)
    assert "Mohammed Al-Hassan" in listing and "Muhammad Alhasan" not in listing


@pytest.mark.parametrize("duplicate_id", ["", "abc", "999999", "self"])
def test_bad_merge_requests_change_nothing(coordinator_client, pair, db, duplicate_id):
    keep, _ = pair
    duplicate_id = str(keep.id) if duplicate_id == "self" else duplicate_id
    response = coordinator_client.post(f"/refugees/{keep.id}/merge", data={"duplicate_id": duplicate_id})
    assert response.status_code == 302
    db.session.expire_all()
    assert keep.status == RefugeeStatus.ACTIVE and len(keep.languages) == 2


def test_the_stored_name_key_follows_the_name(make_refugee, db):
    user = make_refugee("محمد الحسن", phone="+4917655555555")
    assert user.name_key == "lhsn mhmd"
    user.full_name = "Khalid Darvish"
    db.session.commit()
    assert user.name_key == "drvsh hld"


@pytest.mark.parametrize(
    ("stored", "searched"), [("Олена Коваленко", "Olena Kovalenko"), ("Muhammad Alhasan", "Mohammed Al-Hassan")]
)
def test_the_list_finds_a_name_in_another_spelling_or_script(coordinator_client, make_refugee, stored, searched):
    make_refugee(stored, phone="+4917655555555")
    page = coordinator_client.get("/refugees/", query_string={"q": searched}).get_data(as_text=True)
    assert stored in page


@given(st.text(alphabet="bcdfghklmnrst ", max_size=30), st.text(alphabet="bcdfghklmnrst ", max_size=30))
@example("bb", "bbb")  # exactly at the ratio, where 2 / (2/3) is 2.9999999999999996 in floating point
@example("bbbbbb", "bbbbbbbbb")
def test_the_length_window_never_drops_a_similar_name(first, second):
    """The database skips keys whose length is outside the window; no similar pair may lie outside it."""
    if similar_keys(first, second):
        shortest, longest = similar_lengths(len(first))
        assert shortest <= len(second) <= longest


def test_many_similar_records_name_the_closest_and_count_the_rest(
    coordinator_client, coordinator, make_refugee, monkeypatch
):
    """A common name and year of birth can have hundreds of similar records: the page names the closest
    (the same phone number first, then the most similar name) and says how many there are."""
    monkeypatch.setattr(duplicates, "DUPLICATES_SHOWN", 3)
    person = make_refugee("Mohammed Al-Hassan", phone="+4917622222222", birth_year=1988).refugee_profile
    same_phone = make_refugee("Rania Haddad", phone="+4917622222222", birth_year=1970).refugee_profile
    same_name = make_refugee("Mohammed Al-Hassan", birth_year=1988).refugee_profile
    spellings = ["Muhammad Alhasan", "Mohamad Al Hassan", "Mohammed Al-Hassani", "Muhammed Hassan", "Mohammad Alhassan"]
    others = [make_refugee(name, birth_year=1988).refugee_profile for name in spellings]
    similar = [other for other in others if similar_names("Mohammed Al-Hassan", other.user.full_name)]
    assert len(similar) >= 3

    found = possible_duplicates(person, coordinator)
    assert found.total == 2 + len(similar)
    assert found.shown[:2] == [same_phone, same_name]
    [third] = found.shown[2:]
    closeness = {p.id: name_key_closeness(person.user.name_key, p.user.name_key) for p in similar}
    assert closeness[third.id] == max(closeness.values())
    page = coordinator_client.get(f"/refugees/{person.id}").get_data(as_text=True)
    assert page.count('name="duplicate_id"') == 3
    assert f"Angezeigt: die 3 ähnlichsten, von {found.total}." in page
