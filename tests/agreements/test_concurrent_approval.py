"""Two coordinators approving at the same moment never overbook: checked on PostgreSQL's real locks."""

import pytest
from sqlalchemy import select

from app.agreements import services
from app.extensions import db as _db
from app.models import Agreement, AgreementStatus, Role, User

# Each thread's own connection must see the agreements: they are committed for real.
pytestmark = pytest.mark.real_commits


@pytest.fixture
def postgres_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and concurrent transactions are checked on PostgreSQL (TEST_DATABASE_URL)")


def approval(agreement_id: int, coordinator_id: int):
    """A task for ``at_once``: approve the agreement as the coordinator, say how it went."""

    def approve() -> str:
        agreement, actor = _db.session.get(Agreement, agreement_id), _db.session.get(User, coordinator_id)
        try:
            services.approve(agreement, actor)
        except services.AgreementError as error:
            return type(error).__name__
        return "approved"

    return approve


def test_one_volunteer_place_two_approvals(
    postgres_only, at_once, db, make_volunteer, make_refugee, agreed_draft, coordinator
):
    volunteer = make_volunteer(capacity=1)
    refugees = [make_refugee(f"Family {n}", phone=f"+491764444444{n}") for n in range(2)]
    ids = [agreed_draft(r.refugee_profile, volunteer.volunteer_profile).id for r in refugees]

    assert at_once([approval(id_, coordinator.id) for id_ in ids]) == ["VolunteerFull", "approved"]
    db.session.expire_all()
    assert len(db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)).all()) == 1


def test_one_person_two_approvals(postgres_only, at_once, db, make_volunteer, make_refugee, agreed_draft, coordinator):
    refugee = make_refugee(phone="+4917655555555")
    volunteers = [make_volunteer(f"Helper {n}", email=f"helper{n}@example.org", capacity=2) for n in range(2)]
    ids = [agreed_draft(refugee.refugee_profile, v.volunteer_profile).id for v in volunteers]

    assert at_once([approval(id_, coordinator.id) for id_ in ids]) == ["RefugeeSponsored", "approved"]
    db.session.expire_all()
    assert len(db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)).all()) == 1


def test_coordinators_of_two_areas_share_one_volunteer_place(
    postgres_only, at_once, db, make_user, make_volunteer, make_refugee, agreed_draft
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

    outcome = at_once([approval(id_, c.id) for id_, c in zip(ids, coordinators, strict=True)])

    assert outcome == ["VolunteerFull", "approved"]
    db.session.expire_all()
    assert len(db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)).all()) == 1
