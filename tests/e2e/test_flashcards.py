"""Flashcards in Chromium over the real course: flip with space, grade with keys, phone taps, cram, chart."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, watch

pytestmark = pytest.mark.e2e


def open_review(page, base):
    page.goto(base + "/flashcards/")
    page.get_by_role("link", name=re.compile("开始今天的复习")).click()
    page.wait_for_load_state("load")          # flashcards.js (deferred) listens before the load event


def choose(page, base, **fields):
    """Save deck settings through the form on the overview."""
    page.goto(base + "/flashcards/")
    if "chapter" in fields:
        page.get_by_label(fields["chapter"]).check()
    if fields.get("four"):
        page.get_by_label(re.compile("四个：重来")).check()
    if fields.get("type_first"):
        page.get_by_label(re.compile("先写释义再看答案")).check()
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator(".flash")).to_contain_text("记忆卡设置已保存")


def test_flip_with_space_and_grade_with_keys(page, live_server):
    problems = watch(page)
    open_review(page, live_server)
    front = page.locator("#fc-title").inner_text()
    expect(page.locator("#fc-back")).to_be_hidden()
    screenshot(page, "flashcards-front-desktop")
    page.keyboard.press("Space")
    expect(page.locator("#fc-back")).to_be_visible()
    expect(page.locator("#fc-back")).to_contain_text("参考答案")
    expect(page.locator("#fc-grade")).to_be_visible()
    expect(page.locator("#fc-flip")).to_be_hidden()
    page.keyboard.press("Space")                                  # a second space must not grade
    expect(page).to_have_url(re.compile(r"/flashcards/review$"))
    expect(page.locator("#fc-title")).to_have_text(front)
    screenshot(page, "flashcards-back-desktop")
    page.keyboard.press("2")                                      # 记得
    expect(page.locator("#fc-title")).not_to_have_text(front)     # the next new card; the first waits 10 minutes
    second = page.locator("#fc-title").inner_text()
    page.wait_for_load_state("load")          # flashcards.js (deferred) listens before the load event
    page.keyboard.press("Space")
    page.keyboard.press("1")                                      # 忘了: back in a minute
    expect(page.locator("#fc-title")).not_to_have_text(second)
    page.goto(live_server + "/flashcards/")
    expect(page.locator("#fc-stat-learned")).to_have_text(re.compile(r"^2 / \d+$"))
    assert problems == []        # no script error and no Content-Security-Policy violation


def test_four_buttons_grade_with_keys_one_to_four(page, live_server):
    choose(page, live_server, four=True)
    open_review(page, live_server)
    page.keyboard.press("Space")
    labels = page.locator(".fc-grade__label")
    expect(labels).to_have_text(["重来", "困难", "良好", "简单"])
    front = page.locator("#fc-title").inner_text()
    page.keyboard.press("4")
    expect(page.locator("#fc-title")).not_to_have_text(front)


def test_phone_tap_targets_flip_and_grade(phone_page, live_server):
    page = phone_page
    open_review(page, live_server)
    screenshot(page, "flashcards-front-phone")
    flip = page.locator("#fc-flip")
    box = flip.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300
    flip.tap()
    buttons = page.locator(".fc-grade__button")
    expect(buttons).to_have_count(2)
    for i in range(2):
        b = buttons.nth(i).bounding_box()
        assert b["height"] >= 56 and b["width"] >= 150, b
    expect(page.locator(".fc-grade__button kbd").first).to_be_hidden()      # no key hints on a phone
    screenshot(page, "flashcards-back-phone")
    front = page.locator("#fc-title").inner_text()
    page.get_by_role("button", name=re.compile("记得")).tap()
    expect(page.locator("#fc-title")).not_to_have_text(front)


def test_cram_mode_steps_through_the_chapter_and_saves_nothing(page, live_server):
    problems = watch(page)
    choose(page, live_server, chapter=re.compile("客户关系管理基础知识"))
    page.goto(live_server + "/flashcards/cram")
    page.wait_for_load_state("load")          # flashcards.js (deferred) listens before the load event
    items = page.locator(".fc-cram__item")
    total = items.count()
    assert total >= 5
    expect(page.locator(".fc-cram__item:visible")).to_have_count(1)
    expect(page.locator("#fc-cram-progress")).to_have_text(f"还剩 {total} 张 · 记得 0 张")
    screenshot(page, "flashcards-cram-desktop")
    page.keyboard.press("Space")
    expect(page.locator(".fc-cram__item:visible .fc-back")).to_contain_text("参考答案")
    page.keyboard.press("1")                                      # forgotten: comes again at the end
    expect(page.locator("#fc-cram-progress")).to_have_text(f"还剩 {total} 张 · 记得 0 张")
    for _ in range(total):
        page.keyboard.press("Space")
        page.keyboard.press("2")
    expect(page.locator("#fc-cram-done")).to_be_visible()
    expect(page.locator("#fc-cram-summary")).to_contain_text(f"共 {total} 张：一次记得 {total - 1} 张，忘了 1 次")
    page.goto(live_server + "/flashcards/")
    expect(page.locator("#fc-stat-learned")).to_have_text(f"0 / {total}")          # nothing was scheduled
    assert problems == []


def test_cram_on_a_phone(phone_page, live_server):
    page = phone_page
    page.goto(live_server + "/flashcards/cram")
    page.wait_for_load_state("load")          # flashcards.js (deferred) listens before the load event
    page.locator("#fc-cram-flip").tap()
    expect(page.locator("#fc-cram-grade")).to_be_visible()
    screenshot(page, "flashcards-cram-phone")
    page.get_by_role("button", name=re.compile("记得")).tap()
    expect(page.locator("#fc-cram-progress")).to_contain_text("记得 1 张")


def test_type_first_suggests_a_grade(page, live_server):
    choose(page, live_server, type_first=True)
    open_review(page, live_server)
    page.get_by_label(re.compile("先写出你的释义")).fill("实施价值创造战略，竞争对手不能实施同样战略")
    page.keyboard.press("Space")                                  # typing: a space is just a space
    expect(page.locator("#fc-back")).to_be_hidden()
    page.get_by_role("button", name="对照答案").click()
    expect(page.locator(".fc-typed")).to_contain_text("你的释义")
    expect(page.locator(".fc-grade__button.is-suggested")).to_have_count(1)
    screenshot(page, "flashcards-typed-desktop")
    page.keyboard.press("2")
    expect(page).to_have_url(re.compile(r"/flashcards/review$"))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_overview_draws_the_exam_forecast(page, phone_page, live_server, size):
    view = page if size == "desktop" else phone_page
    problems = watch(view)
    open_review(view, live_server)
    front = view.locator("#fc-title").inner_text()
    view.keyboard.press("Space")
    view.keyboard.press("2")
    expect(view.locator("#fc-title")).not_to_have_text(front)
    view.goto(live_server + "/flashcards/")
    view.wait_for_load_state("load")
    expect(view.locator("#fc-chart .main-svg").first).to_be_visible()
    table = expect(view.locator(".fc-table"))
    table.to_be_hidden() if size == "desktop" else table.to_be_visible()      # phones: titles beside 第N章
    view.locator("#fc-forecast-title").scroll_into_view_if_needed()
    screenshot(view, f"flashcards-overview-{size}")
    assert problems == []        # plotly draws under the CSP


def test_my_export_file_brings_flashcards_to_a_new_phone(page, phone_page, live_server, tmp_path):
    """Download 我的全部数据 on the laptop, import the file on a phone: the cards' progress came along."""
    open_review(page, live_server)
    front = page.locator("#fc-title").inner_text()
    page.keyboard.press("Space")
    page.keyboard.press("2")                                      # 记得: one card learned
    expect(page.locator("#fc-title")).not_to_have_text(front)     # graded: the next card is up
    page.goto(live_server + "/flashcards/")
    learned = page.locator("#fc-stat-learned").inner_text()
    assert learned.startswith("1 / ")
    page.goto(live_server + "/me")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载我的全部数据")).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    problems = watch(phone_page)
    phone_page.goto(live_server + "/flashcards/")
    expect(phone_page.locator("#fc-stat-learned")).to_have_text(re.compile(r"^0 / "))
    phone_page.goto(live_server + "/me")
    phone_page.get_by_label("选择文件").set_input_files(saved)
    phone_page.get_by_role("button", name="导入", exact=True).click()
    expect(phone_page.locator(".flash")).to_contain_text("记忆卡 1 张的进度已合并")
    screenshot(phone_page, "me-import-flashcards-phone")
    phone_page.goto(live_server + "/flashcards/")
    expect(phone_page.locator("#fc-stat-learned")).to_have_text(learned)
    assert problems == []
