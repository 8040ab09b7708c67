"""Consent texts and their versions, and giving or withdrawing consent.

Volunteers and refugees are asked for different things in different words, so
each role has its own texts. Changing a text means raising its version, so
that every stored consent still says which wording was agreed to.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.models import Consent, ConsentPurpose, Role, User, utcnow


@dataclass(frozen=True)
class ConsentText:
    version: str
    text: str
    required: bool


VOLUNTEER_CONSENTS: dict[ConsentPurpose, ConsentText] = {
    ConsentPurpose.MATCHING: ConsentText(
        "v-2026-11",
        _l(
            "I agree that the coordination office stores my answers and uses them to propose "
            "volunteer activities and sponsorships to me. I can withdraw this at any time."
        ),
        required=True,
    ),
    ConsentPurpose.CONTACT_LISTS: ConsentText(
        "v-2026-11",
        _l(
            "I agree that my name, e-mail address and phone number appear on contact lists of "
            "the working groups I belong to, which their members receive."
        ),
        required=False,
    ),
    ConsentPurpose.EMAIL_CONTACT: ConsentText(
        "v-2026-11",
        _l("I agree to receive e-mails from the coordination office about volunteering."),
        required=False,
    ),
}

REFUGEE_CONSENTS: dict[ConsentPurpose, ConsentText] = {
    ConsentPurpose.MATCHING: ConsentText(
        "r-2026-11",
        _l(
            "I agree that the coordination office stores my answers and uses them to find "
            "volunteers who can help me. I can withdraw this at any time."
        ),
        required=True,
    ),
    ConsentPurpose.RESIDENCE_STATUS: ConsentText(
        "r-2026-11",
        _l(
            "I agree that the coordination office stores my residence status. Only coordinators "
            "see it. I do not have to give it."
        ),
        required=False,
    ),
    ConsentPurpose.PROTECTION_NEEDS: ConsentText(
        "r-2026-11",
        _l(
            "I agree that the coordination office stores my notes on special protection needs "
            "(for example health or safety). Only coordinators see them. I do not have to give them."
        ),
        required=False,
    ),
}


def consent_texts(role: Role) -> dict[ConsentPurpose, ConsentText]:
    return REFUGEE_CONSENTS if role == Role.REFUGEE else VOLUNTEER_CONSENTS


def current_consent(user: User, purpose: ConsentPurpose) -> Consent | None:
    return next((c for c in reversed(user.consents) if c.purpose == purpose and c.is_current), None)


def has_consent(user: User, purpose: ConsentPurpose) -> bool:
    return current_consent(user, purpose) is not None


def set_consent(user: User, purpose: ConsentPurpose, given: bool, recorded_by: User | None = None) -> None:
    """Give or withdraw ``purpose``; a no-op when nothing changes. The caller commits.

    ``recorded_by`` is the coordinator who recorded it on the person's behalf.
    """
    existing = current_consent(user, purpose)
    if given and existing is None:
        user.consents.append(
            Consent(purpose=purpose, text_version=consent_texts(user.role)[purpose].version, recorded_by=recorded_by)
        )
    elif not given and existing is not None:
        existing.withdrawn_at = utcnow()
