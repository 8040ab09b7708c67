"""Imprint, privacy notice and accessibility statement: for everyone, in every language, with the
installation's own details; linked from every page; shown before a registration asks for consent."""

import re

import pytest
from flask import url_for
from flask_babel import force_locale
from locales import in_language
from test_translations import untranslated

from app import create_app
from app.legal.services import RIGHTS
from app.models import ConsentPurpose, Role
from config import Config

LEGAL_PAGES = ["/imprint", "/privacy", "/accessibility"]
RIGHT_TO_LEFT = {"ar", "fa", "fa_AF", "ps"}


def text_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("locale", Config.LANGUAGES)
@pytest.mark.parametrize("path", LEGAL_PAGES)
def test_legal_pages_for_everyone_in_every_language(client, path, locale):
    page = text_of(client.get(path, query_string={"lang": locale}))
    direction = "rtl" if locale in RIGHT_TO_LEFT else "ltr"
    assert re.search(rf'<html lang="[\w-]+" dir="{direction}"', page)
    assert "%(" not in page and "%s" not in page  # every placeholder filled
    if locale != "en":
        assert untranslated(page, locale) == []


def test_the_imprint_names_the_operator_in_german(client, app):
    page = text_of(client.get("/imprint", query_string={"lang": "ar"}))
    for name in ("OPERATOR_NAME", "OPERATOR_REPRESENTATIVE", "OPERATOR_SUPERVISORY_BODY"):
        assert f'<bdi lang="de">{app.config[name]}</bdi>' in page
    for line in app.config["OPERATOR_ADDRESS"].split(" | "):
        assert f'<bdi lang="de">{line}</bdi>' in page
    assert f'href="mailto:{app.config["OPERATOR_EMAIL"]}"' in page
    assert app.config["OPERATOR_PHONE"] in page
    assert in_language("ar", "Imprint") in page


def test_an_association_has_no_supervisory_body_in_its_imprint(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "OPERATOR_SUPERVISORY_BODY", "")
    page = text_of(client.get("/imprint", query_string={"lang": "en"}))
    assert "Supervisory authority" not in page


def test_the_privacy_notice_explains_every_consent_purpose(client, app):
    page = text_of(client.get("/privacy", query_string={"lang": "uk"}))
    for purpose in ConsentPurpose:
        assert f'id="purpose-{purpose}"' in page
    for name in ("DPO_NAME", "SUPERVISORY_AUTHORITY", "HOSTING_PROVIDER"):
        assert f'<bdi lang="de">{app.config[name]}</bdi>' in page
    assert f"mailto:{app.config['DPO_EMAIL']}" in page
    with force_locale("uk"):
        assert all(str(right) in page for right in RIGHTS)


def test_retention_periods_come_from_the_settings(client, app, monkeypatch):
    page = text_of(client.get("/privacy", query_string={"lang": "de"}))
    assert "24 Monate" in page and "36 Monate" in page and "30 Tage" in page
    for name, value in {
        "RETENTION_INACTIVE_ACCOUNT_MONTHS": 18,
        "RETENTION_ENDED_SPONSORSHIP_MONTHS": 1,
        "RETENTION_WARNING_DAYS": 21,
        "RETENTION_AUDIT_MONTHS": 13,
        "ERASURE_AFTER_DAYS": 7,
        "RETENTION_UNFINISHED_REGISTRATION_DAYS": 45,
    }.items():
        monkeypatch.setitem(app.config, name, value)
    page = text_of(client.get("/privacy", query_string={"lang": "de"}))
    for period in ("18 Monate", "1 Monat<", "21 Tage", "13 Monate", "7 Tage", "45 Tage"):
        assert period in page
    assert "24 Monate" not in page and "36 Monate" not in page


@pytest.mark.parametrize(("locale", "words"), [("ru", ("24 месяца", "36 месяцев")), ("ar", ("24 شهرًا", "30 يومًا"))])
def test_periods_use_the_plural_forms_of_the_language(client, locale, words):
    page = text_of(client.get("/privacy", query_string={"lang": locale}))
    for word in words:
        assert word in page


def test_the_rights_point_to_the_persons_own_data_page(client, app):
    page = text_of(client.get("/privacy", query_string={"lang": "tr"}))
    if "privacy.my_data" in app.view_functions:  # app/privacy serves it: a link
        with app.test_request_context():
            assert f'href="{url_for("privacy.my_data")}"' in page
    else:
        assert '<bdi dir="ltr">/me/data</bdi>' in page


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("full", "This website is fully compliant with BITV 2.0."),
        ("partial", "This website is partially compliant with BITV 2.0 because of the limitations listed below."),
        ("none", "This website is not yet compliant with BITV 2.0. The limitations are listed below."),
    ],
)
def test_the_accessibility_statement_says_the_configured_status(client, app, monkeypatch, status, text):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_CONFORMANCE", status)
    monkeypatch.setitem(app.config, "ACCESSIBILITY_ADDITION", "Die Karte ist noch nicht barrierefrei.")
    page = text_of(client.get("/accessibility", query_string={"lang": "ti"}))
    assert in_language("ti", text) in page
    assert '<p lang="de" dir="ltr">Die Karte ist noch nicht barrierefrei.</p>' in page
    assert f'<bdi lang="de">{app.config["ACCESSIBILITY_ENFORCEMENT"]}</bdi>' in page
    assert f"mailto:{app.config['ACCESSIBILITY_CONTACT']}" in page


