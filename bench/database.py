"""The app of a database benchmark: one PostgreSQL schema of its own, so that a run never touches
the tables of the database's other users (tests, a demo) and can be dropped whole."""

import os

import psycopg
from flask import Flask
from sqlalchemy import text

from app import create_app, freeze_start_up_objects
from app.extensions import db
from config import Config, TestingConfig, normalise_database_url

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


def create_database(url: str, replace: bool = False) -> bool:
    """Create the database of ``url`` (a PostgreSQL URL) unless it exists, or afresh if ``replace``;
    True if it was created. A new machine has only the databases its setup made."""
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and not replace:
            return False
        if exists:
            connection.execute(f'DROP DATABASE "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


def app_in_schema(url: str, schema: str) -> Flask:
    """The app on ``url`` whose connections find their tables in ``schema`` only (no mail sent), started
    as ``wsgi.py`` starts it; the database is created if it does not exist yet."""
    create_database(url)
    config = type(
        "BenchConfig",
        (TestingConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
            "MAIL_BACKEND": "dummy",
            "OVERVIEW_MAX_AGE_MINUTES": Config.OVERVIEW_MAX_AGE_MINUTES,  # as installed, not as in the tests
        },
    )
    app = create_app(config)
    freeze_start_up_objects()  # as wsgi.py does in every web and worker process
    return app


def settle() -> None:
    """After a bulk fill, leave the tables as autovacuum leaves tables that have been around: with the
    planner's statistics and the visibility map that lets counts read indexes alone. Without them the
    planner guesses, and a page that takes 0.1 s on a running installation took 2.7 s here (this
    machine's PostgreSQL runs without autovacuum)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
