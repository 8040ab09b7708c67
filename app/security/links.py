"""Absolute links to this site, built from ``PUBLIC_URL`` and never from the request.

A request's Host header is whatever the client sends: a password-reset link
built from it (``url_for(..., _external=True)``) would carry a valid token to
another host. Mails and printed slips use ``public_url_for`` instead; mail
templates get it as their ``url_for``.
"""

from urllib.parse import quote, urlsplit

from flask import current_app


def public_url_for(endpoint: str, _anchor: str | None = None, _external: bool = True, **values) -> str:
    """The absolute URL of ``endpoint`` at the site's public address (``_external`` is accepted and ignored)."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/", url_scheme=public.scheme)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(_anchor, safe='-')}" if _anchor else url
