"""Locale selection, text direction, and language names in the interface language.

The locale is, in this order: the signed-in user's preference, a choice made
with ``?lang=`` or the language switcher (kept in the session), the browser's
Accept-Language, and finally German.
"""

from flask import Flask, current_app, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.languages import language_names
from app.languages import native_name as cldr_native_name

RTL_LANGUAGES = frozenset({"ar", "fa", "ps"})
# How speakers look for their language: Afghans read "Dari" where CLDR says Persian,
# and the Kurds in Germany mostly speak Kurmanji, which CLDR calls "kurdî (kurmancî)".
NATIVE_NAME_OVERRIDES = {"fa": "دری/فارسی", "ku": "Kurmancî"}


def offered_languages() -> list[str]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    offered = offered_languages()
    if current_user.is_authenticated and current_user.preferred_language in offered:
        return current_user.preferred_language
    if session.get("lang") in offered:
        return session["lang"]
    return request.accept_languages.best_match(offered) or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language_from_query() -> None:
    """``?lang=xx`` on any page (e.g. a link on a printed slip) switches the language."""
    lang = request.args.get("lang")
    if lang in offered_languages():
        session["lang"] = lang


def native_name(code: str) -> str:
    """An interface language's name as its speakers recognise it."""
    return NATIVE_NAME_OVERRIDES.get(code) or cldr_native_name(code)


def text_direction(locale_code: str) -> str:
    return "rtl" if locale_code in RTL_LANGUAGES else "ltr"


def language_name(code: str) -> str:
    """Any language's name in the interface language; a code CLDR does not know stays as it is."""
    return language_names(str(get_locale())).get(code, code)


def language_context() -> dict:
    """The interface language of this request, its direction and the switcher's choices."""
    code = str(get_locale())
    return {
        "current_language": code,
        "text_direction": text_direction(code),
        "language_choices": [(lang, native_name(lang)) for lang in offered_languages()],
    }


LOGIN_MESSAGE = _l("Please log in to see this page.")


def init_i18n(app: Flask) -> None:
    app.before_request(remember_language_from_query)
