"""The coordinators' overview: needs against offers, and where help is missing."""

import re

from app.coordination.services import overview
from app.models import ConsentPurpose


def balance(result, key):
    return next(row for row in result.balances if row.category.key == key)


def test_a_need_is_covered_only_by_a_volunteer_within_reach(coordinator, make_refugee, make_volunteer):
    # Warstein–Rüthen is 10.8 km, Warstein–Geseke 24.6 km.
    make_refugee("Near", locality="warstein", travel_km=2, needs={"homework_help": "urgent"})
    make_refugee("Farther", locality="ruethen", travel_km=1, needs={"driving": "needed"})
    make_refugee("Too far", locality="geseke", travel_km=5, needs={"driving": "needed"})
    make_volunteer("Helper", locality="warstein", travel_km=10, offers=("homework_help", "driving"))

    result = overview(coordinator)

    homework, driving = balance(result, "homework_help"), balance(result, "driving")
    assert (homework.needed, homework.urgent, homework.offered, homework.uncovered) == (1, 1, 1, 0)
    assert (driving.needed, driving.uncovered) == (2, 1)  # 10.8 km <= 10 + 1, but 24.6 km > 10 + 5


def test_gaps_name_the_place_and_the_missing_language(coordinator, make_refugee, make_volunteer):
    make_refugee(
        "Yonas",
        locality="warstein",
        travel_km=5,
        languages={"ti": "native"},
        german_level=None,
        needs={"job_search": "needed"},
    )
    make_volunteer(
        "Klaus", locality="lippstadt", travel_km=5, languages={"de": "native", "ti": "B2"}, offers=("job_search",)
    )

    gaps = {(gap.locality.id, gap.kind, gap.key, gap.people) for gap in overview(coordinator).gaps}

    assert gaps == {("warstein", "activity", "job_search", 1), ("warstein", "language", "ti", 1)}


def test_people_without_matching_consent_are_not_counted(coordinator, make_refugee, make_volunteer):
    make_refugee("Counted", needs={"mentoring": "needed"})
    make_refugee("Not counted", needs={"mentoring": "needed"}, consents=(ConsentPurpose.RESIDENCE_STATUS,))
    make_volunteer("Also not", offers=("mentoring",), consents=())

    result = overview(coordinator)

    assert (result.refugees, result.volunteers) == (1, 0)
    assert balance(result, "mentoring").needed == 1 and balance(result, "mentoring").offered == 0


def test_the_dashboard_page(coordinator_client, make_refugee):
    make_refugee(
        "Yonas", locality="warstein", languages={"ti": "native"}, german_level=None, needs={"job_search": "needed"}
    )
    page = coordinator_client.get("/coordination/").get_data(as_text=True)
    assert "Tigrinya gebraucht in Warstein" in page
    assert re.search(r'class="bar needed share-(100|[1-9]?[0-9])"', page)
