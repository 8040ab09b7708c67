"""The app's own words in a language, for tests that read pages, mails and SMS as their readers do."""

from flask_babel import force_locale, gettext


def in_language(locale: str, text: str) -> str:
    """The translation of an English msgid, from the same catalogue the app uses."""
    with force_locale(locale):
        return gettext(text)


def arabic(text: str) -> str:
    return in_language("ar", text)
