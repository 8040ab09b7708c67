import pytest


@pytest.fixture
def sms_outbox(app) -> list:
    """SMS sent during the test as (number, text), kept by the locmem backend."""
    app.extensions["sms_outbox"] = []
    return app.extensions["sms_outbox"]


@pytest.fixture
def draft(pair, coordinator, db):
    """A draft agreement between the pair, waiting for both answers."""
    from datetime import date, timedelta

    from app.models import Agreement

    volunteer, refugee = pair
    agreement = Agreement(
        refugee=refugee.refugee_profile,
        volunteer=volunteer.volunteer_profile,
        contact_person=coordinator,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=90),
    )
    db.session.add(agreement)
    db.session.commit()
    return agreement
