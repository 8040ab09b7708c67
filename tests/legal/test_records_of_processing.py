"""The records of processing (Art. 30 GDPR): a page and a download for the data-protection officer."""

import pytest
from flask_babel import force_locale
from locales import in_language

from app.legal.services import TECHNICAL_MEASURES
from app.models import Role


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.DPO, 200), (Role.ADMIN, 200), (Role.COORDINATOR, 403), (Role.VOLUNTEER, 403), (Role.REFUGEE, 403)],
)
@pytest.mark.parametrize("path", ["/records-of-processing", "/records-of-processing.md"])
def test_only_the_dpo_and_admins_read_the_records(client, make_user, login, role, status, path):
    login(client, make_user(role=role))
    assert client.get(path).status_code == status


def test_visitors_are_asked_to_log_in(client):
    response = client.get("/records-of-processing")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_dpo_finds_the_records_in_the_menu(client, make_user, login):
    login(client, make_user(role=Role.DPO, language="en"))
    page = client.get("/audit/").get_data(as_text=True)
    assert 'href="/records-of-processing">Records of processing</a>' in page


@pytest.mark.parametrize("locale", ["de", "ar", "ru"])
def test_the_records_list_purposes_recipients_periods_and_measures(client, make_user, login, app, monkeypatch, locale):
    monkeypatch.setitem(app.config, "RETENTION_AUDIT_MONTHS", 13)
    login(client, make_user(role=Role.DPO, language=locale))
    page = client.get("/records-of-processing").get_data(as_text=True)
    with force_locale(locale):
        measures = [str(measure) for measure in TECHNICAL_MEASURES]
    assert all(measure in page for measure in measures)
    assert in_language(locale, "Records of processing activities") in page
    assert f'<bdi lang="de">{app.config["HOSTING_PROVIDER"]}</bdi>' in page
    assert "13" in page and app.config["DPO_EMAIL"] in page
    assert "%(" not in page


def test_the_download_is_a_markdown_file_in_the_readers_language(client, make_user, login, app):
    login(client, make_user(role=Role.DPO, language="uk"))
    response = client.get("/records-of-processing.md")
    assert response.mimetype == "text/markdown"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="records-of-processing-Br-ckenbau-Kreis-Soest--Demo-uk.md"'
    )
    text = response.get_data(as_text=True)
    assert text.startswith("# " + in_language("uk", "Records of processing activities"))
    assert app.config["OPERATOR_NAME"] in text and app.config["HOSTING_PROVIDER"] in text
    assert "<bdi" not in text and "&amp;" not in text  # plain text, no HTML
    assert in_language("uk", "Technical and organisational measures (Art. 32 GDPR)") in text
