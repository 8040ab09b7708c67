"""The refugee list (with every filter) and a refugee's page send as many statements for 30 people as for 3."""

import pytest

from tests.page_costs import FEW, MANY, statements


@pytest.fixture
def people(db, make_refugee):
    """``people(n)`` adds n households in Soest born in 1990 (every one a duplicate candidate of the first),
    with children, two languages, needs; returns the id of the first record."""
    made = []

    def add(count: int) -> int:
        for _ in range(count):
            number = len(made)
            user = make_refugee(
                f"Mohammed Al-Hassan {number}" if number % 2 else "Muhammad Alhasan",
                phone=f"+49178{number:08d}",
                languages={"ar": "native", "en": "A2"},
                needs={"paperwork": "urgent", "mentoring": "needed"},
                members=(("child", 4), ("partner", 30)),
                birth_year=1990,
            )
            made.append(user.refugee_profile.id)
        return made[0]

    return add


@pytest.mark.parametrize(
    "url",
    [
        "/refugees/",
        "/refugees/?q=moha",
        "/refugees/?q=محمد الحسن",
        "/refugees/?locality=soest&language=ar&need=paperwork",
        "/refugees/?children=y&unmatched=y&status=active",
        "detail",
    ],
)
def test_refugee_pages_cost_the_same_for_few_and_many(coordinator_client, count_queries, people, url):
    first = people(FEW)
    url = f"/refugees/{first}" if url == "detail" else url
    few = statements(coordinator_client, count_queries, url)
    people(MANY - FEW)
    assert statements(coordinator_client, count_queries, url) == few
