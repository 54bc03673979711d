"""Security headers on every answer, and a server that does not say which version it runs.

Every page is a same-origin document that runs only the scripts and style sheets it loads from
``/static`` (no inline ``<script>``, no ``on*=`` attribute, no ``style=``: see
docs/security.md), so the Content-Security-Policy allows nothing else: an injected script or
event handler does not run. No page may be framed (``frame-ancestors 'none'`` and, for older
browsers, ``X-Frame-Options``): a framed "submit the final review" or "approve" button is a
click-jacking target. HSTS is sent only when the public address is ``https``: the embedded
set-up is plain HTTP on loopback, where the header would be wrong.
"""

from __future__ import annotations

from flask import Flask, Response, current_app
from werkzeug.serving import WSGIRequestHandler

#: ``img-src data:``: none of our pages needs it today, so it is not allowed either.
CONTENT_SECURITY_POLICY = "; ".join(
    (
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
    )
)

#: One year: the value browsers' preload lists ask for. Without ``includeSubDomains``: other
#: hosts of the programme's domain may still serve plain HTTP.
HSTS = "max-age=31536000"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # A page opened from another site cannot reach back into ours through window.opener.
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def secure(response: Response) -> Response:
    """Add the security headers to ``response`` (a view may set a stricter one itself)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("LMS_BASE_URL", "").lower().startswith("https://"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure)


class QuietRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler (``lms run``) without ``Server: Werkzeug/x.y Python/x.y``:
    a version helps an attacker pick an exploit and nobody else. (gunicorn sends
    ``Server: gunicorn`` without its version.)"""

    def version_string(self) -> str:
        return "lms"
