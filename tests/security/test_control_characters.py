"""NUL bytes and control characters are refused, bidirectional controls removed, in every free-text
field of every form any page shows, and in query arguments: at the one input layer
(``app/security/inputs.py``), with a message, and changing nothing."""

import pytest
from district import pages, snapshot, stored_strings
from forms_on_pages import forms_on
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.models import User
from app.security.inputs import BIDI_CONTROLS, ControlCharacters, cleaned

BIDI = "\u202e\u202b\u2067\u200f\u061c"


def page_forms(world):
    """(visitor, form) for every form with free text on every page each kind of visitor may open."""
    found, seen = [], set()
    for principal, url, response in pages(world):
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_on(response.get_data(as_text=True), url):
            key = (principal, form.action, tuple(sorted(form.free_text)))
            if form.free_text and key not in seen:
                seen.add(key)
                found.append((principal, form))
    return found


def test_the_district_shows_the_forms_with_free_text(world):
    actions = {form.action.split("?")[0] for _, form in page_forms(world)}
    expected = {"/auth/register", "/welcome/account", "/welcome/assisted", "/auth/login", "/auth/reset", "/groups/new"}
    assert expected <= actions
    assert len(actions) >= 15


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1f", "\x7f"])
def test_control_characters_are_refused_with_a_message_and_change_nothing(world, character):
    forms = page_forms(world)  # opening pages writes audit entries; posting must write nothing
    before, posts = snapshot(), 0
    for principal, form in forms:
        client = world.client(principal)
        for name in form.free_text:
            response = client.post(form.action, data=form.with_value(name, f"Amal{character}Haddad"))
            assert response.status_code == 400, (principal, form.action, name)
            page = response.get_data(as_text=True)
            assert "Steuerzeichen" in page or '<html lang="de"' not in page, form.action
            posts += 1
    assert snapshot() == before
    assert posts >= 30


def test_bidirectional_controls_never_reach_the_database(world):
    for principal, form in page_forms(world):
        data = dict(form.data)
        for name in form.free_text:
            value = data[name][0] or "Amal"
            data[name] = [f"{BIDI[0]}{value[:1]}{BIDI[1:]}{value[1:]}{BIDI[2]}"]
        response = world.client(principal).post(form.action, data=data)
        assert response.status_code < 500, (principal, form.action)
    assert [(table, value) for table, value in stored_strings() if BIDI_CONTROLS.search(value)] == []


def test_names_keep_their_letters_without_the_override(client, db):
    client.post(
        "/welcome/account",
        data={
            "full_name": "Amal\u202e\u2066 Haddad",
            "username": "amal",
            "password": "ein langes passwort",
            "password_confirm": "ein langes passwort",
            "consent_matching": "y",
        },
    )
    assert db.session.scalar(db.select(User.full_name)) == "Amal Haddad"


@pytest.mark.parametrize("query", ["q=a%00b", "q=%0b", "lang=de%00", "page=1%00"])
def test_control_characters_in_a_search_are_refused(coordinator_client, query):
    response = coordinator_client.get(f"/refugees/?{query}")
    assert response.status_code == 400 and "Steuerzeichen" in response.get_data(as_text=True)


def test_a_path_with_nul_is_refused(admin_client):
    assert admin_client.get("/admin/categories/a%00b").status_code == 400


@given(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=30)), max_size=6))
def test_the_layer_removes_bidi_controls_and_refuses_control_characters(pairs):
    values = MultiDict(pairs)
    has_control = any(
        character in "".join(k + v for k, v in pairs)
        for character in map(chr, [*range(9), 11, 12, *range(14, 32), 127])
    )
    if has_control:
        with pytest.raises(ControlCharacters):
            cleaned(values)
        return
    result = cleaned(values)
    assert not any(BIDI_CONTROLS.search(key + value) for key, value in result.items(multi=True))
    stripped = [(BIDI_CONTROLS.sub("", key), BIDI_CONTROLS.sub("", value)) for key, value in pairs]
    assert sorted(stripped) == sorted(result.items(multi=True))
