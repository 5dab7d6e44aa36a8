"""Figures by structure: which charts, which traces, which axis titles — and only what plotly.js `basic` draws."""
from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from simulations import SIMULATIONS, clv, lifecycle, rfm, satisfaction
from simulations.params import defaults

BASIC_BUNDLE_TRACES = {"scatter", "bar", "pie"}


def figure_json(module, chart: str, **params) -> dict:
    values = dict(defaults(module.PARAMS), **params)
    return module.figures(module.simulate(**values))[chart].to_plotly_json()


def names(fig: dict) -> list[str]:
    return [trace.get("name") for trace in fig["data"]]


def axis_titles(fig: dict) -> dict[str, str]:
    return {key: value["title"]["text"] for key, value in fig["layout"].items()
            if key.startswith(("xaxis", "yaxis")) and value.get("title", {}).get("text")}


@pytest.mark.parametrize("name, charts", [
    ("clv", ["cumulative", "compare", "sensitivity"]),
    ("lifecycle", ["curve", "cohort", "profit"]),
    ("satisfaction", ["gap", "kano", "loyalty", "nps"]),
    ("rfm", ["scatter", "segments", "pyramid", "pareto", "retention"]),
])
def test_each_simulation_draws_its_charts_with_basic_bundle_traces_only(name, charts):
    sim = SIMULATIONS[name]
    figures = sim.figures(sim.simulate(**defaults(sim.params)))
    assert list(figures) == charts
    for fig in figures.values():
        assert {trace.type for trace in fig.data} <= BASIC_BUNDLE_TRACES


def test_clv_cumulative_chart():
    fig = figure_json(clv, "cumulative")
    assert names(fig) == ["模型三 当年现值", "模型一", "模型三", "保持率模型", "盈亏平衡：第 0 年"]
    assert axis_titles(fig) == {"xaxis": "年份", "yaxis": "元"}
    assert fig["data"][1]["y"][-1] == pytest.approx(9210.08, abs=0.005)


def test_clv_cumulative_chart_without_break_even_has_no_marker():
    fig = figure_json(clv, "cumulative", Co=4000, Po=1000, In=100, Cs=100)
    assert not any("盈亏平衡" in name for name in names(fig)) and not fig["layout"].get("shapes")


def test_clv_break_even_is_named_in_the_legend_and_marked_by_a_line_not_a_label_on_the_curves():
    fig = figure_json(clv, "cumulative", Co=4000, Po=1000)
    star = next(trace for trace in fig["data"] if trace["name"].startswith("盈亏平衡"))
    assert star["name"] == "盈亏平衡：第 5 年" and star["mode"] == "markers" and "text" not in star
    assert [(s["x0"], s["x1"], s["line"]["dash"]) for s in fig["layout"]["shapes"]] == [(5, 5, "dot")]


def test_clv_compare_chart_groups_customer_a_and_b():
    fig = figure_json(clv, "compare")
    assert names(fig) == ["客户 A", "客户 B"]
    assert fig["data"][0]["x"] == ["模型一", "模型三", "保持率模型"]


def test_clv_sensitivity_chart_has_two_panels_over_r_and_n():
    fig = figure_json(clv, "sensitivity")
    assert len(fig["data"]) == 8
    assert axis_titles(fig) == {"xaxis": "利率 r（%）", "xaxis2": "交易年数 n（年）", "yaxis": "元", "yaxis2": "元"}


def test_lifecycle_charts():
    assert names(figure_json(lifecycle, "curve")) == ["关系水平", "交易量"]
    assert names(figure_json(lifecycle, "cohort")) == ["考察期", "形成期", "稳定期", "退化期", "已流失"]
    assert axis_titles(figure_json(lifecycle, "cohort")) == {"xaxis": "月", "yaxis": "人数"}
    assert names(figure_json(lifecycle, "profit")) == ["收入", "利润"]


def test_lifecycle_curve_shades_only_the_stages_that_last():
    shapes = figure_json(lifecycle, "curve", t1=4, t2=0, t3=0, t4=2)["layout"]["shapes"]
    assert len(shapes) == 2


def test_satisfaction_charts():
    assert names(figure_json(satisfaction, "kano")) == [
        "当然质量（基本型）", "房间干净、热水正常", "期望质量（期望型）", "退房效率", "迷人质量（魅力型）", "生日送上小蛋糕"]
    assert names(figure_json(satisfaction, "loyalty")) == ["竞争激烈的行业", "竞争程度低的行业", "当前满意度"]
    assert names(figure_json(satisfaction, "nps")) == ["贬损者 0–6", "被动者 7–8", "推荐者 9–10"]
    assert figure_json(satisfaction, "nps")["layout"]["title"]["text"] == "NPS = 25.0"
    assert axis_titles(figure_json(satisfaction, "kano")) == {"xaxis": "实现程度（%）", "yaxis": "满意度"}


def test_rfm_charts():
    assert names(figure_json(rfm, "scatter")) == [name for name, _ in rfm.SEGMENTS.values()]
    assert names(figure_json(rfm, "pyramid")) == ["客户占比", "收入占比"]
    assert names(figure_json(rfm, "pareto")) == ["帕累托曲线", "完全平均", "前 20% 客户"]
    assert names(figure_json(rfm, "retention")) == ["保持率", "流失率"]
    assert axis_titles(figure_json(rfm, "retention")) == {"xaxis": "月份", "yaxis": "%"}


def test_rfm_textbook_data_has_no_retention_lines():
    assert figure_json(rfm, "retention", data="textbook")["data"] == []


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_figures_carry_a_small_template(name):
    sim = SIMULATIONS[name]
    for fig in sim.figures(sim.simulate(**defaults(sim.params))).values():
        assert len(json.dumps(fig.to_plotly_json()["layout"]["template"], cls=PlotlyJSONEncoder)) < 300
