"""Reference data every feature reads: the places and activities of this installation.

Admins edit them (app.admin); everything else only reads them, from here.
"""

import csv
from pathlib import Path

from flask_babel import get_locale
from sqlalchemy import select

from app.extensions import db
from app.models import BOOKABLE_FROM_THE_START, CategoryKind, HelpCategory, Locality

DATA_DIR = Path(__file__).resolve().parent / "data"


def label(item: HelpCategory | Locality) -> str:
    """A place's or an activity's label in the language of the page."""
    return item.label(str(get_locale()))


def all_localities() -> list[Locality]:
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


def place_labels() -> dict[str, str]:
    """Locality id → its name in the language of the page."""
    locale = str(get_locale())
    return {locality.id: locality.label(locale) for locality in all_localities()}


def active_categories() -> list[HelpCategory]:
    """The activities offered in questionnaires and filters, in their order."""
    return list(db.session.scalars(select(HelpCategory).where(HelpCategory.active).order_by(HelpCategory.position)))


def all_categories() -> list[HelpCategory]:
    return list(db.session.scalars(select(HelpCategory).order_by(HelpCategory.position, HelpCategory.key)))


def _labels(row: dict[str, str], prefix: str) -> dict[str, str]:
    """The labels of a shipped row by language: its columns ``<prefix><language>`` (``name_ar``)."""
    return {column.removeprefix(prefix): text for column, text in row.items() if column.startswith(prefix) and text}


def import_reference_data(data_dir: Path = DATA_DIR) -> None:
    """Insert the localities and help categories shipped with the app; existing rows are kept as edited."""
    with open(data_dir / "localities.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if db.session.get(Locality, row["id"]) is None:
                db.session.add(
                    Locality(
                        id=row["id"],
                        name=row["name"],
                        labels=_labels(row, "name_"),
                        lat=float(row["lat"]),
                        lon=float(row["lon"]),
                    )
                )
    with open(data_dir / "help-categories.csv", encoding="utf-8") as file:
        for position, row in enumerate(csv.DictReader(file)):
            if db.session.get(HelpCategory, row["key"]) is None:
                db.session.add(
                    HelpCategory(
                        key=row["key"],
                        kind=CategoryKind(row["kind"]),
                        labels=_labels(row, "label_"),
                        notes=row["notes"],
                        position=position,
                        bookable=row["key"] in BOOKABLE_FROM_THE_START,
                    )
                )
    db.session.commit()
