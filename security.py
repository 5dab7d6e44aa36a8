"""Security headers on every response, and Secure cookies whenever the request came over HTTPS.

The Content-Security-Policy allows scripts and styles only from this site's own files: no inline
<script>, no on…= handlers, no style="" attributes (templates use data-* attributes that site.js
turns into CSSOM styles, which CSP allows). plotly.js draws under it too (tests/e2e/test_security.py).
"""
from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

EMPTY_STYLE_HASH = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="  # base64(sha256(b""))
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # plotly.js creates an EMPTY <style> and fills it through CSSOM (insertRule, which CSP allows):
    # the hash of the empty string admits exactly that element and no inline CSS text.
    f"style-src 'self' '{EMPTY_STYLE_HASH}'",
    # blob: — 保存图片 (Plotly.downloadImage) draws the chart's SVG through an object URL of the page's own making
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when this request is HTTPS (directly, or per CRM_PROXY_COUNT proxies)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
