"""Every code the matching engine can emit has words in the app, translated in every catalogue.

The codes come from the engine's published vocabulary, so a code added to
the engine without a text here (or without its translations) fails.
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import matching
from app.matches.explain import REASON_TEXTS, UNMATCHED_TEXTS, reason_text, unmatched_hint
from config import Config

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
REASON_CODES = (*matching.PAIR_REASONS, *matching.GROUP_REASONS)


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_reason_has_a_text(code):
    assert code in REASON_TEXTS


@pytest.mark.parametrize("code", matching.UNMATCHED_REASONS)
def test_every_unmatched_reason_has_a_hint(code):
    assert code in UNMATCHED_TEXTS


def engine_messages() -> dict[str, str]:
    """Code -> message of every engine code that has one (the tests above name those without)."""
    reasons = {code: REASON_TEXTS[code][0] for code in REASON_CODES if code in REASON_TEXTS}
    hints = {code: UNMATCHED_TEXTS[code][0] for code in matching.UNMATCHED_REASONS if code in UNMATCHED_TEXTS}
    return reasons | hints


@pytest.mark.parametrize("locale", Config.LANGUAGES)
def test_every_engine_message_is_translated(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalogue = read_po(file)
    untranslated = {
        code: message
        for code, message in engine_messages().items()
        if (entry := catalogue.get(message)) is None or not entry.string or entry.fuzzy
    }
    assert untranslated == {}


@pytest.mark.parametrize("code", REASON_CODES)
def test_reasons_read_as_words(app, db, code):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        text = reason_text({"code": code, "detail": "ar"})
    assert text != code and "%(" not in text


@pytest.mark.parametrize("code", matching.UNMATCHED_REASONS)
def test_unmatched_hints_read_as_words(app, make_refugee, code):
    refugee = make_refugee(preferred_mentor_gender=None).refugee_profile
    with app.test_request_context(headers={"Accept-Language": "en"}):
        text = unmatched_hint(code, refugee)
    assert text != code and "%(" not in text


def test_an_unknown_code_is_shown_as_it_is(app, make_refugee):
    refugee = make_refugee().refugee_profile
    with app.test_request_context():
        assert reason_text({"code": "new_reason", "detail": "x"}) == "new_reason"
        assert unmatched_hint("new_reason", refugee) == "new_reason"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("de", "gemeinsame Interessen: Fußball, Kochen"),
        ("ar", "اهتمامات مشتركة: كرة القدم, الطبخ"),
        ("uk", "спільні інтереси: Футбол, Кулінарія"),
        ("en", "shared interests: Football, Cooking"),
    ],
)
def test_shared_interests_are_named_in_the_readers_language(app, locale, text):
    with app.test_request_context(headers={"Accept-Language": locale}):
        assert reason_text({"code": "shared_interests", "detail": "football, cooking"}) == text


def test_words_of_an_older_run_are_shown_as_they_are(app):
    """Runs before interest keys stored the shared words themselves."""
    with app.test_request_context(headers={"Accept-Language": "de"}):
        text = reason_text({"code": "shared_interests", "detail": "tischtennis"})
    assert text == "gemeinsame Interessen: tischtennis"
