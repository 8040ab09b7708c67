"""Two coordinators approving at the same moment never overbook: checked on PostgreSQL's real locks."""

import threading

import pytest
from sqlalchemy import select

from app import create_app
from app.agreements import services
from app.extensions import db as _db
from app.models import Agreement, AgreementStatus, User

# Each thread's own connection must see the agreements: they are committed for real.
pytestmark = pytest.mark.real_commits


@pytest.fixture
def postgres_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and concurrent transactions are checked on PostgreSQL (TEST_DATABASE_URL)")


def approve_at_once(app_config, agreement_ids, coordinator_id) -> list[str]:
    """Approve each agreement in its own thread, app and database connection, released together."""
    barrier, results = threading.Barrier(len(agreement_ids)), []

    def approve(agreement_id):
        app = create_app(app_config)
        with app.app_context():
            agreement, actor = _db.session.get(Agreement, agreement_id), _db.session.get(User, coordinator_id)
            barrier.wait()
            try:
                services.approve(agreement, actor)
                results.append("approved")
            except services.AgreementError as error:
                results.append(type(error).__name__)
            _db.session.remove()
            _db.engine.dispose()

    threads = [threading.Thread(target=approve, args=(agreement_id,)) for agreement_id in agreement_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def test_one_volunteer_place_two_approvals(
    postgres_only, app_config, db, make_volunteer, make_refugee, agreed_draft, coordinator
):
    volunteer = make_volunteer(capacity=1)
    refugees = [make_refugee(f"Family {n}", phone=f"+491764444444{n}") for n in range(2)]
    ids = [agreed_draft(r.refugee_profile, volunteer.volunteer_profile).id for r in refugees]

    assert approve_at_once(app_config, ids, coordinator.id) == ["VolunteerFull", "approved"]
    db.session.expire_all()
    assert len(db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)).all()) == 1


def test_one_person_two_approvals(
    postgres_only, app_config, db, make_volunteer, make_refugee, agreed_draft, coordinator
):
    refugee = make_refugee(phone="+4917655555555")
    volunteers = [make_volunteer(f"Helper {n}", email=f"helper{n}@example.org", capacity=2) for n in range(2)]
    ids = [agreed_draft(refugee.refugee_profile, v.volunteer_profile).id for v in volunteers]

    assert approve_at_once(app_config, ids, coordinator.id) == ["RefugeeSponsored", "approved"]
    db.session.expire_all()
    assert len(db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)).all()) == 1
