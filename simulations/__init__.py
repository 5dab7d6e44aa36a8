"""Classroom simulations: a registry of models, each a pure simulate() with figures, numbers and tables.

A model module provides PARAMS (declared once: sliders, validation, JSON), PRESETS, simulate(**params)
→ a frozen dataclass, and summary(result) / tables(result) / figures(result) for the page.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable

import plotly.graph_objects as go

from . import clv, lifecycle, rfm, satisfaction
from .display import Stat, Table
from .params import Param, Value


@dataclass(frozen=True)
class ChapterLink:
    slug: str
    anchor: str
    text: str


@dataclass(frozen=True)
class Simulation:
    name: str
    title: str
    tagline: str
    params: tuple[Param, ...]
    presets: tuple[tuple[str, dict[str, Value]], ...]
    simulate: Callable[..., Any]
    summary: Callable[[Any], tuple[Stat, ...]]
    tables: Callable[[Any], tuple[Table, ...]]
    figures: Callable[[Any], dict[str, go.Figure]]
    chapters: tuple[ChapterLink, ...]
    chart_sizes: dict[str, str] = field(default_factory=dict)  # chart → "tall" (two panels) or "roomy" (long legend)
    chart_titles: dict[str, str] = field(default_factory=dict)  # a name for a chart whose figure has no title


def _simulation(module, **fields) -> Simulation:
    return Simulation(params=module.PARAMS, presets=module.PRESETS, simulate=module.simulate,
                      summary=module.summary, tables=module.tables, figures=module.figures, **fields)


SIMULATIONS: dict[str, Simulation] = {
    "clv": _simulation(
        clv, name="clv", title="客户终身价值",
        tagline="CLV（也称客户终生价值）：模型一、模型三与保持率模型，逐年折现、累计价值与盈亏平衡、客户 A/B 对比、利率与年数的敏感性",
        chapters=(ChapterLink("customer-lifecycle", "clv-models", "客户终身价值的计算模型"),
                  ChapterLink("customer-lifecycle", "clv-worked-example", "例题：模型一与模型三"),
                  ChapterLink("customer-lifecycle", "clv-comparison", "例题：比较客户 A 与客户 B"),
                  ChapterLink("retention-churn", "retention-rate", "客户保持率与客户流失率")),
        chart_sizes={"sensitivity": "tall"}, chart_titles={"sensitivity": "敏感性：CLV 随利率 r 与年数 n 变化"}),
    "lifecycle": _simulation(
        lifecycle, name="lifecycle", title="客户生命周期",
        tagline="考察期、形成期、稳定期、退化期：四种发展模式，以及一群客户在各阶段之间的流动、收入与利润",
        chapters=(ChapterLink("customer-lifecycle", "four-stage-model", "客户关系发展的四阶段模型"),
                  ChapterLink("customer-lifecycle", "stage-strategies", "各阶段的管理策略"),
                  ChapterLink("customer-lifecycle", "lifecycle-patterns", "客户关系发展的四种模式"))),
    "satisfaction": _simulation(
        satisfaction, name="satisfaction", title="客户满意度",
        tagline="满意度 = 体验 − 期望与 C = b/a、卡诺模型的三类质量、满意与忠诚（竞争激烈 vs 竞争弱）、净推荐值 NPS",
        chapters=(ChapterLink("satisfaction-loyalty", "satisfaction-formula", "客户满意度的计算"),
                  ChapterLink("satisfaction-loyalty", "kano-model", "卡诺模型"),
                  ChapterLink("satisfaction-loyalty", "competition-relationship", "满意与忠诚：行业竞争状况的影响"),
                  ChapterLink("satisfaction-loyalty", "nps", "净推荐值（NPS）"))),
    "rfm": _simulation(
        rfm, name="rfm", title="RFM 客户分析",
        tagline="最近一次消费、消费频率、消费金额：五分位打分、八类客户、客户金字塔与 80/20、逐月保持率",
        chapters=(ChapterLink("customer-data", "rfm-scoring", "RFM 五分位打分法"),
                  ChapterLink("customer-data", "rfm-segments", "基于 RFM 的客户分群与策略"),
                  ChapterLink("customer-identification", "abc-analysis", "80/20 法则与 ABC 分析法"),
                  ChapterLink("customer-identification", "customer-pyramid", "客户金字塔模型"),
                  ChapterLink("retention-churn", "retention-rate", "客户保持率与客户流失率")),
        chart_sizes={"scatter": "roomy"}),
}

# Practice questions (issue 3) per simulation: permanent question ids in content/questions/*.yaml.
# The quiz package lights these up by putting a function in app.extensions[QUESTION_LINK]:
# question_id -> (label, url) or None. Until then the page offers chapter practice (if the quiz
# blueprint is there) or nothing at all.
QUESTION_LINK = "question_link"
PRACTICE: dict[str, tuple[str, ...]] = {
    "clv": ("calc-clv-model-one", "calc-clv-model-three", "clv-customers-a-b-model-comparison-short"),
    "lifecycle": ("lifecycle-four-stages-fill", "lifecycle-four-patterns-fill", "decline-stage-strategies-multi"),
    "satisfaction": ("satisfaction-ratio-b-meaning", "calc-satisfaction-ratio", "calc-net-promoter-score"),
    "rfm": ("term-rfm-model", "calc-rfm-weighted-score", "calc-retention-rate"),
}


@dataclass(frozen=True)
class Outcome:
    """One run of a simulation with everything the page shows."""

    params: dict[str, Value]
    result: Any
    summary: tuple[Stat, ...]
    tables: tuple[Table, ...]
    figures: dict[str, go.Figure]


def run(sim: Simulation, values: dict[str, Value]) -> Outcome:
    result = sim.simulate(**values)
    return Outcome(values, result, sim.summary(result), sim.tables(result), sim.figures(result))


def payload(sim: Simulation, outcome: Outcome, render_tex: Callable[[str], str]) -> dict:
    """The data.json body: parameters, every field of the result at top level, and the page's view."""
    return {
        "simulation": sim.name,
        "params": outcome.params,
        **dataclasses.asdict(outcome.result),
        "view": {
            "summary": [dict(dataclasses.asdict(s), html=render_tex(s.tex) if s.tex else "") for s in outcome.summary],
            "tables": [dataclasses.asdict(t) for t in outcome.tables],
            "figures": {key: fig.to_plotly_json() for key, fig in outcome.figures.items()},
        },
    }
