"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


def test_models_have_no_changes_missing_from_the_migrations(app):
    """The session's schema was built by ``upgrade``; autogenerate must find nothing to add."""
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
    assert differences == []


@pytest.fixture
def empty_database(database_url, tmp_path, make_config):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        yield create_app(make_config(f"sqlite:///{tmp_path / 'empty.sqlite'}"))
        return
    app = create_app(
        make_config(
            database_url, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": "-csearch_path=migration_check"}}
        )
    )
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE; CREATE SCHEMA migration_check"))
        yield app
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA migration_check CASCADE"))
        db.engine.dispose()


@pytest.mark.slow
def test_upgrade_to_head_and_back_on_an_empty_database(empty_database):
    with empty_database.app_context():
        upgrade(directory=MIGRATIONS)
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "volunteer_profiles", "consents", "audit_events", "localities"} <= tables

        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


@pytest.mark.slow
def test_labels_of_activities_move_into_one_column_and_back(empty_database):
    """9679e7d04463 keeps every activity's German and English label, in both directions."""
    categories = sa.table(
        "help_categories", sa.column("key"), sa.column("label_de"), sa.column("label_en"), sa.column("labels", sa.JSON)
    )
    localities = sa.table("localities", sa.column("id"), sa.column("labels", sa.JSON))
    with empty_database.app_context():
        upgrade(directory=MIGRATIONS, revision="5de2a4d90202")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO help_categories (key, kind, label_de, label_en, notes, position, active)"
                    " VALUES ('sewing', 'group', 'Nähcafé', 'Sewing café', '', 1, TRUE)"
                )
            )
            connection.execute(text("INSERT INTO localities (id, name, lat, lon) VALUES ('soest', 'Soest', 51.5, 8.1)"))

        upgrade(directory=MIGRATIONS, revision="9679e7d04463")
        with db.engine.connect() as connection:
            assert connection.execute(sa.select(categories.c.labels)).scalar_one() == {
                "de": "Nähcafé",
                "en": "Sewing café",
            }
            assert connection.execute(sa.select(localities.c.labels)).scalar_one() == {}

        downgrade(directory=MIGRATIONS, revision="5de2a4d90202")
        with db.engine.connect() as connection:
            row = connection.execute(sa.select(categories.c.label_de, categories.c.label_en)).one()
        assert tuple(row) == ("Nähcafé", "Sewing café")
        downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()
