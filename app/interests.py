"""The interests and hobbies people choose from, the same in every language.

Volunteers and refugees tick interests from this list; the matching engine
compares the keys, so "Fußball" and "كرة القدم" are one interest (``football``).
Each key is stable (stored, passed to the engine), has an English label that
the catalogues translate, and a symbol ``interest-<key>`` in static/icons.svg.
What people write in their own words stays beside the keys, as a note for
coordinators.

Older profiles had only the free text; :func:`keys_in_text` finds the keys in
it where a comma-separated item is a label in any language. The migration
that introduced the keys and ``flask interests map-notes`` both use it.
"""

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from babel.messages.pofile import read_po
from flask import current_app
from flask_babel import gettext

from app.taxonomy import N_

# In the order the questionnaires show them: sport, games, nature, food, music and making things,
# learning and culture, people. A label naming alternatives ("Drawing / painting") matches each one.
INTEREST_LABELS: dict[str, str] = {
    "football": N_("Football"),
    "volleyball": N_("Volleyball"),
    "cricket": N_("Cricket"),
    "running": N_("Running"),
    "hiking": N_("Hiking"),
    "cycling": N_("Cycling"),
    "swimming": N_("Swimming"),
    "fitness": N_("Fitness"),
    "martial_arts": N_("Martial arts"),
    "dancing": N_("Dancing"),
    "yoga": N_("Yoga"),
    "chess": N_("Chess"),
    "board_games": N_("Board games / cards"),
    "video_games": N_("Video games"),
    "nature": N_("Nature"),
    "gardening": N_("Gardening"),
    "animals": N_("Animals"),
    "fishing": N_("Fishing"),
    "camping": N_("Camping"),
    "travel": N_("Travel"),
    "cooking": N_("Cooking"),
    "baking": N_("Baking"),
    "music": N_("Music"),
    "singing": N_("Singing"),
    "instrument": N_("Playing an instrument"),
    "drawing": N_("Drawing / painting"),
    "photography": N_("Photography"),
    "handicrafts": N_("Handicrafts"),
    "sewing": N_("Sewing"),
    "diy": N_("Repairs / DIY"),
    "cars": N_("Cars"),
    "calligraphy": N_("Calligraphy"),
    "poetry": N_("Poetry"),
    "writing": N_("Writing"),
    "reading": N_("Reading"),
    "languages": N_("Languages"),
    "history": N_("History"),
    "science": N_("Science"),
    "maths": N_("Mathematics"),
    "computers": N_("Computers"),
    "programming": N_("Programming"),
    "films": N_("Films / series"),
    "theatre": N_("Theatre"),
    "museums": N_("Museums"),
    "news": N_("News / politics"),
    "meeting_people": N_("Meeting people"),
    "helping": N_("Helping others"),
    "children": N_("Playing with children"),
    "fashion": N_("Fashion"),
    "health": N_("Health"),
}
INTEREST_KEYS: tuple[str, ...] = tuple(INTEREST_LABELS)

# Items in free text: commas (also the Arabic comma), semicolons, line breaks.
_ITEM_SEPARATORS = re.compile(r"[,،;\n]")


def interest_label(key: str) -> str:
    """A key's label in the current language; a key the vocabulary no longer has stays as it is."""
    return gettext(INTEREST_LABELS[key]) if key in INTEREST_LABELS else key


def interest_icon(key: str) -> str:
    """The symbol of ``key`` in static/icons.svg."""
    return f"interest-{key}"


def in_vocabulary_order(keys: Iterable[str]) -> list[str]:
    """``keys`` in the order of the list people choose from; unknown keys last."""
    position = {key: i for i, key in enumerate(INTEREST_KEYS)}
    return sorted(set(keys), key=lambda key: (position.get(key, len(position)), key))


def normalised(text: str) -> str:
    """Compared without case, width variants or extra whitespace: "  FUSSBALL " is "Fußball"."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def label_forms(label: str) -> list[str]:
    """What names a label's interest: the label, and each alternative of "Drawing / painting"."""
    return [label, *label.split(" / ")]


def label_index(translations_dirs: Iterable[str | Path]) -> dict[str, str]:
    """Every label of every key, in English and in every catalogue below ``translations_dirs``, → its key.

    Read from the catalogues' sources (.po), so that it works before they are compiled. A label
    that two keys shared in some language would map to the first key (tests/test_interests.py
    checks that none does).
    """
    translations: list[dict[str, str]] = []
    for directory in translations_dirs:
        for po in sorted(Path(directory).glob("*/LC_MESSAGES/messages.po")):
            with po.open("rb") as file:
                catalogue = read_po(file)
            translations.append({m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy})
    index: dict[str, str] = {}
    for key, label in INTEREST_LABELS.items():
        for text in [label, *(catalogue.get(label, label) for catalogue in translations)]:
            for alternative in label_forms(text):
                index.setdefault(normalised(alternative), key)
    return index


def app_label_index() -> dict[str, str]:
    """:func:`label_index` over the app's catalogues."""
    return label_index(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"))


def keys_in_text(text: str, index: dict[str, str]) -> tuple[list[str], list[str]]:
    """The keys that items of ``text`` name (in vocabulary order), and the items that name none."""
    keys, unmatched = set(), []
    for item in _ITEM_SEPARATORS.split(text):
        if not normalised(item):
            continue
        key = index.get(normalised(item))
        if key:
            keys.add(key)
        else:
            unmatched.append(item.strip())
    return in_vocabulary_order(keys), unmatched
