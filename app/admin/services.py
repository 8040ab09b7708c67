"""Reference data edited by admins: places and activities (reading them is app.reference_data's)."""

from flask_babel import lazy_gettext as _l

from app import audit
from app.errors import DomainError
from app.extensions import db
from app.models import CategoryKind, HelpCategory, Locality
from app.reference_data import all_categories, all_localities
from app.taxonomy import labels_in


class DuplicateKey(DomainError, abstract=True):
    """A locality or category with this identifier exists already."""


class LocalityIdTaken(DuplicateKey):
    message = _l("This identifier is already in use.")


class CategoryKeyTaken(DuplicateKey):
    message = _l("This key is already in use.")


def missing_labels(languages: list[str]) -> dict[HelpCategory | Locality, list[str]]:
    """Every place and activity → the interface languages it has no name in yet (an empty list if none)."""
    return {item: item.missing_labels(languages) for item in [*all_localities(), *all_categories()]}


def save_locality(locality: Locality | None, data: dict) -> Locality:
    """Create a locality (``locality`` None) or update one; its identifier never changes."""
    if locality is None:
        if db.session.get(Locality, data["id"]) is not None:
            raise LocalityIdTaken()
        locality = Locality(id=data["id"])
        db.session.add(locality)
    locality.name, locality.lat, locality.lon = data["name"].strip(), data["lat"], data["lon"]
    locality.labels = dict(data["labels"])
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
    category.labels = dict(data["labels"])
    category.notes, category.position, category.active = (data["notes"] or "").strip(), data["position"], data["active"]
    category.bookable = data.get("bookable", False)
    audit.record("help_category.saved", category, key=category.key)
    db.session.commit()
    return category


def category_labels(category: HelpCategory, languages: list[str]) -> dict[str, str]:
    """An activity's labels to edit: as entered, and for a shipped one as the catalogues translate it."""
    return labels_in(category.key, category.labels, languages)
