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


def _insert(connection, table: str, **values) -> None:
    columns = ", ".join(values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values)})"), values)


def _person(connection, kind: str, person_id: int, interests: str) -> None:
    """A user and a volunteer or refugee profile as the schema before interest keys stored them."""
    now = "2026-11-30 12:00:00+00:00"
    _insert(
        connection, "users", id=person_id, password_hash="x", full_name=f"Person {person_id}", role=kind,
        active=True, created_at=now,
    )  # fmt: skip
    common = dict(id=person_id, user_id=person_id, travel_km=5, interests=interests, status="active", steps_done=0)
    if kind == "volunteer":
        flags = ("travels_by_car", "travels_by_bicycle", "travels_by_public_transport", "mentors_women", "mentors_men")
        _insert(
            connection, "volunteer_profiles", **common, **dict.fromkeys(flags, False), mentors_diverse=False,
            works_with_children=False, capacity=1, profession="", created_at=now, updated_at=now,
        )  # fmt: skip
    else:
        _insert(connection, "refugee_profiles", **common, protection_notes="", created_at=now, updated_at=now)


def _keys(connection, table: str, profile_id: int) -> list[str]:
    query = text(f"SELECT key FROM {table} WHERE profile_id = :id ORDER BY key")
    return list(connection.execute(query, {"id": profile_id}).scalars())


@pytest.mark.slow
def test_free_text_interests_become_keys_where_an_item_is_a_label_in_any_language(empty_database):
    with empty_database.app_context():
        upgrade(directory=MIGRATIONS, revision="c69034098c54")
        with db.engine.begin() as connection:
            _person(connection, "volunteer", 1, "Fußball, KOCHEN , Kicken im Park")
            _person(connection, "refugee", 2, "كرة القدم، الطبخ")
            _person(connection, "refugee", 3, "Chess;  reading\nфутбол")
            _person(connection, "refugee", 4, "")

        upgrade(directory=MIGRATIONS, revision="8ad7af18ace0")

        with db.engine.begin() as connection:
            assert _keys(connection, "volunteer_interests", 1) == ["cooking", "football"]
            assert _keys(connection, "refugee_interests", 2) == ["cooking", "football"]
            assert _keys(connection, "refugee_interests", 3) == ["chess", "football", "reading"]
            assert _keys(connection, "refugee_interests", 4) == []
            notes = dict(connection.execute(text("SELECT id, interests_note FROM volunteer_profiles")).all())
            assert notes == {1: "Fußball, KOCHEN , Kicken im Park"}  # the person's words stay as they are
            _insert(connection, "volunteer_interests", profile_id=1, key="music")  # ticked after the upgrade

        downgrade(directory=MIGRATIONS, revision="c69034098c54")

        with db.engine.begin() as connection:
            volunteer = connection.execute(text("SELECT interests FROM volunteer_profiles")).scalar_one()
            refugees = dict(connection.execute(text("SELECT id, interests FROM refugee_profiles")).all())
        assert volunteer == "Fußball, KOCHEN , Kicken im Park, Music"  # nothing ticked is lost
        assert refugees == {2: "كرة القدم، الطبخ", 3: "Chess;  reading\nфутбол", 4: ""}


@pytest.mark.slow
def test_labels_of_activities_move_into_one_column_and_back(empty_database):
    """9679e7d04463 keeps every activity's German and English label, in both directions."""
    categories = sa.table(
        "help_categories", sa.column("key"), sa.column("label_de"), sa.column("label_en"), sa.column("labels", sa.JSON)
    )
    localities = sa.table("localities", sa.column("id"), sa.column("labels", sa.JSON))
    with empty_database.app_context():
        upgrade(directory=MIGRATIONS, revision="33c5e7b2b7d6")
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

        downgrade(directory=MIGRATIONS, revision="33c5e7b2b7d6")
        with db.engine.connect() as connection:
            row = connection.execute(sa.select(categories.c.label_de, categories.c.label_en)).one()
        assert tuple(row) == ("Nähcafé", "Sewing café")
        downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()


@pytest.mark.slow
def test_special_category_notes_are_encrypted_by_the_upgrade_and_decrypted_by_the_downgrade(empty_database):
    """b7e1c2d3a4f5 rewrites the notes stored before it as Fernet tokens, and back."""
    from app.crypto import decrypt

    note = "PTBS, Termin in der Traumaambulanz"
    with empty_database.app_context():
        upgrade(directory=MIGRATIONS, revision="f3316b91a62b")
        with db.engine.begin() as connection:
            now = "2026-12-01 12:00:00+00:00"
            for person_id, notes in ((1, note), (2, "")):
                _insert(
                    connection, "users", id=person_id, password_hash="x", full_name=f"Person {person_id}",
                    role="refugee", active=True, created_at=now, session_version=1,
                )  # fmt: skip
                _insert(
                    connection, "refugee_profiles", id=person_id, user_id=person_id, travel_km=5, status="active",
                    steps_done=0, interests_note="", protection_notes=notes, created_at=now, updated_at=now,
                )  # fmt: skip

        upgrade(directory=MIGRATIONS, revision="b7e1c2d3a4f5")
        with db.engine.connect() as connection:
            stored = dict(connection.execute(text("SELECT id, protection_notes FROM refugee_profiles")).all())
        assert "PTBS" not in stored[1] and decrypt(stored[1]) == note
        assert stored[2] == ""

        downgrade(directory=MIGRATIONS, revision="f3316b91a62b")
        with db.engine.connect() as connection:
            stored = dict(connection.execute(text("SELECT id, protection_notes FROM refugee_profiles")).all())
        assert stored == {1: note, 2: ""}
        downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()
