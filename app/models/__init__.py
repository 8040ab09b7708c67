"""All models, imported here so that Alembic and the app see one metadata."""
from app.models.audit import AuditEvent
from app.models.consent import Consent, ConsentPurpose
from app.models.reference import CategoryKind, HelpCategory, Locality
from app.models.types import utcnow
from app.models.user import Role, User
from app.models.volunteer import (
    DAY_PARTS,
    TIME_SLOTS,
    WEEKDAYS,
    ClearanceStatus,
    Commitment,
    Gender,
    LanguageLevel,
    Resilience,
    VolunteerAvailability,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
)

__all__ = [
    "AuditEvent", "CategoryKind", "ClearanceStatus", "Commitment", "Consent", "ConsentPurpose",
    "DAY_PARTS", "Gender", "HelpCategory", "LanguageLevel", "Locality", "Resilience", "Role",
    "TIME_SLOTS", "User", "VolunteerAvailability", "VolunteerLanguage", "VolunteerProfile",
    "VolunteerStatus", "WEEKDAYS", "utcnow",
]
