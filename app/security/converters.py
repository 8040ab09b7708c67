"""URL values that the database can hold.

Every ``<int:…>`` in a route names a row id, and ids are PostgreSQL
``integer`` columns: a larger number can name no row, while passing it to the
database raises an error (SQLite overflows at 2**63, PostgreSQL refuses
2**31 in comparisons with some drivers). The ``int`` converter is replaced
for the whole URL map, so such URLs do not match any route (404) and the
routes keep writing ``<int:…>``.
"""

from flask import Flask
from werkzeug.routing import IntegerConverter

# PostgreSQL's integer, the type of every id column.
MAX_ID = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int = MAX_ID, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app: Flask) -> None:
    if any(rule.endpoint != "static" for rule in app.url_map.iter_rules()):
        raise RuntimeError("the int converter must be replaced before any route is added")
    app.url_map.converters["int"] = DatabaseIntConverter
