"""A teacher projects a simulation at 1920×1080: type for the back row, one chart at a time, predictions
written on the page and revealed beside the results, a QR code for phones, PNG export, clamped number boxes."""
from __future__ import annotations

import re
import struct
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM_ARGS, screenshot  # noqa: F401  (CHROMIUM_ARGS documents the browser)

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1920, "height": 1080}
RENDERS = "window.simulation ? window.simulation.renders : 0"
CHARTS = {"clv": 3, "lifecycle": 3, "satisfaction": 4, "rfm": 5}


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport=PROJECTOR, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def open_simulation(page, live_server, name: str, query: str = "") -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/simulations/{name}{query}")
    page.wait_for_function(f"() => {RENDERS} > 0 && !window.simulation.busy")
    return errors


def move(page, slider: str, keys: list[str]) -> None:
    before = page.evaluate(RENDERS)
    page.locator(f'input[type="range"][name="{slider}"]').focus()
    for key in keys:
        page.keyboard.press(key)
    page.wait_for_function(f"() => {RENDERS} > {before} && !window.simulation.busy")


def font_sizes(page, selector: str) -> list[float]:
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length)
                              .map(e => parseFloat(getComputedStyle(e).fontSize))""", selector)


WORDS_BROKEN = """() => [...document.querySelectorAll('.sim-stat dt, .sim-stat__value')].flatMap(el => {
    const node = el.firstChild, text = node.textContent, broken = [];
    let from = 0;
    for (const word of text.split(/[\\s：，、；（）]+/).filter(Boolean)) {   // a line may break after punctuation
        const start = text.indexOf(word, from), range = document.createRange();
        range.setStart(node, start); range.setEnd(node, start + word.length);
        if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) broken.push(word);
        from = start + word.length;
    }
    return broken; })"""


@pytest.mark.parametrize("name", list(CHARTS))
def test_presentation_type_is_at_least_24px_and_one_chart_fills_the_screen(projector, live_server, name):
    page = projector
    errors = open_simulation(page, live_server, name, "?present=1")
    current = page.locator(".sim-figure.is-current [data-chart]")
    page.wait_for_function("() => { const c = document.querySelector('.sim-figure.is-current [data-chart]');"
                           " return c && c.layout && c.layout.font.size === 24; }")
    for selector in (".sim-field__label", ".sim-group legend", ".sim-number",
                     ".sim-figure.is-current .xtick text", ".sim-figure.is-current .ytick text"):
        sizes = font_sizes(page, selector)
        assert sizes and min(sizes) >= 24, (selector, sizes)
    titles = font_sizes(page, ".sim-figure.is-current .g-xtitle text, .sim-figure.is-current .g-ytitle text")
    assert titles and min(titles) >= 24                             # axis titles (a bar chart may have only one)
    assert page.evaluate(WORDS_BROKEN) == []                      # 9,210.08 or 很满意 never split across lines
    expect(page.locator(".sim-figure:visible")).to_have_count(1)
    box = current.bounding_box()
    assert box["height"] >= 0.55 * 1080 and box["y"] + box["height"] <= 1080
    screenshot(page, f"simulation-{name}-projector")

    label = page.locator("#sim-chart-label")
    expect(label).to_contain_text(f"图 1 / {CHARTS[name]}")
    page.keyboard.press("ArrowRight")
    expect(label).to_contain_text(f"图 2 / {CHARTS[name]}")
    expect(page.locator(".sim-figure:visible")).to_have_count(1)
    second = page.locator(".sim-figure.is-current").get_attribute("data-figure")
    page.wait_for_function(f"() => document.getElementById('chart-{second}').layout && "
                           f"document.getElementById('chart-{second}').layout.font.size === 24")
    assert page.locator(f"#chart-{second}").bounding_box()["height"] >= 0.55 * 1080
    page.keyboard.press("PageUp")
    expect(label).to_contain_text("图 1 /")
    page.keyboard.press(str(CHARTS[name]))
    expect(label).to_contain_text(f"图 {CHARTS[name]} / {CHARTS[name]}")
    page.get_by_role("button", name="下一张 ▶").click()
    expect(label).to_contain_text("图 1 /")
    assert errors == []


def test_predictions_are_written_on_the_page_and_revealed_beside_before_and_after(page, live_server):
    open_simulation(page, live_server, "satisfaction")
    page.get_by_label("先预测，再揭晓").check()
    expect(page.locator("#sim-stats")).to_be_hidden()
    page.get_by_label("满意度（差值）").fill("0")
    page.get_by_label("满意度 C = b/a").fill("0.9")
    expect(page.locator(".sim-predict__field", has_text="满意度（差值）")).to_contain_text("之前 +1 · 很满意")
    move(page, "b", ["ArrowLeft"] * 20)                           # b 9 → 7: the class cannot see the result yet
    expect(page.locator("#sim-stats")).to_be_hidden()
    screenshot(page, "simulation-predict-written")
    page.get_by_role("button", name="揭晓结果").click()

    difference = page.locator('[data-stat="difference"] .sim-stat__compare')
    expect(difference.locator(".sim-compare__change")).to_have_text("之前 +1 · 很满意 → 之后 -1 · 不满意（−2）")
    expect(difference.locator(".sim-compare__prediction")).to_have_text("预测 0，相差 −1")
    ratio = page.locator('[data-stat="ratio"] .sim-stat__compare')
    expect(ratio.locator(".sim-compare__change")).to_have_text("之前 1.125 · 很满意 → 之后 0.875 · 不满意（−0.250）")
    expect(ratio.locator(".sim-compare__prediction")).to_have_text("预测 0.9，相差 −0.025")
    expect(page.locator('[data-stat="nps"] .sim-compare__prediction')).to_have_text("没有写预测")
    expect(page.locator('[data-stat="nps"] .sim-compare__change')).to_have_text("之前 25.0 → 之后 25.0（±0）")
    screenshot(page, "simulation-predict-revealed")

    move(page, "a", ["ArrowLeft"] * 10)                           # the next change starts a new round from here
    expect(page.locator("#sim-stats")).to_be_hidden()
    expect(page.get_by_label("满意度（差值）")).to_have_value("")
    expect(page.locator(".sim-predict__field", has_text="满意度（差值）")).to_contain_text("之前 -1 · 不满意")


def test_predict_and_reveal_on_the_projector(projector, live_server):
    page = projector
    open_simulation(page, live_server, "clv", "?present=1&predict=1")
    expect(page.locator("#sim-chart-label")).to_have_text("图 1 / 3")     # the title would give the answer away
    page.get_by_label("模型一 CLV").fill("8000")
    assert min(font_sizes(page, ".sim-predict__input, .sim-predict__label")) >= 22
    move(page, "n", ["ArrowLeft"] * 2)
    screenshot(page, "simulation-clv-projector-predict")
    page.get_by_role("button", name="揭晓结果").click()
    expect(page.locator('[data-stat="model1"] .sim-compare__change')).to_have_text("之前 9,210.08 → 之后 8,246.64（−963.44）")
    expect(page.locator('[data-stat="model1"] .sim-compare__prediction')).to_have_text("预测 8,000，相差 +246.64")
    assert min(font_sizes(page, ".sim-stat__compare")) >= 22
    screenshot(page, "simulation-clv-projector-revealed")


def decode_qr(page) -> str:
    """Draw the QR image onto a canvas in the page and decode its pixels with zxing-cpp."""
    import zxingcpp

    page.wait_for_function("() => document.getElementById('sim-qr-img').complete && document.getElementById('sim-qr-img').naturalWidth > 0")
    size, pixels = page.evaluate("""() => {
        const img = document.getElementById('sim-qr-img'), size = 600, canvas = document.createElement('canvas');
        canvas.width = canvas.height = size;
        const ctx = canvas.getContext('2d');
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(img, 0, 0, size, size);
        const rgba = ctx.getImageData(0, 0, size, size).data, grey = [];
        for (let i = 0; i < rgba.length; i += 4) grey.push(rgba[i + 1]);
        return [size, grey]; }""")
    found = zxingcpp.read_barcodes(np.array(pixels, dtype=np.uint8).reshape(size, size))
    assert len(found) == 1
    return found[0].text


def scenario(url: str) -> tuple[str, dict]:
    parts = urlsplit(url)
    return parts.path, {k: v for k, v in parse_qsl(parts.query) if k not in ("present", "predict")}


def test_qr_code_opens_the_current_scenario(page, live_server):
    open_simulation(page, live_server, "clv", "?present=1")
    page.get_by_role("button", name="习题二：客户 A 与客户 B").click()
    page.wait_for_function("() => !window.simulation.busy")
    page.get_by_role("button", name="手机扫码打开").click()
    panel = page.get_by_role("dialog", name="用手机扫码，打开当前参数下的这个模拟")
    expect(panel.get_by_role("img", name="二维码：打开当前场景")).to_be_visible()
    decoded = decode_qr(page)
    assert decoded.startswith(live_server + "/simulations/clv?")
    assert scenario(decoded) == scenario(page.url) and scenario(decoded)[1]["In"] == "500"
    expect(page.locator("#sim-qr-url")).to_have_text(decoded)
    expect(page.locator("#sim-qr-local")).to_be_visible()          # 127.0.0.1 is not reachable from a phone
    screenshot(page, "simulation-qr")
    move(page, "r", ["ArrowRight"] * 2)
    page.wait_for_function("() => document.getElementById('sim-qr-img').src.includes('r=9')")
    decoded = decode_qr(page)
    assert scenario(decoded)[1]["r"] == "9" and scenario(decoded) == scenario(page.url)
    page.get_by_label("先预测，再揭晓").check()                     # phones start with the results hidden too
    page.wait_for_function("() => document.getElementById('sim-qr-img').src.includes('predict=1')")
    assert urlsplit(decode_qr(page)).query.endswith("&predict=1")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.locator("body")).to_have_class(re.compile(r"\bsim-presenting\b"))   # Esc closed the card first


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_save_image_downloads_the_chart_as_png(page, live_server):
    open_simulation(page, live_server, "clv")
    chart = page.locator("#chart-cumulative").bounding_box()
    with page.expect_download() as download:
        page.locator('[data-save="cumulative"]').click()
    assert download.value.suggested_filename == "clv-cumulative.png"
    width, height = png_size(open(download.value.path(), "rb").read())
    assert (width, height) == (round(chart["width"] - 2) * 2, round(chart["height"] - 2) * 2)   # the box, at 2×

    page.get_by_role("button", name="演示模式").click()
    page.keyboard.press("ArrowRight")
    with page.expect_download() as download:
        page.get_by_role("button", name="保存图片", exact=True).click()
    assert download.value.suggested_filename == "clv-compare.png"
    png_size(open(download.value.path(), "rb").read())


def test_number_box_shows_its_range_and_clamps_with_a_message(page, live_server):
    open_simulation(page, live_server, "clv")
    box, slider = page.locator('.sim-number[data-for="r"]'), page.locator('input[type="range"][name="r"]')
    expect(page.locator("#range-r")).to_have_text("可输入 0–30 %")
    before = page.evaluate(RENDERS)
    box.fill("99")
    expect(box).to_have_attribute("aria-invalid", "true")
    box.press("Tab")
    expect(box).to_have_value("30")
    expect(slider).to_have_value("30")
    expect(page.locator("#msg-r")).to_have_text("最大为 30，已改为 30")
    page.wait_for_function(f"() => {RENDERS} > {before} && !window.simulation.busy")
    expect(page).to_have_url(re.compile(r"[?&]r=30(&|$)"))
    expect(box).not_to_have_attribute("aria-invalid", "true")
    screenshot(page, "simulation-clamp")

    box.fill("-5")
    box.press("Enter")
    expect(box).to_have_value("0")
    expect(page.locator("#msg-r")).to_have_text("最小为 0，已改为 0")
    n = page.locator('.sim-number[data-for="n"]')
    n.fill("5.5")
    n.press("Tab")
    expect(n).to_have_value("6")
    expect(page.locator("#msg-n")).to_have_text("须为整数，已改为 6")
    expect(page.locator('[data-table="yearly"] tbody tr')).to_have_count(7)
    n.fill("")
    n.press("Tab")
    expect(n).to_have_value("6")
    expect(page.locator("#msg-n")).to_have_text("请输入数字，已恢复为 6")
    move(page, "n", ["ArrowRight"])
    expect(page.locator("#msg-n")).to_have_text("")


OVERLAPS = """([chart, needle]) => {
    const root = document.getElementById('chart-' + chart), box = r => r.getBoundingClientRect();
    const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const plot = box(root.querySelector('.draglayer .xy .nsewdrag'));
    const outer = box(root);
    const ticks = [...root.querySelectorAll('.xtick text, .ytick text')].map(box);
    const labels = [...root.querySelectorAll('text')].filter(t => t.textContent.includes(needle)).map(box);
    return labels.map(l => ({plot: hit(l, plot), tick: ticks.some(t => hit(l, t)),
                             inside: l.left >= outer.left && l.right <= outer.right && l.top >= outer.top && l.bottom <= outer.bottom}));
}"""


@pytest.mark.parametrize("size", ["desktop", "phone", "projector"])
def test_kano_axis_title_and_break_even_label_clear_the_curves_and_ticks(browser, live_server, size):
    viewport = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}, "projector": PROJECTOR}[size]
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    present = "&present=1" if size == "projector" else ""
    for name, chart, query, needle in (("satisfaction", "kano", "", "满意度"),
                                       ("clv", "cumulative", "Co=4000&Po=1000", "盈亏平衡")):
        open_simulation(page, live_server, name, f"?{query}{present}")
        if size == "projector" and chart != "cumulative":
            page.keyboard.press("2")
        page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
        page.wait_for_function(f"() => document.querySelector('#chart-{chart} .draglayer .xy .nsewdrag')")
        found = page.evaluate(OVERLAPS, [chart, needle])
        assert found and all(f == {"plot": False, "tick": False, "inside": True} for f in found), (name, found)
        page.locator(f"#chart-{chart}").screenshot(path=str(screenshot.__globals__["ARTIFACTS"] / f"chart-{chart}-{size}.png"))
    context.close()


def test_entering_projector_mode_redraws_the_chart_at_its_new_size(page, live_server):
    open_simulation(page, live_server, "clv")   # drawn for the page first, then the layout changes under it
    page.get_by_role("button", name="演示模式").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bsim-presenting\b"))
    fits = """() => [...document.querySelectorAll('[data-chart]')].filter(c => c.offsetParent && c._fullLayout)
                   .every(c => Math.abs(c._fullLayout.width - c.clientWidth) <= 4)"""
    page.wait_for_function(fits, timeout=5000)
    page.get_by_role("button", name="退出演示").click()
    page.wait_for_function(fits, timeout=5000)
