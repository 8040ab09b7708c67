"""Reference data: localities and help categories, edited by admins or loaded from CSV."""

import csv
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.errors import DomainError
from app.extensions import db
from app.models import CategoryKind, HelpCategory, Locality

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class DuplicateKey(DomainError, abstract=True):
    """A locality or category with this identifier exists already."""


class LocalityIdTaken(DuplicateKey):
    message = _l("This identifier is already in use.")


class CategoryKeyTaken(DuplicateKey):
    message = _l("This key is already in use.")


def all_localities() -> list[Locality]:
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


def active_categories() -> list[HelpCategory]:
    """The activities offered in questionnaires and filters, in their order."""
    return list(db.session.scalars(select(HelpCategory).where(HelpCategory.active).order_by(HelpCategory.position)))


def all_categories() -> list[HelpCategory]:
    return list(db.session.scalars(select(HelpCategory).order_by(HelpCategory.position, HelpCategory.key)))


def save_locality(locality: Locality | None, data: dict) -> Locality:
    """Create a locality (``locality`` None) or update one; its identifier never changes."""
    if locality is None:
        if db.session.get(Locality, data["id"]) is not None:
            raise LocalityIdTaken()
        locality = Locality(id=data["id"])
        db.session.add(locality)
    locality.name, locality.lat, locality.lon = data["name"].strip(), data["lat"], data["lon"]
    audit.record("locality.saved", locality)
    db.session.commit()
    return locality


def save_category(category: HelpCategory | None, data: dict) -> HelpCategory:
    """Create a category (``category`` None) or update one; its key never changes."""
    if category is None:
        if db.session.get(HelpCategory, data["key"]) is not None:
            raise CategoryKeyTaken()
        category = HelpCategory(key=data["key"])
        db.session.add(category)
    category.kind = CategoryKind(data["kind"])
    category.label_de, category.label_en = data["label_de"].strip(), data["label_en"].strip()
    category.notes, category.position, category.active = (data["notes"] or "").strip(), data["position"], data["active"]
    audit.record("help_category.saved", category, key=category.key)
    db.session.commit()
    return category


def import_reference_data(data_dir: Path = DATA_DIR) -> None:
    """Insert the localities and help categories shipped with the app; existing rows are kept as edited."""
    with open(data_dir / "localities.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if db.session.get(Locality, row["id"]) is None:
                db.session.add(Locality(id=row["id"], name=row["name"], lat=float(row["lat"]), lon=float(row["lon"])))
    with open(data_dir / "help-categories.csv", encoding="utf-8") as file:
        for position, row in enumerate(csv.DictReader(file)):
            if db.session.get(HelpCategory, row["key"]) is None:
                db.session.add(
                    HelpCategory(
                        key=row["key"],
                        kind=CategoryKind(row["kind"]),
                        label_de=row["label_de"],
                        label_en=row["label_en"],
                        notes=row["notes"],
                        position=position,
                    )
                )
    db.session.commit()
