"""The teacher's day in Chromium: create an assignment, show the QR code, two students (one on a phone)
join and submit, the teacher grades a short answer and releases results, both students see them.
Screenshots of every teacher page at desktop and phone size go to test-artifacts/."""
from __future__ import annotations

import json
import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import FIXTURES, make_app
from tests.e2e.conftest import DESKTOP, PHONE, screenshot
from tests.teacher.conftest import PASSWORD, make_teacher

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def teacher_server(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("teacher-live"), CONTENT_DIR=str(FIXTURES / "content"))
    make_teacher(app, "alice")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def log_in(page, base: str) -> None:
    page.goto(base + "/teacher/")
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的班级与作业")).to_be_visible()


def create_assignment(page, base: str) -> str:
    page.get_by_label("新班级名称").fill("市场营销2301")
    page.get_by_role("button", name="新建班级").click()
    expect(page.get_by_role("heading", name="市场营销2301")).to_be_visible()
    page.get_by_role("link", name="给本班布置作业").click()
    page.get_by_label("标题").fill("第一章 随堂测验")
    page.get_by_label("题数").first.fill("")
    page.get_by_label("题目 id（空格或逗号分隔）").fill("fx-secret-single fx-tf-feeling")
    page.locator("details.picker summary").first.click()
    page.get_by_label(re.compile("随堂测验专用：简述提高客户满意度")).check()
    page.get_by_label("教师手动发布").check()
    page.get_by_role("button", name="创建作业").click()
    expect(page.locator("#join-code")).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    return page.locator("#join-code").inner_text()


def join_and_submit(page, base: str, code: str, name: str, number: str, answer: str) -> str:
    page.goto(f"{base}/join/{code}")
    page.get_by_label("姓名").fill(name)
    page.get_by_label("学号").first.fill(number)
    page.get_by_role("button", name="加入", exact=True).click()
    expect(page.locator("#personal-code")).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    page.get_by_role("link", name="我已记下，继续").click()
    page.get_by_role("button", name="开始作答").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="第一章 随堂测验")).to_be_visible()
    page.get_by_label("你的作答").fill(answer)
    expect(page.locator("#save-status")).to_contain_text("已保存", timeout=10000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page.get_by_role("heading", name="第一章 随堂测验：已交卷")).to_be_visible()
    return page.url


def test_a_class_takes_a_quiz_from_qr_code_to_released_results(browser, teacher_server):
    base = teacher_server
    teacher = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    log_in(teacher, base)
    code = create_assignment(teacher, base)
    qr = teacher.locator("img.handout__qr")
    expect(qr).to_be_visible()
    # visible is not loaded: on a busy machine the QR image (drawn by the server) arrives a moment later
    teacher.wait_for_function("(img => img.complete && img.naturalWidth > 0)(document.querySelector('img.handout__qr'))")
    screenshot(teacher, "teacher-assignment-desktop")
    teacher.get_by_role("link", name="全屏展示二维码").click()
    expect(teacher.locator(".present__code")).to_have_text(code)
    # one projector screen: the QR, the code and the link all in view, nothing of the site around them
    expect(teacher.locator(".site-header")).to_be_hidden()
    for part in (".present__qr", ".present__code", ".present__url"):
        expect(teacher.locator(part)).to_be_in_viewport(ratio=1)
    screenshot(teacher, "teacher-present-desktop")

    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                locale="zh-CN").new_page()
    result_a = join_and_submit(desk, base, code, "张三", "2023001", "要提升实际体验，也要管理客户期望。")
    result_b = join_and_submit(phone, base, code, "李四", "2023002", "主要靠提高服务质量。")
    screenshot(phone, "teacher-student-submitted-phone")

    teacher.goto(base + "/teacher/")
    teacher.get_by_role("link", name="第一章 随堂测验").click()
    teacher.get_by_role("link", name="结果").click()
    expect(teacher.locator('[data-count="submitted"]')).to_have_text("2")
    screenshot(teacher, "teacher-results-desktop")
    teacher.get_by_role("link", name="主观题评分").click()
    teacher.get_by_role("link", name="开始评分").click()
    expect(teacher.locator("#student-answer")).to_have_text(re.compile("提升实际体验|提高服务质量"))
    screenshot(teacher, "teacher-grade-desktop")
    grading_b = "提高服务质量" in teacher.locator("#student-answer").inner_text()
    if not grading_b:          # grade 张三 as suggested, then 李四
        teacher.get_by_role("button", name="保存并评下一份").click()
    expect(teacher.locator("#student-answer")).to_contain_text("提高服务质量")
    teacher.get_by_label("得分（0–6）").fill("2")
    teacher.get_by_label("评语（可选，学生在成绩发布后看到）").fill("只答了一个方面，还要管理期望。")
    teacher.get_by_role("button", name="保存并评下一份").click()
    teacher.get_by_role("link", name="结果").click()
    teacher.get_by_role("button", name="发布成绩").click()
    expect(teacher.locator(".flash")).to_contain_text("成绩已发布")

    desk.goto(result_a)
    expect(desk.get_by_role("heading", name="第一章 随堂测验成绩")).to_be_visible()
    expect(desk.locator(".review__explanation").first).to_be_visible()
    phone.goto(result_b)
    expect(phone.locator(".score-total")).to_contain_text("总分 2 / 9")
    expect(phone.locator(".teacher-comment")).to_contain_text("只答了一个方面，还要管理期望。")
    screenshot(phone, "teacher-student-result-phone")


