"""Dates, numbers, lists and mixed-direction text, written as readers of the page's language expect.

Babel's CLDR data gives each language its own formats; a few of them read badly in this app and
are replaced here: English dates follow British use (21 Nov 2026, not Nov 21, 2026), Tigrinya
puts the day first as Eritreans and Ethiopians write it, Kurmanji writes months in full (CLDR's
abbreviations are unreadable), and Ukrainian and Russian leave out the "р."/"г." after the year,
which ended sentences in two full stops.

Names, numbers and other text of another direction are isolated (``<bdi>`` in pages, Unicode
isolates in plain text), so that a Latin name or a phone number keeps its order on a
right-to-left page.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from flask_babel import get_locale, to_user_timezone
from jinja2 import pass_eval_context
from markupsafe import Markup

from app.i18n import text_direction
from app.phones import display_phone
from app.security.inputs import strip_bidi_controls

# The locale whose formats a language's pages use, where it is not the language itself.
FORMAT_LOCALES = {"en": "en_GB"}
DATE_FORMATS = {"ti": "d MMMM y", "ku": "long", "uk": "d MMMM y", "ru": "d MMMM y"}
# Dates written out on documents ("Lippstadt, 2. Dezember 2026"); the same replacements as above.
LONG_DATE_FORMATS = {"ti": "d MMMM y", "uk": "d MMMM y", "ru": "d MMMM y"}
MOMENT_FORMATS = {"ti": "d/M/y h:mm a"}
# CLDR joins every Arabic list item with "و"; a list of names reads better with the Arabic comma.
LIST_PATTERNS = {"ar": {"start": "{0}، {1}", "middle": "{0}، {1}"}}

FIRST_STRONG_ISOLATE, LEFT_TO_RIGHT_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2066", "\u2069"
_SLOT = re.compile("\ue000(\\d+)\ue001")


def formatting_locale() -> str:
    code = str(get_locale())
    return FORMAT_LOCALES.get(code, code)


def format_day(value: date) -> str:
    """A date in the page's language: 21.11.2026, 21 Nov 2026, 21 ሕዳር 2026."""
    return format_date(value, DATE_FORMATS.get(str(get_locale()), "medium"), locale=formatting_locale())


def format_long_day(value: date) -> str:
    """A date written out, as documents date themselves: 2. Dezember 2026, 2 December 2026."""
    return format_date(value, LONG_DATE_FORMATS.get(str(get_locale()), "long"), locale=formatting_locale())


def format_moment(value: datetime) -> str:
    """A date with its time, in the user's time zone."""
    pattern = MOMENT_FORMATS.get(str(get_locale()), "short")
    return format_datetime(to_user_timezone(value), pattern, locale=formatting_locale())


def format_money(cents: int | None) -> str:
    """Euro cents as the reader writes an amount: 20,00 € in German, €20.00 in English."""
    return format_currency(Decimal(cents or 0) / 100, "EUR", locale=formatting_locale())


def format_number(value: float) -> str:
    """A decimal number with the language's separator: 8,6 in German, 8.6 in English."""
    return format_decimal(value, locale=formatting_locale())


def _script(character: str) -> str:
    """The script a letter belongs to (ARABIC, LATIN, …); other characters have none."""
    return unicodedata.name(character, "").split(" ", 1)[0] if character.isalpha() else ""


def _spaced(glue: str, item: str) -> str:
    """A conjunction written onto the next word gets a space before an item in another script: "و Ali", not "وAli"."""
    if glue and item and _script(glue[-1]) and _script(item[0]) and _script(glue[-1]) != _script(item[0]):
        return glue + " "
    return glue


def _list_pattern(count: int) -> str:
    """The language's pattern for a list of ``count`` items, with numbered slots."""
    locale = formatting_locale()
    patterns = {**Locale.parse(locale).list_patterns["standard"], **LIST_PATTERNS.get(locale, {})}
    slots = [f"\ue000{index}\ue001" for index in range(count)]
    if count == 1:
        return slots[0]
    if count == 2:
        return patterns["2"].format(*slots)
    text = patterns["start"].format(slots[0], slots[1])
    for slot in slots[2:-1]:
        text = patterns["middle"].format(text, slot)
    return patterns["end"].format(text, slots[-1])


def format_items(items: Iterable[str], isolate=lambda item: item) -> str:
    """Items joined as the page's language lists them ("A, B und C", "A، B و C"), each passed through ``isolate``."""
    items = [str(item) for item in items]
    if not items:
        return ""
    pieces = _SLOT.split(_list_pattern(len(items)))  # glue, index, glue, index, …, glue
    text = pieces[0]
    for position in range(1, len(pieces), 2):
        item = items[int(pieces[position])]
        text = _spaced(text, item) + isolate(item) + pieces[position + 1]
    return text


def _isolator(eval_context):
    """How a template isolates one piece of text: ``<bdi>`` in pages, Unicode isolates in right-to-left plain text.

    Bidirectional controls a stored text may hold (U+202E and its kin) are removed first: they would let a
    name show as something else, or reach out of its isolation."""
    if eval_context.autoescape:
        return lambda item: Markup("<bdi>%s</bdi>") % strip_bidi_controls(str(item))
    if text_direction(str(get_locale())) == "rtl":
        return lambda item: f"{FIRST_STRONG_ISOLATE}{strip_bidi_controls(str(item))}{POP_DIRECTIONAL_ISOLATE}"
    return lambda item: strip_bidi_controls(str(item))


@pass_eval_context
def isolate(eval_context, value) -> str:
    """``name | isolate``: a name or other text of the user's, isolated from the direction of the sentence around it."""
    return _isolator(eval_context)(value)


@pass_eval_context
def list_filter(eval_context, items: Iterable) -> str:
    """``names | as_list``: the items in the page language's list, each isolated like ``isolate``."""
    isolate = _isolator(eval_context)
    text = format_items(items, isolate=isolate)
    return Markup(text) if eval_context.autoescape else text


def phone_markup(e164: str) -> Markup:
    """A stored number as people read it, kept left to right (and aligned with the text) on any page."""
    return Markup('<bdi dir="ltr" class="phone">%s</bdi>') % display_phone(e164)


def ltr_isolated(text: str) -> str:
    """Text that must read left to right (a phone number in a sentence), in any direction of the page."""
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
