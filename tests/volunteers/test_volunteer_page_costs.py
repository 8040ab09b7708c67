"""The volunteer list (with every filter) and a volunteer's page send as many statements for 30 as for 3."""

import pytest

from tests.page_costs import FEW, MANY, statements


@pytest.fixture
def volunteers(db, make_volunteer):
    """``volunteers(n)`` adds n volunteers in Soest with two languages, offers and times; returns the first's id."""
    made = []

    def add(count: int) -> int:
        for _ in range(count):
            user = make_volunteer(
                f"Sabine Schmidt {len(made)}",
                languages={"de": "native", "en": "B2"},
                offers=("paperwork", "mentoring"),
                slots=("tue-evening", "sat-morning"),
            )
            made.append(user.volunteer_profile.id)
        return made[0]

    return add


@pytest.mark.parametrize(
    "url",
    [
        "/volunteers/",
        "/volunteers/?q=schm",
        "/volunteers/?locality=soest&language=en&offer=paperwork",
        "/volunteers/?day=tue&part=evening&status=active",
        "detail",
    ],
)
def test_volunteer_pages_cost_the_same_for_few_and_many(coordinator_client, count_queries, volunteers, url):
    first = volunteers(FEW)
    url = f"/volunteers/{first}" if url == "detail" else url
    few = statements(coordinator_client, count_queries, url)
    volunteers(MANY - FEW)
    assert statements(coordinator_client, count_queries, url) == few
