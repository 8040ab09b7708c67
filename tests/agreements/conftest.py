from datetime import date, timedelta

import pytest

from app.models import Agreement, utcnow


@pytest.fixture
def agreed_draft(db):
    """``agreed_draft(refugee_profile, volunteer_profile)``: a draft both parties agreed to, waiting for approval."""

    def build(refugee, volunteer) -> Agreement:
        agreement = Agreement(
            refugee=refugee, volunteer=volunteer, starts_on=date.today(), ends_on=date.today() + timedelta(days=90)
        )
        agreement.volunteer_agreed_at = agreement.refugee_agreed_at = utcnow()
        db.session.add(agreement)
        db.session.commit()
        return agreement

    return build
