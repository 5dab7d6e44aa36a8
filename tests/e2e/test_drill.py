"""Practice and drilling in Chromium, at desktop and phone size, over the fixture course."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, screenshot
from tests.e2e.test_quizzes import TRUE_STEM, start_practice

pytestmark = pytest.mark.e2e


def test_empty_submit_shows_the_message_beside_the_answer(sized, fixture_server):
    page, size = sized
    start_practice(page, fixture_server, "单项选择")
    page.wait_for_load_state("load")
    url = page.url
    page.get_by_role("button", name="提交答案").click()
    message = page.locator("#answer-error")
    expect(message).to_have_text("请先选择一个答案再提交。")
    expect(message).to_be_visible()
    assert page.url == url
    screenshot(page, f"practice-empty-{size}")
    page.locator(".choice").first.click()
    expect(message).to_be_hidden()


def test_empty_short_answer_asks_before_scoring_zero(page, fixture_server):
    start_practice(page, fixture_server, "名词解释")
    page.wait_for_load_state("load")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="提交答案").click()
    expect(page.locator("#answer-error")).to_have_text("请写下你的答案再提交。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交答案").click()
    expect(page.locator(".feedback__verdict")).to_contain_text("得分 0 / 2")


def test_keyboard_chooses_submits_and_moves_on(page, fixture_server):
    start_practice(page, fixture_server, "判断")
    page.wait_for_load_state("load")
    expect(page.locator(".key-hint").first).to_be_visible()
    page.keyboard.press("2")
    expect(page.get_by_label("错误 ✗")).to_be_checked()
    page.keyboard.press("a")
    expect(page.get_by_label("正确 ✓")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator(".feedback__verdict")).to_be_visible()
    page.wait_for_load_state("load")     # the feedback page's key handler is attached by a deferred script
    page.keyboard.press("ArrowRight")
    expect(page.locator(".quiz__progress")).to_contain_text("第 2 / 2 题")


def test_one_tap_and_auto_advance_after_a_right_answer(phone_page, fixture_server):
    page = phone_page
    start_practice(page, fixture_server, "判断")
    page.wait_for_load_state("load")
    page.get_by_label("点选即提交（单选、判断）").check()
    page.get_by_label("答对后自动进入下一题").check()
    truth = TRUE_STEM in page.locator(".stem").inner_text()
    page.get_by_label("正确 ✓" if truth else "错误 ✗").tap()
    expect(page.locator(".feedback__verdict")).to_have_text("✓ 回答正确")
    expect(page.locator(".auto-next")).to_contain_text("自动进入下一题")
    expect(page.locator(".quiz__progress")).to_contain_text("第 2 / 2 题")
    expect(page.get_by_role("button", name="提交答案")).to_be_visible()


def test_recite_mode_shows_answers_and_can_cover_them(sized, fixture_server):
    page, size = sized
    page.goto(fixture_server + "/practice/recite?chapter=alpha")
    expect(page.locator(".recite__count")).to_have_text("第1章 第一章 甲 · 共 10 题")
    first = page.locator(".recite-item").first
    expect(first.locator(".recite-item__answer")).to_contain_text("答案：")
    screenshot(page, f"recite-{size}")
    page.get_by_label(re.compile("遮住答案")).check()
    expect(first.locator(".recite-item__answer p").first).to_be_hidden()
    first.locator(".recite-item__answer").click()
    expect(first.locator(".recite-item__answer p").first).to_be_visible()
    screenshot(page, f"recite-covered-{size}")


def test_bookmark_then_practise_the_bookmarks(sized, fixture_server):
    page, size = sized
    start_practice(page, fixture_server, "判断")
    page.wait_for_load_state("load")
    stem = page.locator(".stem").inner_text()
    toggle = page.locator(".bookmark-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text("★已收藏")
    screenshot(page, f"practice-bookmarked-{size}")
    page.goto(fixture_server + "/bookmarks")
    expect(page.locator(".lead")).to_contain_text("共收藏 1 道题")
    expect(page.locator(".set-list")).to_contain_text(stem)
    screenshot(page, f"bookmarks-{size}")
    page.get_by_role("button", name="练习收藏的题").click()
    expect(page.locator(".quiz__progress")).to_contain_text("第 1 / 1 题")
    expect(page.locator(".stem")).to_have_text(stem)


def test_notebook_filter_by_type(page, fixture_server):
    start_practice(page, fixture_server, "判断")
    page.wait_for_load_state("load")
    truth = TRUE_STEM in page.locator(".stem").inner_text()
    page.get_by_label("错误 ✗" if truth else "正确 ✓").check()
    page.get_by_role("button", name="提交答案").click()
    page.goto(fixture_server + "/notebook")
    page.get_by_label("题型").select_option("true_false")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".lead")).to_contain_text("当前筛选出 1 道")
    expect(page.get_by_role("button", name=re.compile("重做筛选出的 1 道错题"))).to_be_visible()
    screenshot(page, "notebook-filtered-desktop")


def test_transfer_code_moves_records_to_a_second_browser(browser, fixture_server):
    pc = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        page = pc.new_page()
        start_practice(page, fixture_server, "判断")
        truth = TRUE_STEM in page.locator(".stem").inner_text()
        page.get_by_label("错误 ✗" if truth else "正确 ✓").check()
        page.get_by_role("button", name="提交答案").click()
        page.goto(fixture_server + "/me")
        page.get_by_role("button", name="生成转移码").click()
        code = page.locator("#transfer-code-value").inner_text()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        expect(page.locator(".transfer-box__qr svg")).to_be_visible()
        screenshot(page, "me-transfer-desktop")

        other = phone.new_page()
        other.goto(fixture_server + "/notebook")
        expect(other.locator(".lead")).to_contain_text("错题本是空的")
        other.goto(fixture_server + "/me/transfer")
        other.get_by_label("转移码").fill("WRNG-CODE")
        other.get_by_role("button", name="转到本设备").click()
        expect(other.get_by_role("alert")).to_contain_text("转移码不对")
        other.get_by_label("转移码").fill(code.lower())
        screenshot(other, "transfer-redeem-phone")
        other.get_by_role("button", name="转到本设备").click()
        expect(other.locator(".flash")).to_contain_text("学习记录已转到本设备")
        other.goto(fixture_server + "/notebook")
        expect(other.locator(".lead")).to_contain_text("共 1 道错题")
        other.goto(fixture_server + "/me")
        other.get_by_role("button", name="生成转移码").click()
        expect(other.locator(".transfer-box__qr svg")).to_be_visible()
        screenshot(other, "me-transfer-phone")
        assert other.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        pc.close()
        phone.close()


def test_qr_url_opens_the_form_with_the_code_filled_in(page, fixture_server):
    page.goto(fixture_server + "/me")
    page.get_by_role("button", name="生成转移码").click()
    url = page.locator(".transfer-box__url span").inner_text()
    code = page.locator("#transfer-code-value").inner_text()
    assert url.endswith(f"/me/transfer?code={code}")
    page.goto(url)
    expect(page.get_by_label("转移码")).to_have_value(code)


def test_practice_modes_and_knowledge_points_on_a_phone(phone_page, fixture_server):
    page = phone_page
    page.goto(fixture_server + "/practice")
    page.get_by_label("只做没做过的").check()
    page.get_by_label(re.compile("按知识点")).select_option("alpha:formula")
    screenshot(page, "practice-modes-phone")
    page.get_by_role("button", name="开始练习").click()
    expect(page.locator(".quiz__progress")).to_contain_text(re.compile(r"第 1 / [12] 题"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
