"""A teacher imports a Word paper in the browser and reads the report of what could not be read."""
import shutil
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import FIXTURES, make_app
from tests.e2e.conftest import screenshot
from tests.teacher.conftest import PASSWORD, make_teacher

pytestmark = pytest.mark.e2e


@pytest.fixture
def teacher_server(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    app = make_app(tmp_path, CONTENT_DIR=str(content))
    make_teacher(app, "alice")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", content
    server.shutdown()


def log_in(page, base):
    page.goto(base + "/teacher/import")
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/teacher/import")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_teacher_imports_a_word_paper(browser, teacher_server, size):
    base, content = teacher_server
    viewport = {"width": 1280, "height": 800} if size == "desktop" else {"width": 390, "height": 844}
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30000)
    log_in(page, base)
    page.get_by_label("文件").set_input_files(str(FIXTURES / "interop" / "paper.docx"))
    page.get_by_label("所属章节").select_option("alpha")
    page.get_by_label("题库名").fill("alpha-midterm")
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status")).to_contain_text("已导入 10 道题")
    expect(page.locator(".import-notes").first).to_contain_text("七、计算题 第 1 题：不支持的题型：计算题（请手工录入）")
    screenshot(page, f"teacher-import-{size}")
    assert (content / "questions" / "alpha-midterm.yaml").is_file()
    context.close()
