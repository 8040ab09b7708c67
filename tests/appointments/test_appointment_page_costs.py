"""The appointments overview and an appointment's page (its candidates ranked, everyone asked listed) send as
many statements for 30 fitting or asked volunteers as for 3."""

import pytest

from app.appointments import services
from app.extensions import db
from app.models import Appointment, User
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


def test_an_appointments_page_costs_the_same_for_few_and_many_asked(
    coordinator_client, coordinator, count_queries, make_request, make_interpreter
):
    appointment = make_request()
    appointment_id, coordinator_id, url = appointment.id, coordinator.id, f"/appointments/{appointment.id}"

    def ask(first: int, last: int) -> None:
        volunteers = [make_interpreter(f"Asked {n}", email=f"asked{n}@example.org") for n in range(first, last)]
        asked = [volunteer.volunteer_profile.id for volunteer in volunteers]
        actor = db.session.get(User, coordinator_id)  # the page's request left the test's records detached
        services.offer(db.session.get(Appointment, appointment_id), asked, True, actor)

    ask(0, FEW)
    few = statements(coordinator_client, count_queries, url)
    ask(FEW, MANY)
    many = statements(coordinator_client, count_queries, url)
    assert many == few
    page = coordinator_client.get(url).text
    assert all(f"Asked {n}<" in page for n in range(MANY))  # each listed with their name
