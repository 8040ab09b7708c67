"""Dates, numbers, lists and mixed-direction text in the reader's language."""

from datetime import date, datetime, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.email import queue_email
from app.formatting import (
    FIRST_STRONG_ISOLATE,
    POP_DIRECTIONAL_ISOLATE,
    format_day,
    format_items,
    format_moment,
    format_number,
)
from app.matches.explain import reason_text
from app.models import Agreement
from config import Config

DAY = date(2026, 11, 21)


@pytest.fixture
def page(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "21.11.2026"),
        ("en", "21 Nov 2026"),  # British order, not Nov 21, 2026
        ("ti", "21 ሕዳር 2026"),  # day first, not ሕዳ 21, 2026
        ("ku", "21ê mijdara 2026an"),  # the month in full, not "mjda"
        ("uk", "21 листопада 2026"),  # no "р." that ends a sentence in two full stops
        ("ru", "21 ноября 2026"),
        ("fa_AF", "21 نومبر 2026"),  # the month as Afghans name it
        ("fa", "21 نوامبر 2026"),
    ],
)
def test_dates_are_written_as_readers_of_the_language_write_them(page, locale, expected):
    with force_locale(locale):
        assert format_day(DAY) == expected


@pytest.mark.parametrize(("locale", "expected"), [("en", "21/11/2026, 14:05"), ("de", "21.11.26, 14:05")])
def test_times_are_shown_in_german_time(page, locale, expected):
    with force_locale(locale):
        assert format_moment(datetime(2026, 11, 21, 13, 5)) == expected


@pytest.mark.parametrize("locale", Config.LANGUAGES)
def test_no_date_ends_a_sentence_with_a_second_full_stop(page, locale):
    with force_locale(locale):
        assert not format_day(DAY).endswith(".") or locale == "de"


@pytest.mark.parametrize(("locale", "expected"), [("de", "8,6"), ("en", "8.6"), ("uk", "8,6"), ("ar", "8.6")])
def test_decimal_numbers_use_the_languages_separator(page, locale, expected):
    with force_locale(locale):
        assert format_number(8.6) == expected


def test_distances_in_explanations_are_written_in_the_readers_numbers(page):
    with force_locale("de"):
        assert reason_text({"code": "nearby", "detail": "8.6"}) == "8,6 km voneinander entfernt"


@pytest.mark.parametrize(
    ("locale", "names", "expected"),
    [
        ("de", ["Petra Hoffmann", "Ali Mansour"], "Petra Hoffmann und Ali Mansour"),
        ("en", ["A", "B", "C"], "A, B and C"),
        # "و" is written onto the next word, but not onto a name in Latin letters
        ("ar", ["Petra Hoffmann", "Ali Mansour"], "Petra Hoffmann و Ali Mansour"),
        ("ar", ["سارة", "Petra Hoffmann", "علي"], "سارة، Petra Hoffmann وعلي"),
        ("fa_AF", ["Petra", "Ali"], "Petra و Ali"),
        ("ru", ["Petra"], "Petra"),
        ("uk", [], ""),
    ],
)
def test_lists_are_joined_as_the_language_joins_them(page, locale, names, expected):
    with force_locale(locale):
        assert format_items(names) == expected


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the app is made once per run
@given(st.lists(st.text(alphabet="abcوسی ", min_size=1, max_size=6), max_size=5), st.sampled_from(Config.LANGUAGES))
def test_a_list_keeps_every_item_in_order(app, items, locale):
    with app.test_request_context(), force_locale(locale):
        text = format_items(items, isolate=lambda item: f"[{item}]")
    position = 0
    for item in items:
        position = text.index(f"[{item}]", position) + len(item) + 2
    assert text.count("[") == len(items)


def test_names_in_pages_are_isolated_and_escaped(page):
    with force_locale("ar"):
        html = render_template_string(
            "{{ names | as_list }} · {{ name | isolate }}", names=["Petra", "Ali <b>"], name="Jo"
        )
    assert html == "<bdi>Petra</bdi> و <bdi>Ali &lt;b&gt;</bdi> · <bdi>Jo</bdi>"


@pytest.mark.parametrize(("locale", "isolated"), [("ar", True), ("fa_AF", True), ("de", False)])
def test_names_in_plain_text_are_isolated_on_right_to_left_languages(app, locale, isolated):
    template = app.jinja_env.overlay(autoescape=False).from_string("{{ name | isolate }}")  # as mails are rendered
    with app.test_request_context(), force_locale(locale):
        text = template.render(name="Petra Hoffmann")
    assert (text == f"{FIRST_STRONG_ISOLATE}Petra Hoffmann{POP_DIRECTIONAL_ISOLATE}") is isolated


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("locale", ["ar", "de"])
def test_stored_bidirectional_controls_cannot_reach_out_of_the_isolation(app, autoescape, locale):
    template = app.jinja_env.overlay(autoescape=autoescape).from_string("{{ names | as_list }} {{ name | isolate }}")
    with app.test_request_context(), force_locale(locale):
        text = template.render(names=["Ali\u202e", "Jo\u2069"], name="\u2066Petra\u202c")
    assert "\u202e" not in text and "\u202c" not in text and "\u2066" not in text
    assert text.count(POP_DIRECTIONAL_ISOLATE) == text.count(FIRST_STRONG_ISOLATE)  # only the isolates we add


@pytest.mark.parametrize("locale", ["ru", "uk"])
def test_mails_end_their_sentences_with_one_full_stop(app, pair, db, locale):
    volunteer, refugee = pair
    volunteer.preferred_language = locale
    agreement = Agreement(
        refugee=refugee.refugee_profile,
        volunteer=volunteer.volunteer_profile,
        starts_on=DAY,
        ends_on=DAY + timedelta(days=180),
    )
    db.session.add(agreement)
    db.session.commit()

    mail = queue_email(volunteer, "subject", "email/agreement_confirmed.txt", agreement=agreement)
    assert ".." not in mail.body and "2027" in mail.body


def test_mails_in_arabic_keep_latin_names_apart(app, pair, db):
    volunteer, refugee = pair
    refugee.full_name = "Ali Mansour"
    volunteer.preferred_language = "ar"
    agreement = Agreement(
        refugee=refugee.refugee_profile, volunteer=volunteer.volunteer_profile, starts_on=DAY, ends_on=DAY
    )
    db.session.add(agreement)
    db.session.commit()

    mail = queue_email(volunteer, "subject", "email/agreement_proposed.txt", agreement=agreement)
    isolated = f"{FIRST_STRONG_ISOLATE}Ali Mansour{POP_DIRECTIONAL_ISOLATE}"
    assert isolated in mail.body and f"و{FIRST_STRONG_ISOLATE}" not in mail.body
