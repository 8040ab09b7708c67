"""The app of a database benchmark: one PostgreSQL schema of its own, so that a run never touches
the tables of the database's other users (tests, a demo) and can be dropped whole."""

import os

from flask import Flask

from app import create_app
from config import TestingConfig, normalise_database_url

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


def app_in_schema(url: str, schema: str) -> Flask:
    """The app on ``url`` whose connections find their tables in ``schema`` only (no mail sent)."""
    config = type(
        "BenchConfig",
        (TestingConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
            "MAIL_BACKEND": "dummy",
        },
    )
    return create_app(config)
