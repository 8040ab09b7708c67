"""Locale selection, text direction, and language names in the interface language.

The locale is, in this order: the signed-in user's preference, a choice made
with ``?lang=`` or the language switcher (kept in the session), the browser's
Accept-Language, and finally German.
"""

from babel import Locale
from flask import Flask, current_app, request, session
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept

from app.languages import language_names
from app.languages import native_name as cldr_native_name

# How speakers look for their language: Afghans read "Dari" (دری) where CLDR says Persian of
# Afghanistan, Iranians "Farsi" (فارسی), and the Kurds in Germany mostly speak Kurmanji,
# which CLDR calls "kurdî (kurmancî)".
NATIVE_NAME_OVERRIDES = {"fa_AF": "دری", "fa": "فارسی", "ku": "Kurmancî"}
# Browsers that name a language by its ISO 639-3 code: Dari (prs) and Kurmanji (kmr).
BROWSER_LANGUAGE_ALIASES = {"prs": "fa_AF", "kmr": "ku"}


def offered_languages() -> list[str]:
    return current_app.config["LANGUAGES"]


def in_every_language(message) -> list[tuple[str, str]]:
    """(language, text) of a lazy ``message`` in every offered language, each from its catalogue: for a way in
    that people must recognise before they have chosen a language."""
    texts = []
    for code in offered_languages():
        with force_locale(code):
            texts.append((code, str(message)))
    return texts


def browser_languages() -> LanguageAccept:
    """The browser's Accept-Language, with the ISO 639-3 codes of offered languages replaced by ours."""
    return LanguageAccept(
        [
            (BROWSER_LANGUAGE_ALIASES.get(tag.replace("_", "-").split("-", 1)[0].lower(), tag), quality)
            for tag, quality in request.accept_languages
        ]
    )


def select_locale() -> str:
    offered = offered_languages()
    if current_user.is_authenticated and current_user.preferred_language in offered:
        return current_user.preferred_language
    if session.get("lang") in offered:
        return session["lang"]
    return browser_languages().best_match(offered) or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language_from_query() -> None:
    """``?lang=xx`` on any page (e.g. a link on a printed slip) switches the language."""
    lang = request.args.get("lang")
    if lang in offered_languages():
        session["lang"] = lang


def native_name(code: str) -> str:
    """An interface language's name as its speakers recognise it."""
    return NATIVE_NAME_OVERRIDES.get(code) or cldr_native_name(code)


def text_direction(locale_code: str) -> str:
    return "rtl" if Locale.parse(locale_code).character_order == "right-to-left" else "ltr"


def html_lang(locale_code: str) -> str:
    """A locale as HTML's lang attribute writes it (BCP 47): fa_AF → fa-AF."""
    return locale_code.replace("_", "-")


def language_name(code: str) -> str:
    """Any language's name in the interface language (Dari for fa_AF); a code CLDR does not know stays as it is."""
    locale = str(get_locale())
    return language_names(locale).get(code) or Locale.parse(locale).languages.get(code, code)


def language_context() -> dict:
    """The interface language of this request, its direction and the switcher's choices."""
    code = str(get_locale())
    return {
        "current_language": code,
        "current_html_lang": html_lang(code),
        "text_direction": text_direction(code),
        "language_choices": [(lang, native_name(lang)) for lang in offered_languages()],
    }


LOGIN_MESSAGE = _l("Please log in to see this page.")


def init_i18n(app: Flask) -> None:
    app.before_request(remember_language_from_query)
