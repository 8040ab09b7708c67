"""Reference data edited by admins: places and activities (reading them is app.reference_data's)."""

from flask_babel import lazy_gettext as _l

from app import audit
from app.errors import DomainError
from app.extensions import db
from app.models import CategoryKind, HelpCategory, Locality


class DuplicateKey(DomainError, abstract=True):
    """A locality or category with this identifier exists already."""


class LocalityIdTaken(DuplicateKey):
    message = _l("This identifier is already in use.")


class CategoryKeyTaken(DuplicateKey):
    message = _l("This key is already in use.")


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
