"""Admin pages for localities and help categories."""

import pytest
from sqlalchemy import select

from app.models import AuditEvent, CategoryKind, HelpCategory, Locality
from config import Config

PLACE_NAMES = {
    "en": "Bad Waldliesborn",
    "ar": "باد فالدليسبورن",
    "fa_AF": "باد والدلیسبورن",
    "fa": "باد والدلیسبورن",
    "ps": "باد والډلیسبورن",
    "ti": "ባድ ቫልድሊስቦርን",
    "ku": "Bad Waldliesborn",
    "uk": "Бад-Вальдлісборн",
    "ru": "Бад-Вальдлисборн",
    "tr": "Bad Waldliesborn",
}
NEW_PLACE = {
    "id": "bad-waldliesborn",
    "name": "Bad Waldliesborn",
    "lat": "51.7",
    "lon": "8.32",
    **{f"labels-{code}": name for code, name in PLACE_NAMES.items()},
}
CATEGORY_LABELS = {
    "de": "Nähcafé",
    "en": "Sewing café",
    "ar": "مقهى الخياطة",
    "fa_AF": "کافهٔ خیاطی",
    "fa": "کافهٔ خیاطی",
    "ps": "د خیاطۍ کافه",
    "ti": "ካፈ ስፌት",
    "ku": "Kafeya dirûtinê",
    "uk": "Кафе шиття",
    "ru": "Швейное кафе",
    "tr": "Dikiş kafesi",
}
NEW_CATEGORY = {
    "key": "sewing",
    "kind": "group",
    **{f"labels-{code}": label for code, label in CATEGORY_LABELS.items()},
    "notes": "",
    "position": "30",
    "active": "y",
}


