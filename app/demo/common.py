"""What the demo volunteers and refugees share."""

from anyascii import anyascii

# Weights roughly follow the towns' population.
LOCALITY_WEIGHTS = {
    "soest": 8,
    "lippstadt": 12,
    "werl": 6,
    "warstein": 5,
    "geseke": 4,
    "erwitte": 3,
    "ruethen": 2,
    "bad-sassendorf": 2,
    "ense": 2,
    "moehnesee": 2,
    "welver": 2,
    "lippetal": 2,
    "wickede": 2,
    "anroechte": 2,
}


def ascii_name(text: str) -> str:
    """A name as it can stand in an e-mail address: Müller → mueller."""
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return anyascii(text).lower().replace(" ", "-")
