"""Admin pages for localities and help categories."""

import pytest
from sqlalchemy import select

from app.models import AuditEvent, CategoryKind, HelpCategory, Locality

NEW_PLACE = {"id": "bad-waldliesborn", "name": "Bad Waldliesborn", "lat": "51.7", "lon": "8.32"}
NEW_CATEGORY = {
    "key": "sewing",
    "kind": "group",
    "label_de": "Nähcafé",
    "label_en": "Sewing café",
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
    assert db.session.scalar(select(AuditEvent.action)) == "locality.saved"


@pytest.mark.parametrize(
    ("change", "error_field"),
    [
        ({"id": "soest"}, "id"),
        ({"id": "Bad Wald"}, "id"),
        ({"lat": "91"}, "lat"),
        ({"lon": "east"}, "lon"),
        ({"name": ""}, "name"),
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
        "/admin/categories/sewing", data={**NEW_CATEGORY, "key": "other", "label_de": "Nähstube", "active": ""}
    )
    db.session.expire_all()
    category = db.session.get(HelpCategory, "sewing")
    assert (category.kind, category.label_de, category.active) == (CategoryKind.GROUP, "Nähstube", False)
    assert db.session.get(HelpCategory, "other") is None


def test_inactive_categories_are_not_offered_in_the_questionnaire(admin_client, volunteer, login, client, db):
    admin_client.post(
        "/admin/categories/clothing_store",
        data={**NEW_CATEGORY, "key": "clothing_store", "label_de": "Kleiderkammer", "active": ""},
    )
    login(client, volunteer)
    page = client.get("/volunteers/questionnaire/3").get_data(as_text=True)
    assert "Kleiderkammer" not in page and "Hausaufgabenhilfe" in page


def test_duplicate_category_key_is_refused(admin_client, db):
    response = admin_client.post("/admin/categories/new", data={**NEW_CATEGORY, "key": "mentoring"})
    assert response.status_code == 200
    assert db.session.get(HelpCategory, "mentoring").label_de == "Patenschaft / Mentoring"


def test_unknown_place_is_not_found(admin_client):
    assert admin_client.get("/admin/localities/atlantis").status_code == 404
