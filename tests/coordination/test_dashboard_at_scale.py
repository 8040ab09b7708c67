"""The overview opens with headline numbers, groups its gaps by place, names the longest silent sponsorships
and costs the same number of statements however many people and sponsorships there are."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from app.coordination.services import Headlines, headlines, lapsing_sponsorships, overview
from app.models import Agreement, AgreementStatus, CheckIn, LanguageLevel, Role


@pytest.fixture
def sponsor(db, coordinator):
    """``sponsor(refugee, volunteer, status, silent_days)``: a sponsorship that started ``silent_days`` ago,
    with a check-in that long ago too (None: none at all)."""

    def build(refugee, volunteer, status=AgreementStatus.ACTIVE, silent_days=0, created=None):
        agreement = Agreement(
            refugee=refugee.refugee_profile,
            volunteer=volunteer.volunteer_profile,
            contact_person=coordinator,
            starts_on=date.today() - timedelta(days=silent_days + 30),
            ends_on=date.today() + timedelta(days=150),
            status=status,
            **({"created_at": created} if created else {}),
        )
        agreement.check_ins.append(
            CheckIn(author=volunteer, happened_on=date.today() - timedelta(days=silent_days), note="")
        )
        db.session.add(agreement)
        db.session.commit()
        return agreement

    return build


def test_headline_numbers(coordinator, make_refugee, make_volunteer, sponsor):
    volunteer = make_volunteer(capacity=5)
    waiting = [make_refugee(f"Waiting {i}") for i in range(3)]
    in_draft = make_refugee("In draft")
    lively, silent = make_refugee("Lively"), make_refugee("Silent")
    sponsor(in_draft, volunteer, AgreementStatus.DRAFT)
    sponsor(lively, volunteer, silent_days=3)
    sponsor(silent, volunteer, silent_days=60, created=datetime(2020, 1, 5, tzinfo=UTC))
    assert len(waiting) == 3

    assert headlines(coordinator) == Headlines(waiting=3, matched_this_month=2, active=2, lapsing=1)
    [(agreement, last)] = lapsing_sponsorships(coordinator, 20)
    assert agreement.refugee_id == silent.refugee_profile.id and last == date.today() - timedelta(days=60)


def test_the_page_opens_with_the_headlines_and_groups_gaps_by_place(coordinator_client, make_refugee, sponsor):
    for place in ("warstein", "warstein", "geseke"):
        make_refugee(f"Person in {place}", locality=place, needs={"driving": "needed"}, german_level=LanguageLevel.B2)
    page = coordinator_client.get("/coordination/").get_data(as_text=True)
    headline = re.search(r'<ul class="headlines">(.*?)</ul>', page, re.S).group(1)
    assert re.search(r"<strong>3</strong> warten auf eine Patenschaft", headline)
    assert re.search(r"<strong>2</strong> offene Lücken", headline)
    places = re.findall(r"<h3>(.*?)</h3>", page)
    assert places == ["Warstein", "Geseke"]  # the place with more people affected first
    warstein = page[page.index("<h3>Warstein</h3>") : page.index("<h3>Geseke</h3>")]
    assert "Mitfahrgelegenheit gebraucht in Warstein (2 Personen)" in warstein


def test_gaps_by_place_keep_each_places_gaps_together(coordinator, make_refugee):
    make_refugee("A", locality="warstein", needs={"driving": "needed", "paperwork": "needed"})
    make_refugee("B", locality="geseke", needs={"driving": "needed"})
    grouped = overview(coordinator).gaps_by_place()
    assert [(place.id, sorted(g.key for g in gaps if g.kind == "activity")) for place, gaps in grouped] == [
        ("warstein", ["driving", "paperwork"]),
        ("geseke", ["driving"]),
    ]


def test_a_coordinator_of_another_area_sees_neither_the_gaps_nor_the_sponsorships(
    client, login, make_user, make_refugee, make_volunteer, sponsor
):
    sponsor(make_refugee("Silent in Warstein", locality="warstein"), make_volunteer(), silent_days=60)
    make_refugee("Needs a driver", locality="warstein", needs={"driving": "needed"})
    login(client, make_user(Role.COORDINATOR, email="l@example.org", places=("lippstadt",)))
    page = client.get("/coordination/").get_data(as_text=True)
    assert "Warstein" not in page and "Silent in Warstein" not in page
    assert re.search(r"<strong>0</strong> offene Lücken", page)


def test_the_longest_silent_are_named_and_the_rest_counted(coordinator_client, make_refugee, make_volunteer, sponsor):
    volunteer = make_volunteer(capacity=30)
    for days in range(50, 72):
        sponsor(make_refugee(f"Silent {days}"), volunteer, silent_days=days)
    page = coordinator_client.get("/coordination/").get_data(as_text=True)
    named = re.findall(r">Silent (\d+)</", page)
    assert named == [str(days) for days in range(71, 51, -1)]  # 20, the longest silent first
    assert "die 20 am längsten ohne Rückmeldung, von 22" in page


def test_the_statements_of_the_overview_do_not_grow_with_people_or_sponsorships(
    coordinator_client, make_refugee, make_volunteer, sponsor, count_queries, db
):
    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            volunteer = make_volunteer(f"Helper {index}", locality="soest" if index % 2 else "warstein")
            make_refugee(f"Waiting {index}", locality="geseke", needs={"driving": "needed"})
            sponsor(make_refugee(f"Silent {index}"), volunteer, silent_days=60 + index)

    add(3, 0)
    coordinator_client.get("/coordination/")  # the scope's first count is kept in a new row, later ones update it
    db.session.expire_all()
    with count_queries() as few:
        assert coordinator_client.get("/coordination/").status_code == 200
    add(27, 3)
    db.session.expire_all()
    with count_queries() as many:
        assert coordinator_client.get("/coordination/").status_code == 200
    assert len(many) == len(few)
