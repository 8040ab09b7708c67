"""The world's languages (ISO 639-1), named in the reader's language.

Names come from the Unicode CLDR data that Babel ships, so that a German
coordinator sees "Tigrinya", an English one "Tigrinya" and the list is the
same everywhere without a hand-kept table.
"""

from functools import lru_cache

from babel import Locale, UnknownLocaleError

# Where a locale's readers name a language otherwise than CLDR: Afghans call their Persian Dari.
LOCAL_NAMES = {"fa_AF": {"fa": "دری"}}
# Names people type for a language that CLDR does not give in any of the languages searched:
# other spellings, the names its speakers use, and the names of its varieties.
COLLOQUIAL_NAMES = {
    "fa": ("dari", "دری", "farsi", "فارسی", "parsi", "dari persian", "persian (dari)"),
    "ps": ("pashtu", "pushto", "pakhto", "paschtu", "پشتو"),
    "ku": ("kurmancî", "kurmanci", "kurmanji", "kurmandschi", "kurdî", "kurdi", "sorani", "soranî", "کوردی"),
    "ar": ("arabi", "عربي", "عربى"),
    "ti": ("tigrigna", "tigrinja", "tigrinia", "ትግሪኛ"),
    "uk": ("українська мова",),
    "ru": ("русский язык",),
}
_COLLOQUIAL = {name.casefold(): code for code, names in COLLOQUIAL_NAMES.items() for name in names}


@lru_cache(maxsize=32)
def language_names(locale: str) -> dict[str, str]:
    """ISO 639-1 code → name in ``locale``, ordered by name."""
    names = {**Locale.parse(locale).languages, **LOCAL_NAMES.get(locale, {})}
    codes = (code for code in names if len(code) == 2 and code.isalpha())
    return dict(sorted(((code, names[code]) for code in codes), key=lambda item: item[1].casefold()))


def language_label(code: str, locale: str) -> str:
    """How a language is shown in a text field: ``Arabisch (ar)``."""
    return f"{language_names(locale).get(code, code)} ({code})"


def resolve_language(text: str, locale: str) -> str | None:
    """The ISO 639-1 code meant by ``text``, or None.

    Accepts a code (``ar``), a label as offered (``Arabisch (ar)``), a name in the user's
    language, in English or in the language itself, and the names people commonly use
    (``Dari``, ``Kurmancî``).
    """
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    known = language_names(locale)
    if wanted.endswith(")") and "(" in wanted:
        inside = wanted.rsplit("(", 1)[1].rstrip(")").strip()
        if inside in known:
            return inside
    if wanted in known:
        return wanted
    for names in (known, language_names("en")):
        for code, name in names.items():
            if name.casefold() == wanted:
                return code
    if wanted in _COLLOQUIAL:
        return _COLLOQUIAL[wanted]
    return next((code for code in known if native_name(code).casefold() == wanted), None)


@lru_cache(maxsize=256)
def native_name(code: str) -> str:
    """A language's name in that language (``العربية``), capitalised; the code if CLDR has none."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]