TEACHER_PAGES = ("/teacher/", "/teacher/classes/1", "/teacher/assignments/new", "/teacher/assignments/1",
                 "/teacher/assignments/1/present", "/teacher/assignments/1/preview", "/teacher/assignments/1/results",
                 "/teacher/attempts/1", "/teacher/assignments/1/grading", "/teacher/assignments/1/grading/1/2",
                 "/teacher/assignments/1/analysis", "/teacher/assignments/1/regrade")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_every_teacher_page(browser, teacher_server, size):
    """Runs after the flow above (same server): pages hold real data. Each page must not scroll sideways."""
    viewport = DESKTOP if size == "desktop" else PHONE
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(teacher_server + "/teacher/login")
    screenshot(page, f"teacher-login-{size}")
    log_in(page, teacher_server)
    for path in TEACHER_PAGES:
        response = page.goto(teacher_server + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        name = path.strip("/").replace("/", "-") or "home"
        screenshot(page, f"{name}-{size}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
    # every time and number field's label reads on one line (a date field too wide for its cell goes below it)
    for path in ("/teacher/assignments/new", "/teacher/assignments/1"):
        page.goto(teacher_server + path)
        page.locator("details.settings-edit summary").click() if path.endswith("/1") else None
        broken = page.evaluate("""() => [...document.querySelectorAll('.points-grid label')].filter(label => {
          const range = document.createRange(); range.selectNodeContents(label.firstChild);
          return label.offsetParent && new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
        }).map(label => label.firstChild.textContent.trim())""")
        assert broken == [], (path, broken)
    # the histogram's axis title sits clear of its band labels, which turn sideways on a phone when a paper
    # worth 23 marks is banded in tenths (2.3–4.6 …): the page as the server sends it, with those bands
    bands = json.dumps({"labels": [f"{2.3 * i:g}–{2.3 * (i + 1):g}" for i in range(10)], "counts": [1] + [0] * 9,
                        "fulls": [23]})

    def with_tenths(route):
        page_html = route.fetch().text()
        route.fulfill(body=re.sub(r"data-chart='[^']*'", lambda _: f"data-chart='{bands}'", page_html),
                      content_type="text/html; charset=utf-8")

    page.route("**/teacher/assignments/1/results", with_tenths)
    page.goto(teacher_server + "/teacher/assignments/1/results")
    page.wait_for_selector("#score-histogram .xtitle")
    overlaps = page.evaluate("""() => {
      const t = document.querySelector('#score-histogram .xtitle').getBoundingClientRect();
      return [...document.querySelectorAll('#score-histogram .xtick text')].map(e => e.getBoundingClientRect())
        .filter(r => r.bottom > t.top && r.top < t.bottom && r.right > t.left && r.left < t.right).length; }""")
    assert overlaps == 0


def test_an_assignment_prints_to_a4_with_and_without_the_key(page, teacher_server):
    from tests.e2e.test_printing import assert_numbered, flat, print_pdf

    log_in(page, teacher_server)
    page.get_by_label("新班级名称").fill("市场营销2302")
    page.get_by_role("button", name="新建班级").click()
    page.get_by_role("link", name="给本班布置作业").click()
    page.get_by_label("标题").fill("第二周 小测")
    page.get_by_role("button", name="创建作业").click()
    expect(page.locator("#join-code")).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    bare_url = page.get_by_role("link", name="打印试卷").get_attribute("href")
    keyed_url = page.get_by_role("link", name="打印（含答案）").get_attribute("href")

    bare = print_pdf(page, teacher_server + bare_url, "print-assignment")
    keyed = print_pdf(page, teacher_server + keyed_url, "print-assignment-key")
    assert_numbered(bare)
    assert_numbered(keyed)
    assert "第二周小测" in flat(bare[0]) and re.search(r"一、\S+（每题", flat(bare[0]))
    assert "参考答案" not in flat("".join(bare)) and "参考答案" in flat("".join(keyed))
    assert len(keyed) >= len(bare)


def test_logging_out_ends_the_session_for_every_copy_of_the_cookie(browser, teacher_server):
    """A teacher on a shared computer logs out; a copy of the cookie taken earlier (another browser,
    a stolen cookie file) is sent to the login page from then on."""
    base = teacher_server
    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    log_in(desk.new_page(), base)
    copy = browser.new_context(viewport=PHONE, locale="zh-CN")
    copy.add_cookies(desk.cookies())
    other = copy.new_page()
    other.goto(base + "/teacher/")
    expect(other.get_by_role("heading", name="我的班级与作业")).to_be_visible()
    page = desk.pages[0]
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="教师登录")).to_be_visible()
    expect(page.get_by_text("已退出登录。")).to_be_visible()
    other.goto(base + "/teacher/assignments/new")
    expect(other.get_by_role("heading", name="教师登录")).to_be_visible()
    assert other.url == base + "/teacher/login?next=/teacher/assignments/new"
    screenshot(other, "teacher-login-after-logout-phone")
    desk.close()
    copy.close()
