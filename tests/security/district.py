"""The security suite's district and the routes it walks through.

``World.url(rule)`` fills a rule's variables with the records of the ``world``
fixture; ``World.client(principal)`` is a test client signed in as that kind of
visitor, or anonymous.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask
from werkzeug.routing import Rule

from app.extensions import db
from app.models import User
from app.security.access import ACCESS, ANONYMOUS, PRINCIPALS


@dataclass
class World:
    app: Flask
    users: dict  # principal -> User (none for anonymous)
    values: dict  # URL variable -> value
    volunteer_profile_id: int
    refugee_profile_id: int

    def url(self, rule: Rule) -> str:
        records = {
            **self.values,
            "profile_id": self.volunteer_profile_id if rule.rule.startswith("/volunteers") else self.refugee_profile_id,
        }
        values = {name: records[name] for name in rule.arguments if name not in (rule.defaults or {})}
        with self.app.test_request_context():
            return self.app.url_for(rule.endpoint, **values, **(rule.defaults or {}))

    def client(self, principal):
        client = self.app.test_client()
        if principal != ANONYMOUS:
            with client.session_transaction() as session:
                session["_user_id"] = self.users[principal].get_id()
                session["_fresh"] = True
        return client


def pages(world: World) -> Iterator[tuple[object, str, object]]:
    """(visitor, url, response) for every page (GET route) each kind of visitor may open."""
    for rule in rules(world.app):
        if "GET" not in methods(rule) or rule.endpoint == "static":
            continue
        url = world.url(rule)
        for principal in PRINCIPALS:
            if principal in ACCESS[rule.rule]:
                yield principal, url, world.client(principal).get(url)


def methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)


def user_count() -> int:
    return db.session.query(User).count()


def snapshot() -> dict[str, list]:
    """Every row of every table, to show that a refused request changed nothing."""
    return {
        table.name: sorted(map(repr, db.session.execute(table.select()).all())) for table in db.metadata.sorted_tables
    }


def stored_strings() -> list[tuple[str, str]]:
    """(table, value) for every text value in the database."""
    return [
        (table.name, value)
        for table in db.metadata.sorted_tables
        for row in db.session.execute(table.select()).all()
        for value in row
        if isinstance(value, str)
    ]
