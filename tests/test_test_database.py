"""The test database itself: a test's commits are rolled back afterwards, unless it is marked ``real_commits``."""

import pytest
from sqlalchemy import func, select

from app.models import HelpCategory, Locality, User


def users_seen_by_another_connection(db) -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count(User.id)))


@pytest.mark.real_commits
def test_commits_inside_the_test_transaction_are_savepoints_rolled_back_at_the_end(rolled_back, make_user, db):
    with rolled_back(db.engine):
        make_user(email="kept-until-the-end@example.org")  # commits, as the services do
        db.session.add(User(email="dropped@example.org", full_name="Dropped", role="volunteer", password_hash="x"))
        db.session.flush()
        db.session.rollback()  # back to the last commit, not to the start of the test

        emails = db.session.scalars(select(User.email)).all()
        assert emails == ["kept-until-the-end@example.org"]

    assert users_seen_by_another_connection(db) == 0
    assert db.session.scalar(select(func.count(Locality.id))) > 0  # committed once per run, never rolled back
    assert db.session.scalar(select(func.count(HelpCategory.key))) > 0


@pytest.mark.real_commits
def test_real_commits_reach_other_connections(make_user, db):
    make_user(email="committed@example.org")
    assert users_seen_by_another_connection(db) == 1


def test_a_test_starts_with_no_people_but_the_reference_data(db):
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert db.session.scalar(select(func.count(Locality.id))) > 0