def test_reference_data_is_listed(admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Möhnesee" in page and "Fahrdienst / Mitfahrgelegenheit" in page


def test_add_a_place(admin_client, db):
    response = admin_client.post("/admin/localities/new", data=NEW_PLACE)
    assert response.status_code == 302
    place = db.session.get(Locality, "bad-waldliesborn")
    assert (place.name, place.lat, place.lon) == ("Bad Waldliesborn", 51.7, 8.32)
    assert place.labels == PLACE_NAMES and place.label("ar") == "باد فالدليسبورن" and place.label("de") == place.name
    assert db.session.scalar(select(AuditEvent.action)) == "locality.saved"


@pytest.mark.parametrize(
    ("change", "error_field"),
    [
        ({"id": "soest"}, "id"),
        ({"id": "Bad Wald"}, "id"),
        ({"lat": "91"}, "lat"),
        ({"lon": "east"}, "lon"),
        ({"name": ""}, "name"),
        ({"labels-ar": ""}, "labels-ar"),
        ({"labels-fa_AF": "   "}, "labels-fa_AF"),
    ],
)
def test_bad_places_are_refused(admin_client, db, change, error_field):
    response = admin_client.post("/admin/localities/new", data={**NEW_PLACE, **change})
    assert response.status_code == 200
    assert f'id="{error_field}-error"' in response.get_data(as_text=True)
    assert db.session.get(Locality, "bad-waldliesborn") is None
    assert db.session.get(Locality, "soest").name == "Soest"


def test_editing_a_place_keeps_its_identifier(admin_client, db):
    admin_client.post("/admin/localities/soest", data={**NEW_PLACE, "id": "hijacked", "name": "Soest (Stadt)"})
    db.session.expire_all()
    assert db.session.get(Locality, "soest").name == "Soest (Stadt)"
    assert db.session.get(Locality, "hijacked") is None


def test_add_and_edit_a_category(admin_client, db):
    admin_client.post("/admin/categories/new", data=NEW_CATEGORY)
    admin_client.post(
        "/admin/categories/sewing", data={**NEW_CATEGORY, "key": "other", "labels-de": "Nähstube", "active": ""}
    )
    db.session.expire_all()
    category = db.session.get(HelpCategory, "sewing")
    assert (category.kind, category.labels["de"], category.active) == (CategoryKind.GROUP, "Nähstube", False)
    assert category.label("ti") == "ካፈ ስፌት" and category.missing_labels(Config.LANGUAGES) == []
    assert db.session.get(HelpCategory, "other") is None


def test_inactive_categories_are_not_offered_in_the_questionnaire(admin_client, volunteer, login, client, db):
    admin_client.post(
        "/admin/categories/clothing_store",
        data={**NEW_CATEGORY, "key": "clothing_store", "labels-de": "Kleiderkammer", "active": ""},
    )
    login(client, volunteer)
    page = client.get("/volunteers/questionnaire/3").get_data(as_text=True)
    assert "Kleiderkammer" not in page and "Hausaufgabenhilfe" in page


def test_duplicate_category_key_is_refused(admin_client, db):
    response = admin_client.post("/admin/categories/new", data={**NEW_CATEGORY, "key": "mentoring"})
    assert response.status_code == 200
    assert db.session.get(HelpCategory, "mentoring").labels["de"] == "Patenschaft / Mentoring"


def test_unknown_place_is_not_found(admin_client):
    assert admin_client.get("/admin/localities/atlantis").status_code == 404


@pytest.mark.parametrize("language", [code for code in Config.LANGUAGES])
def test_an_activity_must_be_named_in_every_language(admin_client, db, language):
    response = admin_client.post("/admin/categories/new", data={**NEW_CATEGORY, f"labels-{language}": ""})
    assert response.status_code == 200 and f'id="labels-{language}-error"' in response.get_data(as_text=True)
    assert db.session.get(HelpCategory, "sewing") is None


def test_a_new_activity_reaches_refugees_in_their_language(admin_client, db, client, make_refugee, login):
    admin_client.post("/admin/categories/new", data=NEW_CATEGORY)
    login(client, make_refugee(language="ar"))
    assert "مقهى الخياطة" in client.get("/welcome/step/3").get_data(as_text=True)


def test_the_form_shows_a_shipped_activity_in_every_language(admin_client):
    page = admin_client.get("/admin/categories/driving").get_data(as_text=True)
    assert 'value="Fahrdienst / Mitfahrgelegenheit"' in page and 'value="Driving / ride sharing"' in page
    assert 'lang="ar" dir="rtl"' in page and 'name="labels-ar"' in page and 'value=""' not in page
    assert 'name="labels-fa_AF"' in page and 'lang="fa-AF" dir="rtl"' in page


def test_the_overview_lists_what_is_missing_in_which_language(admin_client, db):
    db.session.add(HelpCategory(key="sewing", kind=CategoryKind.GROUP, labels={"de": "Nähcafé", "en": "Sewing café"}))
    db.session.add(Locality(id="neu", name="Neudorf", labels={"en": "Neudorf"}, lat=51.5, lon=8.0))
    db.session.commit()
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "2 Orte und Aktivitäten sind noch nicht in jeder Sprache benannt" in page
    row = page.split("Nähcafé", 1)[1].split("</tr>", 1)[0]
    assert "Arabisch" in row and "Dari" in row and "Tigrinya" in row and "Deutsch" not in row
    row = page.split("Neudorf", 1)[1].split("</tr>", 1)[0]
    assert "Arabisch" in row and "Englisch" not in row and "Deutsch" not in row
    shipped = page.split("Fahrdienst / Mitfahrgelegenheit", 1)[1].split("</tr>", 1)[0]
    assert "Arabisch" not in shipped


def test_a_reworded_shipped_activity_keeps_its_labels_in_every_language(admin_client, db):
    page = admin_client.get("/admin/categories/driving").get_data(as_text=True)
    arabic = page.split('name="labels-ar"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    data = {
        "key": "driving",
        "kind": "group",
        "notes": "",
        "position": "10",
        "active": "y",
        **{f"labels-{code}": label for code, label in CATEGORY_LABELS.items()},
        "labels-en": "Driving service",
        "labels-ar": arabic,
    }
    admin_client.post("/admin/categories/driving", data=data)
    db.session.expire_all()
    category = db.session.get(HelpCategory, "driving")
    assert category.label("en") == "Driving service" and category.label("ar") == arabic
    assert category.missing_labels(Config.LANGUAGES) == []
