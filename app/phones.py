"""Phone numbers as people type them: 0171 1234567, +49 171 1234567, 00963 …"""

import phonenumbers

DEFAULT_REGION = "DE"


def normalise_phone(text: str) -> str | None:
    """The number in E.164 form (``+491711234567``), or None if it is not a valid number."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """A stored number the way people read it: German numbers nationally, others internationally."""
    number = phonenumbers.parse(e164)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def is_mobile(e164: str) -> bool:
    """Whether a stored number reaches a mobile phone (address books file it as such; SMS reach it)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
