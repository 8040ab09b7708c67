"""Security headers on every response.

The pages load nothing from other hosts and run no inline script or style
(print buttons and bar widths live in static files), so the Content Security
Policy allows only this site's own files and no ``'unsafe-inline'``. Pages
show personal data to people who are logged in, and a shared computer's cache
must not keep them: every response but a static file is ``no-store``.
"""

from flask import Flask, request
from flask.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Reset links carry a token; no other site learns any address of this one.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def register(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["HSTS_SECONDS"]:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains"
            )
        if request.endpoint == "static":
            # Stylesheets and icons hold no personal data; browsers may keep them but must revalidate.
            response.headers.setdefault("Cache-Control", "no-cache")
        else:
            response.headers["Cache-Control"] = "no-store"
        return response
