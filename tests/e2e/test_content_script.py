"""A chapter whose formulas carry script and javascript: links runs nothing in Chromium."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app
from tests.hostile_content import hostile_course

pytestmark = pytest.mark.e2e


@pytest.fixture
def hostile_server(tmp_path):
    app = make_app(tmp_path, CONTENT_DIR=str(hostile_course(tmp_path)[0]))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_script_in_a_formula_does_not_run_and_no_javascript_link_is_left(page, hostile_server):
    page.goto(f"{hostile_server}/chapters/beta")
    page.wait_for_load_state("load")
    assert page.evaluate("window.pwned") is None
    assert page.title() != "pwned"
    assert page.locator("main").inner_text().count("毛利率") == 1
    assert page.evaluate("[...document.querySelectorAll('[href],[src]')].filter(e => "
                         "/^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length") == 0
    assert page.locator("main script, main img").count() == 0
    assert page.locator("main math").count() >= 2
