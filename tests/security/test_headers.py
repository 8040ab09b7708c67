"""Every response carries the security headers; pages with personal data are never stored by a cache;
the Content Security Policy needs no 'unsafe-inline', because no template has inline script or style."""

import re
from pathlib import Path

import pytest
from district import pages

from app import create_app
from app.security.access import ANONYMOUS
from config import ProductionConfig

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
HEADERS = {
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Cache-Control",
}
INLINE = re.compile(r"""\son[a-z]+\s*=|\sstyle\s*=|<style[\s>]|<script(?![^>]*\ssrc=)|javascript:""", re.IGNORECASE)


def assert_secure_headers(response, personal: bool = True) -> None:
    missing = HEADERS - set(response.headers.keys())
    assert not missing, (response.request.path, missing)
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    if personal:
        assert response.headers["Cache-Control"] == "no-store", response.request.path


def test_no_template_has_inline_script_style_or_handlers():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_page_of_every_role_has_the_headers_and_no_inline_code(world):
    opened = 0
    for _, url, response in pages(world):
        assert_secure_headers(response)
        if response.mimetype == "text/html":
            assert not INLINE.search(response.get_data(as_text=True)), url
        opened += 1
    assert opened > 40


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no/such/page", 404),
        ("POST", "/", 405),
        ("GET", "/groups/9999999999999", 404),
        ("GET", "/refugees/?q=a%00b", 400),
    ],
)
def test_error_pages_have_the_headers(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert_secure_headers(response)


def test_posts_and_redirects_have_the_headers(world):
    response = world.client(ANONYMOUS).post("/auth/login", data={"identifier": "x@example.org", "password": "x"})
    assert_secure_headers(response)
    response = world.client(ANONYMOUS).get("/volunteers/me")
    assert response.status_code == 302
    assert_secure_headers(response)


def test_static_files_may_be_cached_but_revalidated(client):
    response = client.get("/static/css/app.css")
    assert_secure_headers(response, personal=False)
    assert response.headers["Cache-Control"] == "no-cache"


def test_hsts_where_configured_and_by_default_in_production(database_url, make_config):
    secure = create_app(make_config(database_url, HSTS_SECONDS=31536000)).test_client().get("/auth/login")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert ProductionConfig.HSTS_SECONDS >= 180 * 24 * 60 * 60
    # Plain http on one's own machine: a browser would refuse the site for a year after one visit.
    assert "Strict-Transport-Security" not in create_app(make_config(database_url)).test_client().get("/").headers
