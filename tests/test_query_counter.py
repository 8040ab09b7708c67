"""The query counter used by the page-cost tests counts what the app sends, and only that."""

from sqlalchemy import select, text

from app.models import User


def test_counts_each_statement_of_a_request(coordinator_client, count_queries):
    with count_queries() as counted:
        coordinator_client.get("/coordination/")
    assert len(counted) > 0


def test_counts_statements_of_the_session_but_not_savepoints(db, count_queries):
    with count_queries() as counted:
        db.session.execute(select(User).limit(1)).all()
        db.session.execute(text("SELECT 1"))
        db.session.commit()  # releases the test's savepoint only
    assert len(counted) == 2
