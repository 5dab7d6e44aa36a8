"""Self-testing flows in Chromium over the fixture course, whose answers are known."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
TRUE_STEM = "客户满意是客户的一种心理感受。"   # true; the other judgement in the fixture is false


def answer_true_false(page, right: bool):
    is_true = TRUE_STEM in page.locator(".stem").inner_text()
    page.get_by_label("正确 ✓" if is_true == right else "错误 ✗").check()
    page.get_by_role("button", name="提交答案").click()


def start_practice(page, base, type_label):
    page.goto(base + "/practice")
    page.get_by_label(type_label, exact=True).check()
    page.get_by_label("5 题").check()
    page.get_by_role("button", name="开始练习").click()


def test_practice_with_right_and_wrong_answers(page, fixture_server):
    start_practice(page, fixture_server, "判断")
    expect(page.locator(".quiz__progress")).to_contain_text("第 1 / 2 题")
    screenshot(page, "practice-question-desktop")
    answer_true_false(page, right=True)
    expect(page.locator(".feedback__verdict")).to_have_text("✓ 回答正确")
    expect(page.locator(".review__explanation")).to_be_visible()
    page.get_by_role("link", name="下一题 →").click()
    answer_true_false(page, right=False)
    expect(page.locator(".feedback__verdict")).to_have_text("✗ 回答错误")
    screenshot(page, "practice-feedback-desktop")
    page.get_by_role("link", name="查看本次练习结果").click()
    expect(page.locator(".lead")).to_contain_text("共 2 题，已答 2 题，答对 1 题")


def test_subjective_practice_marks_key_points(page, fixture_server):
    start_practice(page, fixture_server, "名词解释")
    page.get_by_label("你的作答").fill("在客户的整个生命周期内，扣除成本后的收益")
    page.get_by_role("button", name="提交答案").click()
    points = page.locator(".key-points li")
    expect(points.nth(0)).to_have_class(re.compile("is-found"))
    expect(points.nth(1)).to_have_class(re.compile("is-missing"))
    page.get_by_label(re.compile("给自己打分")).select_option("1")
    page.get_by_role("button", name="确认得分").click()
    expect(page.locator(".feedback__verdict")).to_contain_text("得分 1 / 2")


def test_mock_exam_reloaded_halfway_then_submitted(page, fixture_server):
    page.goto(fixture_server + "/exam")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")          # exam.js (deferred) must be listening before we type
    expect(page.locator("#exam-clock")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    questions = page.locator(".exam-question")
    expect(questions).to_have_count(6)
    questions.nth(0).locator("input[type=radio]").first.check()
    questions.nth(4).locator("textarea").fill("整个生命周期，考虑资金的时间价值")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    page.reload()
    expect(questions.nth(0).locator("input[type=radio]").first).to_be_checked()
    expect(questions.nth(4).locator("textarea")).to_have_value("整个生命周期，考虑资金的时间价值")
    questions.nth(2).locator("input[value=true]").check()
    screenshot(page, "exam-desktop")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page.get_by_role("heading", name="模拟考试成绩")).to_be_visible()
    expect(page.locator(".exam-format tbody tr").nth(2)).to_contain_text("三、名词解释44")
    expect(page.locator(".review-list__item")).to_have_count(6)
    screenshot(page, "exam-result-desktop")
    page.go_back()
    expect(page.get_by_role("heading", name="模拟考试成绩")).to_be_visible()


def test_notebook_redo_loop(page, fixture_server):
    start_practice(page, fixture_server, "判断")
    answer_true_false(page, right=False)
    page.goto(fixture_server + "/notebook")
    expect(page.locator(".lead")).to_contain_text("共 1 道错题")
    screenshot(page, "notebook-desktop")
    for round_ in range(2):
        page.get_by_role("button", name=re.compile("重做全部错题")).click()
        answer_true_false(page, right=True)
        expect(page.locator(".feedback__verdict")).to_have_text("✓ 回答正确")
        page.goto(fixture_server + "/notebook")
    expect(page.locator(".lead")).to_contain_text("错题本是空的")


def test_progress_page_on_a_phone(phone_page, fixture_server):
    page = phone_page
    start_practice(page, fixture_server, "单项选择")
    page.locator(".choice").first.click()
    page.get_by_role("button", name="提交答案").click()
    page.goto(fixture_server + "/progress")
    row = page.locator(".progress-table tbody tr").first
    expect(row).to_contain_text("第1章")
    expect(row).to_contain_text("1 / 10")
    expect(page.get_by_role("heading", name="下一步学什么")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "progress-phone")


def test_exam_answers_survive_a_dropped_connection(page, fixture_server):
    # A dropped connection, simulated in the page: while window.dropSaves is set, every save fails the way
    # fetch fails offline, and the last-gasp beacon on leaving fails too.
    page.add_init_script("""
        navigator.sendBeacon = function () { return false; };
        var realFetch = window.fetch;
        window.fetch = function (url, options) {
            if (window.dropSaves) return Promise.reject(new TypeError('Failed to fetch'));
            return realFetch(url, options);
        };
    """)
    page.goto(fixture_server + "/exam")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")          # exam.js (deferred) must be listening before we type
    exam_url = page.url
    page.evaluate("window.dropSaves = true")
    page.locator(".exam-question").nth(4).locator("textarea").fill("断网时写下的答案：整个生命周期")
    expect(page.locator("#save-status")).to_contain_text("网络中断")
    page.goto("about:blank")                  # the tab is left before the connection comes back
    assert "断网时写下的答案" not in page.request.get(exam_url).text()
    page.goto(exam_url)
    expect(page.locator(".exam-question").nth(4).locator("textarea")).to_have_value("断网时写下的答案：整个生命周期")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    assert "断网时写下的答案" in page.request.get(exam_url).text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page.locator(".review__mine").nth(4)).to_have_text("断网时写下的答案：整个生命周期")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('crm-exam-draft:')).length") == 0


def test_an_old_tab_never_overwrites_answers_saved_since_in_another(page, fixture_server):
    page.goto(fixture_server + "/exam")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")
    old = page.locator(".exam-question")
    old.nth(0).locator("input[type=radio]").nth(0).check()
    expect(page.locator("#save-status")).to_contain_text("已保存")
    newer = page.context.new_page()            # the same student opens the paper again in a second tab
    newer.goto(page.url)
    newer.wait_for_load_state("load")
    newer.locator(".exam-question").nth(0).locator("input[type=radio]").nth(1).check()
    expect(newer.locator("#save-status")).to_contain_text("已保存")
    with page.expect_response(lambda r: r.url.endswith("/save") and r.ok):
        old.nth(4).locator("textarea").fill("旧窗口里写的名词解释")   # the old tab still shows the first choice
    page.reload()
    expect(old.nth(0).locator("input[type=radio]").nth(1)).to_be_checked()   # the newer choice stayed
    expect(old.nth(4).locator("textarea")).to_have_value("旧窗口里写的名词解释")
    newer.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.url.endswith("/save") and r.ok):
        old.nth(2).locator("input[value=true]").check()
    newer.get_by_role("button", name="交卷").click()       # 交卷 from the tab that did not see the last answer
    expect(newer.get_by_role("heading", name="模拟考试成绩")).to_be_visible()
    mine = newer.locator(".review__mine")
    expect(mine.nth(0)).to_have_text("B")
    expect(mine.nth(2)).to_contain_text("正确")
    expect(mine.nth(4)).to_have_text("旧窗口里写的名词解释")


def test_a_new_paper_never_opens_with_a_deleted_papers_answers(page, fixture_server):
    page.goto(fixture_server + "/exam")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")
    first = page.url
    page.evaluate("() => { window.fetch = () => Promise.reject(new TypeError('offline')); navigator.sendBeacon = () => false; }")
    page.locator(".exam-question").nth(4).locator("textarea").fill("上一次考试写的答案")
    expect(page.locator("#save-status")).to_contain_text("网络中断")   # kept only in this browser
    page.goto(fixture_server + "/me")
    page.get_by_label(re.compile("确认")).check()
    page.get_by_role("button", name=re.compile("删除")).click()
    page.goto(fixture_server + "/exam")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_load_state("load")
    assert page.url == first      # SQLite gave the new paper the deleted one's number
    expect(page.locator(".exam-question").nth(4).locator("textarea")).to_have_value("")
    expect(page.locator("#sheet-answered")).to_have_text("0")


def open_exam(page, base):
    page.goto(base + "/exam")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")
    return page.url


def saved_from(page, action):
    with page.expect_response(lambda r: r.url.endswith("/save") and r.ok) as response:
        action()
    return response.value.json()


def server_answers(page, url):
    """The answers the server would show on a fresh load of the paper."""
    fresh = page.context.new_page()
    fresh.goto(url)
    fresh.wait_for_load_state("load")
    html = fresh.content()
    fresh.close()
    return html


def test_leaving_a_text_box_an_old_tab_showed_does_not_send_its_old_text(page, fixture_server):
    url = open_exam(page, fixture_server)
    box = page.locator(".exam-question").nth(4).locator("textarea")
    saved_from(page, lambda: box.fill("第一稿"))          # the cursor stays in the box
    newer = page.context.new_page()
    newer.goto(url)
    newer.wait_for_load_state("load")
    saved_from(newer, lambda: newer.locator(".exam-question").nth(4).locator("textarea").fill("第二稿"))
    body = saved_from(page, lambda: page.locator(".exam-question").nth(2).locator("input[value=true]").check())
    assert body["saved"] == [2]                           # the box was left as it was: not sent again
    newer.close()
    assert "第二稿" in server_answers(page, url)


def test_an_offline_change_after_a_reload_comes_back_when_the_tab_is_reopened(page, fixture_server):
    url = open_exam(page, fixture_server)
    choices = page.locator(".exam-question").nth(0).locator("input[type=radio]")
    saved_from(page, lambda: choices.nth(0).check())
    page.reload()
    page.wait_for_load_state("load")
    page.evaluate("() => { window.fetch = () => Promise.reject(new TypeError('offline')); navigator.sendBeacon = () => false; }")
    choices.nth(1).check()
    expect(page.locator("#save-status")).to_contain_text("网络中断")
    page.goto("about:blank")
    page.goto(url)
    expect(choices.nth(1)).to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("已保存")
    assert re.search(r'value="B"\s+checked', server_answers(page, url))


def test_two_tabs_offline_each_keep_their_own_change(page, fixture_server):
    url = open_exam(page, fixture_server)
    other = page.context.new_page()
    other.goto(url)
    other.wait_for_load_state("load")
    for tab in (page, other):
        tab.evaluate("() => { window.fetch = () => Promise.reject(new TypeError('offline')); navigator.sendBeacon = () => false; }")
    page.locator(".exam-question").nth(0).locator("input[type=radio]").nth(1).check()
    expect(page.locator("#save-status")).to_contain_text("网络中断")
    other.locator(".exam-question").nth(4).locator("textarea").fill("另一个窗口写的")
    expect(other.locator("#save-status")).to_contain_text("网络中断")
    other.close()
    page.goto("about:blank")
    page.goto(url)                                        # back online: both changes come back and are sent
    expect(page.locator(".exam-question").nth(0).locator("input[type=radio]").nth(1)).to_be_checked()
    expect(page.locator(".exam-question").nth(4).locator("textarea")).to_have_value("另一个窗口写的")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    assert "另一个窗口写的" in server_answers(page, url)


def test_an_older_offline_choice_does_not_replace_a_newer_one_and_the_student_is_told(page, fixture_server):
    page.add_init_script("""
        var realFetch = window.fetch;
        window.fetch = function (url, options) {
            if (window.dropSaves) return Promise.reject(new TypeError('Failed to fetch'));
            return realFetch(url, options);
        };
    """)
    url = open_exam(page, fixture_server)
    newer = page.context.new_page()
    newer.goto(url)
    newer.wait_for_load_state("load")
    page.evaluate("window.dropSaves = true")
    page.locator(".exam-question").nth(0).locator("input[type=radio]").nth(0).check()     # A, while offline
    expect(page.locator("#save-status")).to_contain_text("网络中断")
    newer.wait_for_timeout(1100)                                                           # a later second
    saved_from(newer, lambda: newer.locator(".exam-question").nth(0).locator("input[type=radio]").nth(1).check())
    page.evaluate("window.dropSaves = false")
    body = saved_from(page, lambda: page.get_by_role("button", name="保存答案").click())
    assert body["kept_elsewhere"] == [0]
    expect(page.locator("#save-status")).to_contain_text("第 1 题已在另一个窗口或设备上改过，保留了那边的答案")
    newer.close()
    assert re.search(r'value="B"\s+checked', server_answers(page, url))
    # told, the student picks again here: that later choice is theirs to make, and it is taken
    choices = page.locator(".exam-question").nth(0).locator("input[type=radio]")
    saved_from(page, lambda: choices.nth(1).check())
    body = saved_from(page, lambda: choices.nth(0).check())
    assert body["saved"] == [0] and body["kept_elsewhere"] == []
    assert re.search(r'value="A"\s+checked', server_answers(page, url))
