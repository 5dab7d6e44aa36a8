"""A 多选 whose boxes are all unticked again is cleared everywhere: the server's copy, the browser's own
draft and the 交卷 (an unticked checkbox sends nothing, so the last saved answer used to be graded)."""
from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import FIXTURES, make_app
from tests.e2e.conftest import DESKTOP, watch
from tests.teacher.conftest import create_assignment, create_class, login, make_teacher

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def quiz(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("untick-live"), CONTENT_DIR=str(FIXTURES / "content"))
    make_teacher(app, "alice")
    teacher = app.test_client()
    login(teacher, "alice")
    _, code = create_assignment(teacher, create_class(teacher, "c"), **{
        "rule0-count": "", "picked_ids": "fx-multiple-kano fx-tf-feeling"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", code
    server.shutdown()


def test_unticking_a_multiple_choice_clears_the_answer_after_reload_and_at_submit(browser, quiz):
    base, code = quiz
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    errors = watch(page)
    page.goto(f"{base}/join/{code}")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("学号").first.fill("2023001")
    page.get_by_role("button", name="加入", exact=True).click()
    page.get_by_role("link", name="我已记下，继续").click()
    page.get_by_role("button", name="开始作答").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")

    boxes = page.locator('input[type="checkbox"]')
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(page.locator("#save-status")).to_contain_text("已保存", timeout=10000)
    page.reload()
    expect(page.locator('input[type="checkbox"]:checked')).to_have_count(2)

    page.locator('input[type="checkbox"]').nth(0).uncheck()
    page.locator('input[type="checkbox"]').nth(1).uncheck()
    page.locator("#save-now").click()
    expect(page.locator("#save-status")).to_contain_text("已保存", timeout=10000)
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator('input[type="checkbox"]:checked')).to_have_count(0)
    expect(page.locator("#sheet-answered")).to_have_text("0")
    # The server's copy, as another tab of the same student without this browser's draft sees it:
    other = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    other.add_cookies(page.context.cookies())
    fresh = other.new_page()
    fresh.goto(page.url)
    expect(fresh.locator('input[type="checkbox"]')).to_have_count(boxes.count())
    expect(fresh.locator('input[type="checkbox"]:checked')).to_have_count(0)
    other.close()

    page.get_by_role("radio", name=re.compile("正确")).check()   # the other question is answered
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page.get_by_role("heading", name=re.compile("成绩"))).to_be_visible()
    expect(page.locator(".badge--none")).to_have_count(1)     # the 多选, graded as left blank
    expect(page.locator(".badge--none")).to_have_text("未作答")
    assert errors == []
