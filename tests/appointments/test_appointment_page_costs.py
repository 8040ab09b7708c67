"""The appointments overview and an appointment's page (its candidates ranked) send as many statements for
30 fitting volunteers as for 3."""

import pytest

from tests.page_costs import FEW, MANY, statements


@pytest.fixture
def fitting(make_interpreter):
    """``fitting(n)`` adds n interpreters of Arabic in Soest who fit the request."""
    made = []

    def add(count: int) -> None:
        for _ in range(count):
            made.append(make_interpreter(f"Interpreter {len(made)}", email=f"interpreter{len(made)}@example.org"))

    return add


@pytest.mark.parametrize("page", ["overview", "detail"])
def test_appointment_pages_cost_the_same_for_few_and_many(
    coordinator_client, count_queries, make_request, fitting, page
):
    appointment_id = make_request().id
    url = "/appointments/" if page == "overview" else f"/appointments/{appointment_id}"
    fitting(FEW)
    few = statements(coordinator_client, count_queries, url)
    fitting(MANY - FEW)
    many = statements(coordinator_client, count_queries, url)
    assert many == few
    if page == "detail":  # each of them was ranked; the best 20 are offered
        assert coordinator_client.get(url).text.count('name="volunteers"') == 20
