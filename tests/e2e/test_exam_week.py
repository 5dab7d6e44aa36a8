"""The mock exam a week before the real one, in Chromium at desktop and phone size (fixture course)."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def start_exam(page, base):
    page.goto(base + "/exam")
    page.get_by_role("button", name="开始考试").click()
    expect(page).to_have_url(re.compile(r"/exam/\d+$"))
    page.wait_for_load_state("load")


def open_sheet(page, size):
    if size == "phone":
        page.locator(".answer-sheet__summary").click()


def test_answer_sheet_jumps_counts_and_flags(sized, fixture_server):
    page, size = sized
    start_exam(page, fixture_server)
    sheet = page.get_by_role("navigation", name="答题卡")
    if size == "phone":
        expect(page.locator(".answer-sheet__summary")).to_be_in_viewport()
        expect(sheet).to_be_hidden()
    else:
        expect(sheet).to_be_visible()
        box = page.locator(".answer-sheet").bounding_box()
        assert box["x"] > 700                        # beside the paper, in the right part of the screen
    expect(page.locator("#sheet-answered")).to_have_text("0")
    questions = page.locator(".exam-question")
    questions.nth(0).locator("input[type=radio]").first.check()
    questions.nth(2).locator("input[value=true]").check()
    expect(page.locator("#sheet-answered")).to_have_text("2")
    open_sheet(page, size)
    links = sheet.get_by_role("link")
    expect(links).to_have_count(6)
    expect(links.nth(0)).to_have_class(re.compile("is-answered"))
    expect(links.nth(1)).not_to_have_class(re.compile("is-answered"))
    screenshot(page, f"exam-sheet-{size}")
    links.nth(5).click()
    expect(page).to_have_url(re.compile(r"#item-5$"))
    expect(questions.nth(5)).to_be_in_viewport()
    if size == "phone":
        expect(sheet).to_be_hidden()                 # the sheet folds away after a jump
        screenshot(page, "exam-sheet-closed-phone")
    questions.nth(4).get_by_role("button", name="标记").click()
    expect(questions.nth(4).get_by_role("button", name="标记")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#sheet-flagged")).to_have_text("1")
    open_sheet(page, size)
    expect(links.nth(4)).to_have_class(re.compile("is-flagged"))
    screenshot(page, f"exam-sheet-flagged-{size}")
    page.reload()                                    # flags are kept on the server
    expect(page.locator("#sheet-flagged")).to_have_text("1")
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    if size == "phone":                              # on phones, 交卷 from the open sheet
        open_sheet(page, size)
        sheet.get_by_role("button", name="交卷").click()
    else:
        page.get_by_role("button", name="交卷").click()
    expect(page.locator("h1")).to_have_text("模拟考试")
    assert messages == ["确定交卷吗？还有 4 题未作答，1 题做了标记。交卷后不能再修改答案。"]


def test_history_after_two_exams_and_result_filters(sized, fixture_server):
    page, size = sized
    for answers in (("true", "true"), ()):
        start_exam(page, fixture_server)
        for position, value in zip((2, 3), answers):
            page.locator(f"#item-{position} input[value={value}]").check()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="交卷").click()
        expect(page.get_by_role("heading", name="模拟考试成绩")).to_be_visible()
    page.goto(fixture_server + "/exam")
    rows = page.locator(".exam-history__table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("第 2 次")
    expect(rows.nth(1)).to_contain_text("2 / 6")
    expect(page.locator("#score-trend .main-svg").first).to_be_visible()
    page.evaluate("document.getElementById('exam-history-heading').scrollIntoView()")
    screenshot(page, f"exam-history-{size}")
    rows.nth(1).get_by_role("link", name="查看成绩与解析").click()
    expect(page.locator(".result-counts")).to_have_text("答对 1 题 · 答错 1 题 · 未作答 4 题")
    page.get_by_role("link", name="只看错题（1）").click()
    expect(page.locator(".review-list__item")).to_have_count(1)
    expect(page.locator(".review-list__item .badge")).to_have_text("✗ 回答错误")
    screenshot(page, f"exam-result-wrong-{size}")
    page.get_by_role("link", name="只看未作答（4）").click()
    expect(page.locator(".review-list__item")).to_have_count(4)
    page.goto(fixture_server + "/progress")
    expect(page.locator(".exam-history__table tbody tr")).to_have_count(2)
    expect(page.locator("#score-trend .main-svg").first).to_be_visible()
    page.evaluate("document.getElementById('exam-history-heading').scrollIntoView()")
    screenshot(page, f"progress-history-{size}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
