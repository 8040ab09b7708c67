"""The demo generator at other sizes, with a year of sponsorships (the load benchmark's district)."""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from app.demo import seed_demo
from app.models import HOLDING_STATUSES, Agreement, AgreementStatus, RefugeeProfile, VolunteerProfile

pytestmark = pytest.mark.slow  # demo data


def test_a_year_of_sponsorships_respects_capacity_and_one_per_household(db):
    result = seed_demo(volunteer_count=40, refugee_count=120, sponsorship_months=12)

    assert result["volunteers_added"] == 40 and result["refugees_added"] >= 120  # and some re-registrations
    agreements = db.session.scalars(select(Agreement)).all()
    assert result["sponsorships_added"] == len(agreements) > 20
    statuses = Counter(a.status for a in agreements)
    assert statuses[AgreementStatus.ENDED] and statuses[AgreementStatus.ACTIVE]
    holding = Counter(a.volunteer_id for a in agreements if a.status in HOLDING_STATUSES)
    capacity = dict(db.session.execute(select(VolunteerProfile.id, VolunteerProfile.capacity)).all())
    assert all(count <= capacity[volunteer] for volunteer, count in holding.items())
    assert max(Counter(a.refugee_id for a in agreements).values()) == 1
    assert all(a.starts_on <= c.happened_on <= date.today() for a in agreements for c in a.check_ins)
    assert db.session.scalar(select(RefugeeProfile.id).limit(1)) is not None
