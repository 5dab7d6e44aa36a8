"""A student reads the course in Chromium: home → chapter → table of contents → formula → search."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_home_to_chapter_and_table_of_contents(page, live_server):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="课程地图")).to_be_visible()
    screenshot(page, "home-desktop")
    page.get_by_role("link", name=re.compile("第2章.*客户生命周期及其价值管理")).click()
    expect(page.get_by_role("heading", level=1, name="客户生命周期及其价值管理")).to_be_visible()
    toc = page.get_by_role("navigation", name="本章目录")
    toc.get_by_role("link", name="客户终身价值的计算模型").click()
    expect(page).to_have_url(re.compile(r"/chapters/customer-lifecycle#clv-models$"))
    heading = page.locator("#clv-models")
    expect(heading).to_be_in_viewport()
    expect(toc.locator("a.is-current")).to_have_text("客户终身价值的计算模型")
    screenshot(page, "chapter-toc-desktop")


def test_formula_is_rendered_maths_not_raw_latex(page, live_server):
    page.goto(live_server + "/chapters/satisfaction-loyalty#satisfaction-formula")
    section_math = page.locator(".prose math")
    expect(section_math.first).to_be_visible()
    assert section_math.count() >= 3
    assert page.locator(".prose mfrac").count() >= 1
    text = page.locator(".prose").inner_text()
    assert "\\frac" not in text and "$" not in text
    box = page.locator(".math-block").first.bounding_box()
    assert box["height"] > 30
    screenshot(page, "formula-desktop")


def test_search_for_clv_lands_on_the_section(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("searchbox", name="搜索课程内容").fill("客户终身价值")
    page.keyboard.press("Enter")
    first = page.locator(".search-result__link").first
    expect(first).to_contain_text("客户终身价值")
    expect(page.locator(".search-result mark").first).to_have_text("客户终身价值")
    screenshot(page, "search-desktop")
    first.click()
    expect(page).to_have_url(re.compile(r"/chapters/customer-lifecycle#customer-lifetime-value$"))
    expect(page.locator("#customer-lifetime-value")).to_be_in_viewport()


def test_two_character_search_and_keyboard_navigation(page, live_server):
    page.goto(live_server + "/chapters/crm-foundations")
    page.keyboard.press("/")
    expect(page.locator("#site-search")).to_be_focused()
    page.keyboard.type("忠诚")
    page.keyboard.press("Enter")
    expect(page.locator(".search-result").first).to_be_visible()
    expect(page.locator(".search-summary")).to_contain_text("忠诚")
    page.goto(live_server + "/chapters/crm-foundations")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/chapters/customer-lifecycle$"))
    page.wait_for_load_state("load")          # the shortcut script is deferred: wait until it runs
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/chapters/crm-foundations$"))


def test_unknown_chapter_is_a_chinese_404(page, live_server):
    response = page.goto(live_server + "/chapters/no-such-chapter")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()


def test_phone_layout_has_collapsible_toc_and_no_sideways_scroll(phone_page, live_server):
    page = phone_page
    page.goto(live_server + "/chapters/customer-data")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    expect(page.locator(".toc__list")).to_be_hidden()
    screenshot(page, "chapter-phone")
    page.locator(".toc__details summary").click()
    page.get_by_role("navigation", name="本章目录").get_by_role("link", name="7.4 RFM模型").click()
    expect(page.locator("#rfm-model")).to_be_in_viewport()
    expect(page.locator(".toc__list")).to_be_hidden()
    page.goto(live_server + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "home-phone")


def test_print_stylesheet_hides_navigation(page, live_server):
    page.goto(live_server + "/chapters/retention-churn")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".toc")).to_be_hidden()
    expect(page.locator(".prose")).to_be_visible()
