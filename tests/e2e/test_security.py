"""Every page type loads under the Content-Security-Policy with no violation; simulations still draw."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from simulations import SIMULATIONS
from tests.conftest import FIXTURES
from tests.e2e.test_quizzes import answer_true_false, start_practice

pytestmark = pytest.mark.e2e


@pytest.fixture
def watched(page):
    """The page, plus every CSP violation and console error it reports."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
    return page, problems


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")


def test_reading_pages_have_no_csp_violation(watched, live_server):
    page, problems = watched
    for path in ("/", "/chapters/customer-lifecycle", "/search?q=客户终身价值", "/notebook", "/progress", "/me",
                 "/simulations/"):
        visit(page, live_server + path)
    assert problems == []


def test_practice_and_exam_pages_have_no_csp_violation(watched, fixture_server):
    page, problems = watched
    visit(page, fixture_server + "/practice")
    page.get_by_label("判断", exact=True).check()
    page.get_by_role("button", name="开始练习").click()
    expect(page.locator(".quiz__progress")).to_contain_text("第 1 / ")
    page.locator('input[type="radio"]').first.check()
    page.get_by_role("button", name="提交答案").click()
    expect(page.locator(".feedback__verdict")).to_be_visible()
    visit(page, fixture_server + "/exam")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")
    expect(page.locator("#exam-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    visit(page, fixture_server + "/progress")
    expect(page.locator(".meter").first).to_be_visible()
    assert problems == []


def test_notebook_print_button_prints_without_an_inline_handler(watched, fixture_server):
    page, problems = watched
    start_practice(page, fixture_server, "判断")
    answer_true_false(page, right=False)
    expect(page.locator(".feedback__verdict")).to_have_text("✗ 回答错误")
    visit(page, fixture_server + "/notebook")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印错题本").click()
    assert page.evaluate("window.printed") is True
    assert page.locator("[onclick]").count() == 0
    assert problems == []


@pytest.mark.parametrize("name", sorted(SIMULATIONS))
def test_each_simulation_draws_under_the_csp(watched, live_server, name):
    page, problems = watched
    visit(page, f"{live_server}/simulations/{name}")
    page.wait_for_function("window.simulation && window.simulation.renders > 0")
    assert page.locator(".js-plotly-plot .main-svg").count() > 0
    assert page.evaluate("document.getElementById('plotly.js-style-global').sheet.cssRules.length") > 10
    assert problems == []


@pytest.fixture
def teacher_site(tmp_path):
    """A server over the fixture course with a teacher, a class and an open assignment."""
    import threading

    from werkzeug.serving import make_server

    from tests.conftest import make_app
    from tests.teacher.conftest import PASSWORD, create_assignment, create_class, login, make_teacher

    app = make_app(tmp_path, CONTENT_DIR=str(FIXTURES / "content"))
    make_teacher(app, "alice")
    client = app.test_client()
    login(client, "alice")
    class_id = create_class(client, "市场营销 1 班")
    assignment_id, code = create_assignment(client, class_id)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", class_id, assignment_id, code, PASSWORD
    server.shutdown()


def test_teacher_and_print_pages_have_no_csp_violation(watched, teacher_site):
    page, problems = watched
    base, class_id, assignment_id, code, password = teacher_site
    visit(page, base + "/teacher/login")
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/teacher/$"))
    assignment = f"/teacher/assignments/{assignment_id}"
    for path in (f"/teacher/classes/{class_id}", "/teacher/assignments/new", assignment, assignment + "/present",
                 assignment + "/preview", assignment + "/results", assignment + "/analysis", assignment + "/grading",
                 f"/join/{code}", "/print/chapter/alpha", "/print/exam"):
        visit(page, base + path)
    assert problems == []
