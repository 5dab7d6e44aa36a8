"""A teacher moves sliders in Chromium and the chart and numbers follow; presentation and predict modes."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

# simulation → (slider, key presses, chart that must change, headline number that must change)
MOVES = {
    "clv": ("r", ["ArrowRight"] * 4, "cumulative", "model1"),
    "lifecycle": ("churn1", ["ArrowRight"] * 5, "cohort", "total_profit"),
    "satisfaction": ("a", ["ArrowRight"] * 10, "gap", "difference"),
    "rfm": ("churn", ["ArrowRight"] * 10, "retention", "retention"),
}
RENDERS = "window.simulation ? window.simulation.renders : 0"


def open_simulation(page, live_server, name: str, query: str = ""):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/simulations/{name}{query}")
    page.wait_for_function(f"() => {RENDERS} > 0")
    return errors


CHART_DATA = "JSON.stringify(document.getElementById('chart-%s').data.map(t => [t.x, t.y]))"


def chart_data(page, chart: str) -> str:
    return page.evaluate(CHART_DATA % chart)


def stat(page, key: str):
    return page.locator(f'[data-stat="{key}"] .sim-stat__value')


def move(page, slider: str, keys: list[str]) -> None:
    before = page.evaluate(RENDERS)
    page.locator(f'input[type="range"][name="{slider}"]').focus()
    for key in keys:
        page.keyboard.press(key)
    page.wait_for_function(f"() => {RENDERS} > {before} && !window.simulation.busy")


@pytest.mark.parametrize("name", list(MOVES))
def test_moving_a_slider_redraws_the_chart_and_the_numbers(page, live_server, name):
    slider, keys, chart, key = MOVES[name]
    errors = open_simulation(page, live_server, name)
    screenshot(page, f"simulation-{name}-desktop")
    old_chart, old_value = chart_data(page, chart), stat(page, key).inner_text()
    old_slider = page.locator(f'input[type="range"][name="{slider}"]').input_value()

    move(page, slider, keys)

    new_slider = page.locator(f'input[type="range"][name="{slider}"]').input_value()
    assert new_slider != old_slider
    expect(page.locator(f'.sim-number[data-for="{slider}"]')).to_have_value(new_slider)
    expect(stat(page, key)).not_to_have_text(old_value)
    page.locator(f"#chart-{chart}").scroll_into_view_if_needed()  # charts off screen redraw when seen
    page.wait_for_function(f"() => {CHART_DATA % chart} !== {json.dumps(old_chart)}")
    expect(page).to_have_url(re.compile(rf"[?&]{slider}={re.escape(new_slider)}(&|$)"))
    assert errors == []


def test_charts_off_screen_catch_up_without_scrolling(page, live_server):
    open_simulation(page, live_server, "rfm")
    old = chart_data(page, "retention")
    move(page, "churn", ["ArrowRight"] * 6)
    page.wait_for_function(f"() => {CHART_DATA % 'retention'} !== {json.dumps(old)}", timeout=5000)
    assert page.evaluate("window.scrollY") == 0


def test_clv_shows_the_exercise_values_and_follows_a_shared_link(page, live_server):
    open_simulation(page, live_server, "clv")
    expect(stat(page, "model1")).to_have_text("9,210.08")
    expect(stat(page, "model3")).to_have_text("8,539.07")
    expect(page.locator("#sim-worked math").first).to_be_visible()
    page.get_by_role("button", name="习题二：客户 A 与客户 B").click()
    expect(stat(page, "model1")).to_have_text("5,855.04")
    expect(page).to_have_url(re.compile(r"In=500"))
    shared = page.url
    page.goto(shared)
    page.wait_for_function(f"() => {RENDERS} > 0")
    expect(page.locator('input[type="range"][name="Cs"]')).to_have_value("200")
    expect(page.locator('[data-table="compare"]')).to_contain_text("4,513.02")


def test_typing_a_number_updates_the_slider_and_the_result(page, live_server):
    open_simulation(page, live_server, "clv")
    before = page.evaluate(RENDERS)
    page.locator('.sim-number[data-for="n"]').fill("5")
    page.wait_for_function(f"() => {RENDERS} > {before}")
    expect(page.locator('input[type="range"][name="n"]')).to_have_value("5")
    expect(page.locator('[data-table="yearly"] tbody tr')).to_have_count(6)


def test_choice_switches_redraw(page, live_server):
    open_simulation(page, live_server, "rfm")
    page.get_by_text("教材例题：10 位会员", exact=True).click()
    expect(page.locator('[data-table="customers"] tbody tr')).to_have_count(10)
    expect(page.locator('[data-table="customers"] tbody tr').first).to_contain_text("重要价值客户")


def test_presentation_mode_is_large_high_contrast_and_in_the_url(page, live_server):
    open_simulation(page, live_server, "clv")
    normal = page.locator("#chart-cumulative").bounding_box()["height"]
    page.get_by_role("button", name="演示模式").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bsim-presenting\b"))
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".sim-explain")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"present=1"))
    page.wait_for_function("() => document.getElementById('chart-cumulative').layout.font.size === 24")
    assert page.locator("#chart-cumulative").bounding_box()["height"] > normal
    value_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.sim-stat__value')).fontSize)")
    assert value_size >= 32
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    screenshot(page, "simulation-clv-presentation")
    page.get_by_role("button", name="退出演示").click()
    expect(page.locator(".site-header")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"present=1"))


def test_predict_then_reveal_hides_results_until_revealed(page, live_server):
    open_simulation(page, live_server, "satisfaction")
    page.get_by_label("先预测，再揭晓").check()
    expect(page.locator("#sim-stats")).to_be_hidden()
    expect(page.get_by_role("button", name="揭晓结果")).to_be_visible()
    move(page, "b", ["ArrowLeft"] * 20)
    expect(page.locator("#sim-stats")).to_be_hidden()
    expect(page.locator("#sim-tables")).to_be_hidden()
    screenshot(page, "simulation-satisfaction-predict")
    page.get_by_role("button", name="揭晓结果").click()
    expect(page.locator("#sim-stats")).to_be_visible()
    expect(stat(page, "difference")).to_contain_text("不满意")


def test_chart_boxes_are_reserved_so_nothing_jumps(page, live_server):
    page.add_init_script("""
        document.addEventListener('DOMContentLoaded', () => {
            window.__tablesTop = document.getElementById('sim-tables').getBoundingClientRect().top + scrollY;
        });""")
    open_simulation(page, live_server, "lifecycle")
    after = page.evaluate("document.getElementById('sim-tables').getBoundingClientRect().top + scrollY")
    assert page.evaluate("window.__tablesTop") == pytest.approx(after, abs=1)
    assert page.locator("#chart-curve").bounding_box()["height"] == pytest.approx(360, abs=1)


def test_a_bad_value_typed_by_hand_is_flagged_not_sent(page, live_server):
    open_simulation(page, live_server, "clv")
    before = page.evaluate(RENDERS)
    page.locator('.sim-number[data-for="r"]').fill("99")
    expect(page.locator('.sim-number[data-for="r"]')).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(300)
    assert page.evaluate(RENDERS) == before


@pytest.mark.parametrize("name", list(MOVES))
def test_phone_layout_keeps_the_sliders_at_hand(phone_page, live_server, name):
    slider, keys, chart, key = MOVES[name]
    errors = open_simulation(phone_page, live_server, name)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, f"simulation-{name}-phone")
    phone_page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
    sheet = phone_page.locator("#sim-form").bounding_box()
    assert sheet["y"] + sheet["height"] == pytest.approx(844, abs=2)  # a bottom sheet, under the thumb
    old_value = stat(phone_page, key).inner_text()
    move(phone_page, slider, keys)
    expect(stat(phone_page, key)).not_to_have_text(old_value)
    screenshot(phone_page, f"simulation-{name}-phone-chart")
    assert errors == []


def test_gallery_links_every_simulation(page, live_server):
    page.goto(live_server + "/simulations/")
    for title in ("客户终身价值", "客户生命周期", "客户满意度", "RFM 客户分析"):
        expect(page.locator(".sim-card__title", has_text=title)).to_be_visible()
    screenshot(page, "simulation-gallery-desktop")


def test_gallery_on_a_phone(phone_page, live_server):
    phone_page.goto(live_server + "/simulations/")
    expect(phone_page.get_by_role("link", name=re.compile("^客户终身价值 CLV"))).to_be_visible()
    screenshot(phone_page, "simulation-gallery-phone")
