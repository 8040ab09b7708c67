"""The sponsorship pages send as many SQL statements for 30 sponsorships (and check-ins) as for 3."""

from datetime import date, timedelta

import pytest

from app.models import Agreement, AgreementStatus, CheckIn
from tests.page_costs import FEW, MANY, statements


@pytest.fixture
def sponsorships(db, make_volunteer, make_refugee, coordinator):
    """``sponsorships(n)`` adds n active sponsorships (every other with a second volunteer and check-ins,
    some long silent); returns the id of the first, whose check-ins grow with n."""
    made, coordinator_id = [], coordinator.id

    def add(count: int) -> int:
        for _ in range(count):
            number = len(made)
            volunteer = make_volunteer(f"Vera {number}")
            second = make_volunteer(f"Sven {number}") if number % 2 else None
            refugee = make_refugee(f"Amal {number}", phone=f"+49176{number:08d}")
            agreement = Agreement(
                refugee=refugee.refugee_profile,
                volunteer=volunteer.volunteer_profile,
                second_volunteer=second.volunteer_profile if second else None,
                contact_person_id=coordinator_id,
                status=AgreementStatus.ACTIVE,
                starts_on=date.today() - timedelta(days=200 + number),
                ends_on=date.today() + timedelta(days=30),
            )
            db.session.add(agreement)
            db.session.flush()
            made.append(agreement.id)
            if number % 3:  # the others stay silent: the list marks them
                db.session.add(CheckIn(agreement_id=made[0], author=volunteer, happened_on=date.today()))
        db.session.commit()
        return made[0]

    return add


@pytest.mark.parametrize("url", ["/sponsorships/", "/sponsorships/?status=active", "detail", "draft"])
def test_sponsorship_pages_cost_the_same_for_few_and_many(coordinator_client, count_queries, sponsorships, db, url):
    first = sponsorships(FEW)
    if url == "draft":  # a draft's page offers the volunteers with a free place as second volunteer
        db.session.get(Agreement, first).status = AgreementStatus.DRAFT
        db.session.commit()
    url = f"/sponsorships/{first}" if url in ("detail", "draft") else url
    few = statements(coordinator_client, count_queries, url)
    sponsorships(MANY - FEW)
    assert statements(coordinator_client, count_queries, url) == few
