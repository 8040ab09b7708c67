"""Two coordinators approving at the same moment never overbook: checked on PostgreSQL's real locks."""

import threading

import pytest
from sqlalchemy import select

from app import create_app
from app.agreements import services
from app.extensions import db as _db
from app.models import Agreement, AgreementStatus, Role, User

# Each thread's own connection must see the agreements: they are committed for real.
pytestmark = pytest.mark.real_commits


@pytest.fixture
def postgres_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and concurrent transactions are checked on PostgreSQL (TEST_DATABASE_URL)")


def approve_at_once(app_config, agreement_ids, coordinator_id, coordinator_ids=None) -> list[str]:
    """Approve each agreement in its own thread, app and database connection, released together
    (by ``coordinator_id``, or by the coordinator of the same position in ``coordinator_ids``)."""
    barrier, results = threading.Barrier(len(agreement_ids)), []
    approvers = dict(zip(agreement_ids, coordinator_ids or [coordinator_id] * len(agreement_ids), strict=True))

    def approve(agreement_id):
        coordinator_id = approvers[agreement_id]
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


def test_coordinators_of_two_areas_share_one_volunteer_place(
    postgres_only, app_config, db, make_user, make_volunteer, make_refugee, agreed_draft
):
    # Lippstadt–Erwitte is 6.7 km: the volunteer of Lippstadt reaches both areas, and has one place.
    volunteer = make_volunteer(locality="lippstadt", travel_km=15, capacity=1)
    refugees = [
        make_refugee("Family Lippstadt", phone="+4917644444440", locality="lippstadt"),
        make_refugee("Family Erwitte", phone="+4917644444441", locality="erwitte"),
    ]
    coordinators = [
        make_user(Role.COORDINATOR, email="lippstadt-area@example.org", places=("lippstadt",)),
        make_user(Role.COORDINATOR, email="erwitte-area@example.org", places=("erwitte",)),
    ]
    ids = [agreed_draft(r.refugee_profile, volunteer.volunteer_profile).id for r in refugees]

    outcome = approve_at_once(app_config, ids, None, [c.id for c in coordinators])

    assert outcome == ["VolunteerFull", "approved"]
    db.session.expire_all()
    assert len(db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)).all()) == 1
