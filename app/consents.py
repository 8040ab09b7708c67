"""Consent texts and their versions, and giving or withdrawing consent.

Each purpose has one current wording. Changing a text means raising its
version, so that every stored consent still says which wording was agreed to.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.models import Consent, ConsentPurpose, User, utcnow


@dataclass(frozen=True)
class ConsentText:
    version: str
    text: str
    required: bool


CONSENT_TEXTS: dict[ConsentPurpose, ConsentText] = {
    ConsentPurpose.MATCHING: ConsentText(
        "2026-11",
        _l(
            "I agree that the coordination office stores my answers and uses them to propose "
            "volunteer activities and sponsorships to me. I can withdraw this at any time."
        ),
        required=True,
    ),
    ConsentPurpose.CONTACT_LISTS: ConsentText(
        "2026-11",
        _l(
            "I agree that my name, e-mail address and phone number appear on contact lists of "
            "the working groups I belong to, which their members receive."
        ),
        required=False,
    ),
    ConsentPurpose.EMAIL_CONTACT: ConsentText(
        "2026-11",
        _l("I agree to receive e-mails from the coordination office about volunteering."),
        required=False,
    ),
}


def current_consent(user: User, purpose: ConsentPurpose) -> Consent | None:
    return next((c for c in reversed(user.consents) if c.purpose == purpose and c.is_current), None)


def has_consent(user: User, purpose: ConsentPurpose) -> bool:
    return current_consent(user, purpose) is not None


def set_consent(user: User, purpose: ConsentPurpose, given: bool) -> None:
    """Give or withdraw ``purpose``; a no-op when nothing changes. The caller commits."""
    existing = current_consent(user, purpose)
    if given and existing is None:
        user.consents.append(Consent(purpose=purpose, text_version=CONSENT_TEXTS[purpose].version))
    elif not given and existing is not None:
        existing.withdrawn_at = utcnow()
