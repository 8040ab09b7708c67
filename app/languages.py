"""The world's languages (ISO 639-1), named in the reader's language.

Names come from the Unicode CLDR data that Babel ships, so that a German
coordinator sees "Tigrinya", an English one "Tigrinya" and the list is the
same everywhere without a hand-kept table.
"""

from functools import lru_cache

from babel import Locale, UnknownLocaleError


@lru_cache(maxsize=32)
def language_names(locale: str) -> dict[str, str]:
    """ISO 639-1 code → name in ``locale``, ordered by name."""
    names = Locale.parse(locale).languages
    codes = (code for code in names if len(code) == 2 and code.isalpha())
    return dict(sorted(((code, names[code]) for code in codes), key=lambda item: item[1].casefold()))


def language_label(code: str, locale: str) -> str:
    """How a language is shown in a text field: ``Arabisch (ar)``."""
    return f"{language_names(locale).get(code, code)} ({code})"


def resolve_language(text: str, locale: str) -> str | None:
    """The ISO 639-1 code meant by ``text``, or None.

    Accepts a code (``ar``), a label as offered (``Arabisch (ar)``) or a name
    in the user's language, in English or in the language itself.
    """
    wanted = text.strip().casefold()
    if not wanted:
        return None
    if wanted.endswith(")") and "(" in wanted:
        wanted = wanted.rsplit("(", 1)[1].rstrip(")").strip()
    known = language_names(locale)
    if wanted in known:
        return wanted
    for names in (known, language_names("en")):
        for code, name in names.items():
            if name.casefold() == wanted:
                return code
    return next((code for code in known if native_name(code).casefold() == wanted), None)


@lru_cache(maxsize=256)
def native_name(code: str) -> str:
    """A language's name in that language (``العربية``), capitalised; the code if CLDR has none."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]
