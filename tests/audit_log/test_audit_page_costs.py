"""The audit log sends as many statements for 30 events (and the people they name) as for 3, filtered or not."""

from datetime import datetime, timezone

import pytest

from app.models import AuditEvent, Role
from tests.page_costs import FEW, MANY, statements


@pytest.fixture
def events(db, make_user, make_refugee):
    """``events(n)``: n views by a coordinator, each of another refugee (the list names every one)."""
    coordinator_id = make_user(Role.COORDINATOR, email="cora@example.org", name="Cora Coordinator").id
    made = []

    def add(count: int) -> None:
        for _ in range(count):
            number = len(made)
            refugee = make_refugee(f"Amal Haddad {number}", phone=f"+49179{number:08d}")
            event = AuditEvent(
                actor_id=coordinator_id,
                action="refugee.viewed",
                subject_type="RefugeeProfile",
                subject_id=str(refugee.refugee_profile.id),
                created_at=datetime(2026, 11, 1 + number % 28, 12, 0, tzinfo=timezone.utc),
            )
            db.session.add(event)
            made.append(event)
        db.session.commit()

    add.coordinator_id = coordinator_id
    return add


@pytest.mark.parametrize("query", ["", "action=refugee.viewed", "staff", "date_from=2026-11-01", "person=Cora"])
def test_audit_pages_cost_the_same_for_few_and_many(admin_client, count_queries, events, query):
    events(FEW)
    url = f"/audit/?{query}" if query != "staff" else f"/audit/?staff={events.coordinator_id}"
    few = statements(admin_client, count_queries, url)
    events(MANY - FEW)
    assert statements(admin_client, count_queries, url) == few
