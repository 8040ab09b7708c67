"""The interest vocabulary: stable keys, an icon each, labels in every language, keys found in free text."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.interests import (
    INTEREST_KEYS,
    INTEREST_LABELS,
    interest_icon,
    keys_in_text,
    label_forms,
    label_index,
    normalised,
)
from config import Config

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"


def test_about_fifty_interests_with_stable_keys():
    assert 45 <= len(INTEREST_KEYS) <= 60
    assert all(re.fullmatch(r"[a-z][a-z_]{1,31}", key) for key in INTEREST_KEYS)


def test_every_interest_has_its_own_icon():
    icons = (ROOT / "app" / "static" / "icons.svg").read_text(encoding="utf-8")
    missing = [key for key in INTEREST_KEYS if f'<symbol id="icon-{interest_icon(key)}"' not in icons]
    assert missing == []


@pytest.mark.parametrize("locale", [code for code in Config.LANGUAGES if code != "en"])
def test_no_two_interests_share_a_label(locale):
    """Otherwise a word in someone's note could not tell which interest it means."""
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalogue = read_po(file)
    owners: dict[str, set[str]] = {}
    for key, label in INTEREST_LABELS.items():
        for text in (label, catalogue.get(label).string):
            for alternative in label_forms(text):
                owners.setdefault(normalised(alternative), set()).add(key)
    assert {label: keys for label, keys in owners.items() if len(keys) > 1} == {}


@pytest.fixture(scope="module")
def index() -> dict[str, str]:
    return label_index([TRANSLATIONS])


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Fußball, Kochen", ["football", "cooking"]),
        ("كرة القدم، الطبخ", ["football", "cooking"]),
        ("  FOOTBALL ,cooking\n", ["football", "cooking"]),
        ("футбол; шахи", ["football", "chess"]),
        ("فوتبال", ["football"]),
        ("ኩዕሶ እግሪ", ["football"]),
        ("Malen", ["drawing"]),  # one of the alternatives of "Zeichnen / Malen"
        ("Drawing / painting", ["drawing"]),
        ("Kochen, cooking, الطبخ", ["cooking"]),
    ],
)
def test_a_label_in_any_language_names_its_key(index, text, keys):
    assert keys_in_text(text, index) == (keys, [])


def test_items_that_name_no_interest_come_back_as_written(index):
    assert keys_in_text("Schach, Kicken im Park , , ⚽", index) == (["chess"], ["Kicken im Park", "⚽"])
