"""Security headers on every response; cookies Secure over HTTPS behind a trusted number of proxies."""
from __future__ import annotations

import re

import pytest

from tests.conftest import make_app


@pytest.mark.parametrize("path", ["/", "/chapters/customer-lifecycle", "/nope", "/static/css/site.css",
                                  "/simulations/clv/data.json", "/me/export.json"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def _set_cookies(client, base_url: str = "http://localhost", **headers) -> list[str]:
    """The CSRF session cookie (form page), then the learner cookie (starting a practice set)."""
    page = client.get("/practice", headers=headers, base_url=base_url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    # Over HTTPS Flask-WTF also wants a same-origin Referer, which Referrer-Policy: same-origin lets browsers send.
    started = client.post("/practice", data={"csrf_token": token, "size": "5", "type": "single"},
                          headers={**headers, "Referer": "https://localhost/practice"}, base_url=base_url)
    assert started.status_code == 302
    return page.headers.getlist("Set-Cookie") + started.headers.getlist("Set-Cookie")


def test_cookies_are_secure_over_https_behind_the_configured_proxy(tmp_path):
    client = make_app(tmp_path, PROXY_COUNT=1).test_client()
    cookies = _set_cookies(client, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert len(cookies) == 2 and all("; Secure" in c for c in cookies)


def test_forwarded_headers_are_ignored_without_a_configured_proxy(tmp_path):
    client = make_app(tmp_path).test_client()
    cookies = _set_cookies(client, **{"X-Forwarded-Proto": "https"})
    assert len(cookies) == 2 and not any("Secure" in c for c in cookies)


def test_direct_https_gives_secure_cookies(tmp_path):
    client = make_app(tmp_path).test_client()
    cookies = _set_cookies(client, base_url="https://localhost")
    assert len(cookies) == 2 and all("; Secure" in c for c in cookies)


INLINE = re.compile(r"""<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:""", re.I)


def test_templates_have_no_inline_script_handler_or_style_that_the_csp_would_block():
    from app import ROOT
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}" for path in sorted((ROOT / "templates").rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if INLINE.search(line)]
    assert found == []