@pytest.mark.parametrize(
    ("name", "value"), [("ACCESSIBILITY_CONFORMANCE", "mostly"), ("LOGO", "https://cdn.example.org/l.png")]
)
def test_bad_settings_stop_the_start(database_url, make_config, name, value):
    with pytest.raises(RuntimeError, match=name):
        create_app(make_config(database_url, **{name: value}))


def footer_links(page: str) -> list[str]:
    footer = page[page.index('<footer class="site-footer">') :]
    return re.findall(r'<li><a href="(/[a-z]+)">([^<]+)</a></li>', footer)


def get_pages(app) -> list[str]:
    """Every page without arguments that answers GET."""
    with app.test_request_context():
        return sorted(
            url_for(rule.endpoint)
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.endpoint not in ("legal.logo", "static")
        )


@pytest.mark.parametrize("role", [None, Role.VOLUNTEER, Role.REFUGEE, Role.COORDINATOR, Role.ADMIN, Role.DPO])
def test_every_page_links_the_legal_pages_in_the_readers_language(
    app, db, client, make_user, make_volunteer, make_refugee, login, role
):
    locale = "fa_AF"
    builders = {Role.VOLUNTEER: make_volunteer, Role.REFUGEE: make_refugee}
    if role is not None:
        user = builders.get(role, lambda: make_user(role=role))()
        user.preferred_language = locale
        db.session.commit()
        login(client, user)
    expected = [
        ("/imprint", in_language(locale, "Imprint")),
        ("/privacy", in_language(locale, "Privacy notice")),
        ("/accessibility", in_language(locale, "Accessibility statement")),
    ]
    seen = 0
    for path in get_pages(app):
        response = client.get(path, query_string={"lang": locale})
        if response.status_code == 200 and response.mimetype == "text/html":
            page = response.get_data(as_text=True)
            assert footer_links(page) == expected, path
            assert f'<bdi lang="de">{app.config["INSTALLATION_NAME"]}</bdi>' in page, path
            seen += 1
    assert seen >= 3


def test_error_pages_have_the_footer_too(client):
    page = client.get("/no/such/page", query_string={"lang": "ps"}).get_data(as_text=True)
    assert [path for path, _ in footer_links(page)] == LEGAL_PAGES


def test_the_logo_comes_from_the_instance_folder(client, app, monkeypatch, tmp_path):
    assert client.get("/logo").status_code == 404
    assert 'class="logo"' not in text_of(client.get("/imprint"))
    logo = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    (tmp_path / "logo.svg").write_text(logo)
    monkeypatch.setitem(app.config, "LOGO", "logo.svg")
    page = text_of(client.get("/imprint"))
    assert f'<img class="logo" src="/logo" alt="{app.config["OPERATOR_NAME"]}"' in page
    response = client.get("/logo")
    assert response.status_code == 200 and response.get_data(as_text=True) == logo


@pytest.mark.parametrize("name", ["../config.py", "/etc/passwd", "missing.svg"])
def test_the_logo_route_serves_nothing_outside_the_instance_folder(client, app, monkeypatch, name):
    monkeypatch.setitem(app.config, "LOGO", name)
    assert client.get("/logo").status_code == 404


@pytest.mark.parametrize(
    ("path", "consent_field", "for_refugees"),
    [("/welcome/account", 'id="consent_matching"', True), ("/auth/register", 'id="consent_matching"', False)],
)
@pytest.mark.parametrize("locale", ["ar", "ti", "uk", "de"])
def test_registration_shows_the_privacy_summary_before_asking_for_consent(
    client, path, consent_field, for_refugees, locale
):
    page = text_of(client.get(path, query_string={"lang": locale}))
    summary = page.index('class="privacy-summary"')
    assert summary < page.index(consent_field)
    assert page.index('href="/privacy"', summary) < page.index(consent_field)
    assert in_language(locale, "What happens with your data") in page
    refugee_text = (
        "The coordination office stores your answers to find volunteers who can help you. "
        "Only coordinators see your residence status and your notes."
    )
    assert (in_language(locale, refugee_text) in page) == for_refugees
