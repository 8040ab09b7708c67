"""Language choice, text direction and the completeness of the catalogues."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n import text_direction
from app.languages import language_names, native_name, resolve_language
from app.models import Role

CATALOGUES = sorted(Path(__file__).resolve().parent.parent.glob("translations/*/LC_MESSAGES/messages.po"))


def html_lang(response) -> str:
    return response.get_data(as_text=True).split('<html lang="', 1)[1].split('"', 1)[0]


def test_german_is_the_default(client):
    assert html_lang(client.get("/")) == "de"


def test_accept_language_is_followed(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "en-US,en;q=0.8"})) == "en"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("fa-AF,fa;q=0.8", "fa-AF"),
        ("prs", "fa-AF"),  # Dari by its ISO 639-3 code
        ("prs-AF,en;q=0.5", "fa-AF"),
        ("fa-IR", "fa"),
        ("fa", "fa"),
        ("kmr", "ku"),  # Kurmanji by its ISO 639-3 code
        ("kmr-TR,de;q=0.5", "ku"),
        ("xx-YY", "de"),
    ],
)
def test_browsers_asking_for_dari_or_kurmanji_get_them(client, header, lang):
    assert html_lang(client.get("/", headers={"Accept-Language": header})) == lang


def test_dari_is_chosen_by_its_own_code_and_reads_right_to_left(client):
    page = client.get("/?lang=fa_AF").get_data(as_text=True)
    assert '<html lang="fa-AF" dir="rtl">' in page and "دری" in page


def test_query_choice_beats_the_browser_and_is_remembered(client):
    assert html_lang(client.get("/?lang=en", headers={"Accept-Language": "de"})) == "en"
    assert html_lang(client.get("/auth/login", headers={"Accept-Language": "de"})) == "en"


def test_unknown_language_is_ignored(client):
    assert html_lang(client.get("/?lang=xx")) == "de"


def test_a_users_preference_wins(client, make_user, login):
    login(client, make_user(Role.COORDINATOR, language="en"))
    assert html_lang(client.get("/?lang=de", headers={"Accept-Language": "de"})) == "en"


def test_switcher_stores_the_preference_of_a_signed_in_user(volunteer_client, volunteer):
    response = volunteer_client.post("/language", data={"language": "en", "next": "/volunteers/me"})
    assert response.location == "/volunteers/me"
    assert volunteer.preferred_language == "en"
    assert html_lang(volunteer_client.get("/volunteers/me")) == "en"


@pytest.mark.parametrize("data", [{"language": "xx"}, {}])
def test_switcher_refuses_unknown_languages(client, data):
    assert client.post("/language", data=data).status_code == 400


def test_switcher_does_not_redirect_elsewhere(client):
    response = client.post("/language", data={"language": "en", "next": "https://evil.example/"})
    assert response.location == "/"


@pytest.mark.parametrize(
    ("code", "direction"),
    [
        ("ar", "rtl"),
        ("fa", "rtl"),
        ("fa_AF", "rtl"),
        ("ps", "rtl"),
        ("de", "ltr"),
        ("ti", "ltr"),
        ("ku", "ltr"),
        ("uk", "ltr"),
    ],
)
def test_text_direction(code, direction):
    assert text_direction(code) == direction


def test_every_page_has_lang_and_dir(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in page


@pytest.mark.parametrize(
    ("text", "locale", "code"),
    [
        ("ar", "de", "ar"),
        ("Arabisch", "de", "ar"),
        ("Arabisch (ar)", "de", "ar"),
        ("arabic", "de", "ar"),
        ("العربية", "de", "ar"),
        ("Tigrinya", "en", "ti"),
        ("  Deutsch ", "en", "de"),
        ("Klingonisch", "de", None),
        ("", "de", None),
        ("(zz)", "de", None),
        # the names people use for their language
        ("Dari", "de", "fa"),
        ("دری", "fa_AF", "fa"),
        ("Farsi", "en", "fa"),
        ("Kurmancî", "ku", "ku"),
        ("Kurdî", "de", "ku"),
        ("kurdî (kurmancî)", "de", "ku"),
        ("Kurdisch (ku)", "de", "ku"),
        ("Paschtu", "de", "ps"),
        ("عربي", "ar", "ar"),
        ("Tigrigna", "ti", "ti"),
    ],
)
def test_resolve_language(text, locale, code):
    assert resolve_language(text, locale) == code


def test_language_list_covers_the_field_languages():
    names = language_names("de")
    for code in ("ar", "fa", "ps", "ti", "ku", "uk", "ru", "tr", "so", "fr", "en", "de"):
        assert code in names
    assert all(len(code) == 2 for code in names)
    assert native_name("ar") == "العربية"
    assert language_names("fa_AF")["fa"] == "دری"  # Afghans name their Persian Dari


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_catalogues_are_complete(path):
    with open(path, "rb") as file:
        catalogue = read_po(file)
    missing = [
        m.id for m in catalogue if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_de_and_en_catalogues_exist():
    assert {p.parent.parent.name for p in CATALOGUES} >= {"de", "en"}


@pytest.mark.parametrize(
    ("code", "text"),
    [("ar", "أحتاج مساعدة"), ("de", "Ich brauche Hilfe"), ("en", "I need help"), ("uk", "Мені потрібна допомога")],
)
def test_the_start_page_offers_refugees_a_way_in_in_their_own_language(client, code, text):
    """A German start page still shows every language's own button, which chooses it and opens the registration."""
    page = client.get("/").get_data(as_text=True)
    assert html_lang(client.get("/")) == "de"
    lang = code.replace("_", "-")
    direction = "rtl" if code in ("ar", "fa", "fa_AF", "ps") else "ltr"
    assert f'lang="{lang}" dir="{direction}"\n             href="/welcome/account?lang={code}">{text}</a>' in page
    response = client.get(f"/welcome/account?lang={code}")
    assert response.status_code == 200 and html_lang(response) == lang


def test_every_offered_language_has_its_own_way_in(app, client):
    page = client.get("/").get_data(as_text=True)
    ways_in = page.split('class="panel ways-in"', 1)[1].split("</section>", 1)[0]
    assert ways_in.count("<li>") == len(app.config["LANGUAGES"])
    for code in app.config["LANGUAGES"]:
        assert f"/welcome/account?lang={code}" in ways_in


def test_signed_in_people_do_not_get_the_way_in(client, login, make_volunteer):
    login(client, make_volunteer("Eva Roth"))
    assert "ways-in" not in client.get("/").get_data(as_text=True)
