"""Every interface language is complete where refugees and volunteers meet it, and plausibly right.

No machine can judge a translation's quality; these checks catch what goes
wrong most often: English left on a page, placeholders lost, a catalogue in
the wrong script, or text copied instead of translated.
"""

import re
from gettext import c2py
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask_babel import force_locale

from app.forms import WTFORMS_MESSAGES
from app.i18n import html_lang
from config import Config

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
SCRIPTS = {
    "ar": "\u0600-\u06ff",
    "fa": "\u0600-\u06ff",
    "fa_AF": "\u0600-\u06ff",
    "ps": "\u0600-\u06ff",
    "ti": "\u1200-\u137f",
    "uk": "\u0400-\u04ff",
    "ru": "\u0400-\u04ff",
    "de": "a-zäöüß",
    "ku": "a-zçêîşû",
    "tr": "a-zçğıöşü",
    "en": "a-z",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
REFUGEE_PAGES = [
    "/welcome/step/1",
    "/welcome/step/2",
    "/welcome/step/3",
    "/welcome/step/4",
    "/welcome/step/5",
    "/welcome/me",
    "/auth/consents",
    "/me/data",
]
PUBLIC_PAGES = ["/welcome/", "/welcome/account", "/welcome/code", "/auth/login"]


def catalogue(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file)


def entries(locale: str):
    """(msgid, form, msgstr, plural) of every entry: each plural form with the msgid it translates."""
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for form, string in enumerate(strings):
            yield ids[min(form, len(ids) - 1)], form, string, isinstance(message.id, tuple)


def messages(locale: str):
    """(msgid, msgstr) of every entry, plural forms included."""
    for msgid, _form, msgstr, _plural in entries(locale):
        yield msgid, msgstr


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "datalist")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "datalist")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks


def untranslated(html: str, locale: str) -> list[str]:
    """Text on the page that is an English msgid whose translation differs from it."""
    pairs = list(messages(locale))
    # German "Kind" (child) is also the English msgid "Kind": a translation is never untranslated.
    english = {msgid for msgid, msgstr in pairs if msgstr != msgid and "%(" not in msgid} - {s for _, s in pairs}
    return [chunk for chunk in visible_text(html) if chunk in english]


def test_every_offered_language_has_a_catalogue():
    assert {path.name for path in TRANSLATIONS.iterdir() if path.is_dir()} == set(Config.LANGUAGES)


@pytest.mark.parametrize("locale", [code for code in Config.LANGUAGES if code != "en"])
def test_refugee_pages_have_no_english_left(client, make_refugee, login, locale):
    for path in PUBLIC_PAGES:
        page = client.get(path, query_string={"lang": locale}).get_data(as_text=True)
        assert f'lang="{html_lang(locale)}"' in page and untranslated(page, locale) == [], path
    login(client, make_refugee(language=locale, members=(("child", 6),), residence_status="recognised"))
    for path in REFUGEE_PAGES:
        page = client.get(path).get_data(as_text=True)
        assert f'<html lang="{html_lang(locale)}"' in page and untranslated(page, locale) == [], path


@pytest.mark.parametrize("locale", [code for code in Config.LANGUAGES if code != "en"])
def test_error_messages_are_translated_too(client, locale):
    page = client.post("/welcome/account", query_string={"lang": locale}, data={"full_name": ""}).get_data(as_text=True)
    assert untranslated(page, locale) == []


def single_number_forms(locale: str) -> set[int]:
    """The plural forms a catalogue uses for one number only (Arabic: 0, 1 and 2), which may leave the number out."""
    rule = c2py(catalogue(locale).plural_expr)
    used: dict[int, set[int]] = {}
    for number in range(1000):
        used.setdefault(rule(number), set()).add(number)
    return {form for form, numbers in used.items() if len(numbers) == 1}


@pytest.mark.parametrize("locale", Config.LANGUAGES)
def test_placeholders_survive_translation(locale):
    single = single_number_forms(locale)
    lost = []
    for msgid, form, msgstr, plural in entries(locale):
        wanted, given = set(PLACEHOLDER.findall(msgid)), set(PLACEHOLDER.findall(msgstr))
        # "شخصان" (two people) says its number without the numeral
        optional = {"num"} if plural and form in single else set()
        if not (wanted - optional <= given <= wanted):
            lost.append((msgid, form, msgstr))
    assert lost == []


def test_arabic_says_one_and_two_without_a_numeral():
    people = catalogue("ar").get(("%(num)d person", "%(num)d people"))
    assert people.string[1:4] == ("شخص واحد", "شخصان", "%(num)d أشخاص")


@pytest.mark.parametrize("locale", Config.LANGUAGES)
def test_catalogue_is_written_in_its_script(locale):
    letters = re.compile(f"[{SCRIPTS[locale]}]", re.IGNORECASE)
    strings = [PLACEHOLDER.sub("", msgstr) for _, msgstr in messages(locale)]
    in_script = [s for s in strings if letters.search(s)]
    assert len(in_script) >= 0.95 * len(strings)


@pytest.mark.parametrize("locale", [code for code in Config.LANGUAGES if code != "en"])
def test_translations_are_not_copies_of_the_english(locale):
    copies = [msgid for msgid, msgstr in messages(locale) if msgstr == msgid and re.search("[a-z]{3}", msgid)]
    assert len(copies) <= 5, copies


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """A string added to the code but not to the catalogues would show in English everywhere."""
    root = TRANSLATIONS.parent
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(root / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "-o",
            str(template),
            str(root),
        ]
    )
    with open(template, "rb") as file:
        in_code = {message.id for message in read_po(file) if message.id}
    assert len(in_code) > 300
    for locale in Config.LANGUAGES:
        in_catalogue = {message.id for message in catalogue(locale) if message.id}
        assert in_code - in_catalogue == set(), locale


@pytest.mark.parametrize("locale", [code for code in Config.LANGUAGES if code != "en"])
def test_wtforms_own_messages_are_translated_in_sub_forms_too(client, make_refugee, login, locale):
    """WTForms has no catalogue for Pashto, Tigrinya, Kurmanji or Dari, and none reaches a FormField: ours do."""
    login(client, make_refugee(language=locale))
    data = {"birth_year": "1990", "members-0-relation": "cousin", "members-0-age": "six"}
    page = client.post("/welcome/step/1", data=data).get_data(as_text=True)
    assert "Not a valid" not in page
    with force_locale(locale):
        assert str(WTFORMS_MESSAGES["Not a valid choice."]) in page
        assert str(WTFORMS_MESSAGES["Not a valid integer value."]) in page
