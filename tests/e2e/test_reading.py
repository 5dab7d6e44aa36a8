"""Search groups, phone reading and printing, in Chromium: what a student sees the week before the exam."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_search_groups_are_tabs_near_the_top_and_practise_all_starts_one_set(page, live_server):
    page.goto(live_server + "/search?q=RFM")
    tabs = page.get_by_role("tablist", name="搜索结果分组")
    expect(tabs).to_be_visible()
    assert tabs.bounding_box()["y"] < 400                       # in the first screen, not below all sections
    expect(page.get_by_role("tab", name=re.compile("课程内容"))).to_have_attribute("aria-selected", "true")
    expect(page.locator("#section-results")).to_be_visible()
    expect(page.locator("#question-results")).to_be_hidden()
    screenshot(page, "search-groups-desktop")

    page.get_by_role("tab", name=re.compile("题目")).click()
    expect(page.locator("#question-results")).to_be_visible()
    expect(page.locator("#section-results")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"#question-results$"))
    count = page.locator("#question-results .search-result").count()
    assert count >= 3
    page.get_by_role("tab", name=re.compile("课堂模拟")).click()
    expect(page.locator("#simulation-results").get_by_role("link", name="RFM 客户分析")).to_be_visible()

    page.get_by_role("button", name=f"练习全部匹配题目（{count} 题）").click()
    expect(page).to_have_url(re.compile(r"/practice/\d+/0$"))
    expect(page.locator(".quiz__progress")).to_contain_text(f"第 1 / {count} 题")


def test_search_page_on_a_phone_has_one_search_box_and_a_slim_header(phone_page, live_server):
    page = phone_page
    page.goto(live_server + "/search?q=卡诺")
    expect(page.locator('input[type="search"]')).to_have_count(1)
    expect(page.get_by_role("tablist", name="搜索结果分组")).to_be_in_viewport()
    screenshot(page, "search-groups-phone")
    page.goto(live_server + "/chapters/satisfaction-loyalty")
    header = page.locator(".site-header").bounding_box()["height"]
    assert header <= 100                                        # two slim rows: brand with the menu, then search
    for link in page.get_by_role("navigation", name="主导航").get_by_role("link").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390       # every menu item shows whole
    expect(page.get_by_role("searchbox", name="搜索课程内容")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_wide_formula_scrolls_inside_a_box_that_shows_it(phone_page, live_server):
    page = phone_page
    page.goto(live_server + "/chapters/customer-lifecycle#clv-worked-example")
    box = page.locator(".math-block", has_text="9210.08").first
    expect(box).to_have_class(re.compile(r"\bis-scrollable\b"))
    expect(box).to_have_attribute("tabindex", "0")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    geometry = box.evaluate("""b => { const s = getComputedStyle(b), r = b.getBoundingClientRect();
        return {scroll: b.scrollWidth, client: b.clientWidth, left: r.left, right: r.right,
                image: s.backgroundImage, attachment: s.backgroundAttachment,
                mathLeft: b.querySelector('math').getBoundingClientRect().left}; }""")
    assert geometry["scroll"] > geometry["client"] + 20
    assert geometry["right"] <= 390 and geometry["mathLeft"] >= geometry["left"]    # nothing cut on the left
    assert geometry["image"].count("radial-gradient") == 2 and "local" in geometry["attachment"]  # the shadow hint
    box.scroll_into_view_if_needed()
    screenshot(page, "formula-scroll-phone")
    box.evaluate("b => b.scrollLeft = b.scrollWidth")
    end = box.evaluate("""b => { const r = document.createRange(); r.selectNodeContents(b);
        const rects = [...r.getClientRects()]; return Math.max(...rects.map(q => q.right)) - b.getBoundingClientRect().right; }""")
    assert end <= 1                                             # scrolled to the end, the last character shows


def test_keyboard_hints_only_where_the_keys_work(page, phone_page, live_server):
    page.goto(live_server + "/chapters/crm-foundations")
    expect(page.locator(".key-hint")).to_be_visible()
    expect(page.locator(".key-hint")).to_contain_text("上一章")
    page.goto(live_server + "/search?q=忠诚")
    expect(page.locator(".key-hint")).not_to_contain_text("上一章")   # no chapter to go to from here
    page.keyboard.press("/")
    expect(page.locator("#page-search")).to_be_focused()
    phone_page.goto(live_server + "/chapters/crm-foundations")
    expect(phone_page.locator(".key-hint")).to_be_hidden()          # a touch screen has no keys


def test_favicon_is_served_locally(page, live_server):
    page.goto(live_server + "/")
    href = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(live_server + href)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()


def test_printed_chapter_is_a4_with_margins_and_whole_table_cells(page, live_server):
    from pypdf import PdfReader

    page.goto(live_server + "/chapters/customer-data")
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    first = pdf.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)   # A4 in points
    xs: list[float] = []
    text = first.extract_text(visitor_text=lambda t, cm, tm, fd, fs: xs.append(tm[4] * cm[0] + cm[4]) if t.strip() else None)
    assert "客户关系数据的管理与分析" in text and "练习与考试" not in text      # the chapter, without the site's menu
    assert min(xs) >= 16 * 72 / 25.4 - 1                           # the @page side margin (16 mm)
    everything = "\n".join(p.extract_text() for p in pdf.pages)
    for cell in ("描述性数据", "促销性数据", "交易性数据"):          # table labels on one line, not one character per line
        assert cell in everything


@pytest.mark.parametrize("slug", ["crm-foundations", "customer-data", "customer-lifecycle", "satisfaction-loyalty",
                                  "service-center", "retention-churn"])
def test_printed_tables_have_no_one_character_columns(browser, live_server, slug):
    context = browser.new_context(viewport={"width": 673, "height": 1000})   # A4 less the side margins, at 96 dpi
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(f"{live_server}/chapters/{slug}")
    squeezed = page.evaluate("""() => [...document.querySelectorAll('.prose th, .prose td')].flatMap(cell => {
        const text = cell.textContent.trim();
        if (text.length < 3) return [];
        const range = document.createRange(); range.selectNodeContents(cell);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        return text.length / lines < 2.5 ? [text] : []; })""")
    widest = page.evaluate("Math.max(...[...document.querySelectorAll('.prose table')].map(t => t.getBoundingClientRect().right))")
    context.close()
    assert squeezed == []
    assert widest <= 673                                        # and no table runs off the paper
