"""RFM 客户分析: a seeded customer data set, quintile scores, eight segments, the pyramid / 80-20, 保持率."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .charts import BLUE, GREEN, GREY, ORANGE, PURPLE, RED, SKY, YELLOW, band, figure
from .display import Stat, Table, money, pct
from .params import Choice, Number
from .ranking import LEVELS, abc_classes, pareto, pyramid_levels, quintile_scores, top_share

DAYS, MONTHS = 365, 12
DATA = "生成的客户数据（一年的交易记录）"
PARAMS = (
    Number("N", "客户数", "人", 50, 1000, 10, 300, DATA, integer=True),
    Number("freq", "每月平均购买次数", "次", 0.1, 4, 0.1, 0.8, DATA),
    Number("aov", "平均每单金额", "元", 20, 1000, 10, 200, DATA),
    Number("spread", "客户消费差异（越大越集中）", "", 0.2, 2, 0.1, 1.0, DATA),
    Number("churn", "月流失率", "%", 0, 30, 0.5, 5, DATA),
    Number("seed", "随机种子", "", 1, 9999, 1, 7, DATA, integer=True),
    Choice("data", "数据来源", (("generated", "按上面的参数随机生成"), ("textbook", "教材例题：10 位会员")), "generated",
           "数据来源"),
)
PRESETS = (
    ("消费高度集中", {"spread": 1.8}),
    ("消费比较平均", {"spread": 0.3}),
    ("流失严重", {"churn": 15}),
    ("换一批客户", {"seed": 42}),
    ("教材例题（10 位会员）", {"data": "textbook"}),
)

# (R high, F high, M high) → segment name, strategy. "High" means a score of 4 or 5.
SEGMENTS = {  # the chapter's table (7.4)
    (True, True, True): ("重要价值客户", "最近买过、常买、花得多：VIP 服务、专属权益，重点维护"),
    (True, False, True): ("重要发展客户", "最近买过、金额高但次数少：提高购买频率，如会员计划、交叉销售"),
    (False, True, True): ("重要保持客户", "曾经忠诚且贡献大，但最近没来：主动联系、关怀回访，防止流失"),
    (False, False, True): ("重要挽留客户", "金额高，但很久没来、次数也少：调查原因，针对性挽回"),
    (True, True, False): ("一般价值客户", "活跃但客单价低：推荐高价值产品，升级销售"),
    (True, False, False): ("一般发展客户", "新客户或偶尔购买：新客引导，培养购买习惯"),
    (False, True, False): ("一般保持客户", "过去常来、金额低、最近沉寂：低成本提醒，如短信、优惠券"),
    (False, False, False): ("一般挽留客户", "价值最低，可能已流失：低成本维系或适度放弃"),
}
SEGMENT_COLOURS = (GREEN, BLUE, PURPLE, RED, SKY, YELLOW, ORANGE, GREY)
WEIGHTS = (0.3, 0.3, 0.4)  # w_R, w_F, w_M of the chapter's worked example
# The chapter's worked example (7.4): ten members on 2024-06-30 — days since last purchase, purchases, 元.
TEXTBOOK = (("A", 3, 16, 12800), ("B", 80, 20, 15600), ("C", 8, 3, 9200), ("D", 160, 2, 7600),
            ("E", 15, 11, 5400), ("F", 21, 1, 1800), ("G", 40, 9, 4300), ("H", 55, 7, 2100),
            ("I", 110, 1, 600), ("J", 240, 6, 450))


@dataclass(frozen=True)
class CustomerRow:
    id: str
    recency: int  # days since the last purchase
    frequency: int
    monetary: float
    r: int
    f: int
    m: int
    score: float  # w_R·R + w_F·F + w_M·M
    segment: str
    level: str


@dataclass(frozen=True)
class SegmentRow:
    name: str
    strategy: str
    customers: int
    revenue_share: float


@dataclass(frozen=True)
class LevelRow:
    name: str
    customers: int
    customer_share: float
    revenue: float
    revenue_share: float


@dataclass(frozen=True)
class PeriodRow:
    month: int
    at_start: int
    churned: int
    churn_rate: float | None
    retention_rate: float | None  # 保持率 = 1 − 流失率
    surviving: float  # share of the original customers still here at the end of the month


@dataclass(frozen=True)
class RfmResult:
    customers: tuple[CustomerRow, ...]
    thresholds: dict[str, tuple[float, ...]]  # the 20/40/60/80% quantiles used for scoring
    segments: tuple[SegmentRow, ...]
    levels: tuple[LevelRow, ...]
    pareto_x: tuple[float, ...]  # cumulative share of customers, best first
    pareto_y: tuple[float, ...]  # cumulative share of revenue
    top20_share: float
    abc_counts: dict[str, int]
    periods: tuple[PeriodRow, ...]
    total_revenue: float


def segment(r: int, f: int, m: int) -> str:
    return SEGMENTS[(r > 3, f > 3, m > 3)][0]


def generate(N: int, freq: float, aov: float, spread: float, churn: float, seed: int):
    """One year of purchases: recency (days), frequency, monetary per customer, and months survived."""
    rng = np.random.default_rng(seed)
    life = rng.geometric(churn, N) if churn > 0 else np.full(N, MONTHS + 1)  # churns at the end of month `life`
    alive = np.arange(1, MONTHS + 1)[None, :] <= life[:, None]
    rate = rng.gamma(2.0, freq / 2, N)
    counts = rng.poisson(rate[:, None] * alive)
    counts[counts.sum(axis=1) == 0, 0] = 1  # everyone in the data set bought at least once
    last_month = MONTHS - 1 - np.argmax(counts[:, ::-1] > 0, axis=1)
    k = counts[np.arange(N), last_month]
    day = (last_month + rng.random(N) ** (1 / k)) * DAYS / MONTHS  # the latest of k uniform days in that month
    frequency = counts.sum(axis=1)
    mean_spend = rng.lognormal(np.log(aov) - spread ** 2 / 2, spread, N)
    monetary = mean_spend * frequency * rng.lognormal(-0.045, 0.3 / np.sqrt(frequency))
    return np.floor(DAYS - day).astype(int), frequency, monetary.round(2), life


def simulate(N: int = 300, freq: float = 0.8, aov: float = 200, spread: float = 1.0, churn: float = 5,
             seed: int = 7, data: str = "generated") -> RfmResult:
    if data == "textbook":
        ids, recency, frequency, monetary = zip(*TEXTBOOK)
        return analyse(ids, recency, frequency, monetary, life=None)
    recency, frequency, monetary, life = generate(N, freq, aov, spread, churn / 100, seed)
    return analyse([str(i + 1) for i in range(N)], recency, frequency, monetary, life)


def analyse(ids, recency, frequency, monetary, life=None) -> RfmResult:
    """Score, segment and rank a customer table; `life` (months each customer stayed) gives 保持率."""
    recency, frequency, monetary = (np.asarray(v, dtype=float) for v in (recency, frequency, monetary))
    (r, r_cuts), (f, f_cuts), (m, m_cuts) = (quintile_scores(recency, False), quintile_scores(frequency),
                                             quintile_scores(monetary))
    levels = pyramid_levels(monetary)
    customers = tuple(
        CustomerRow(str(ids[i]), int(recency[i]), int(frequency[i]), float(monetary[i]), int(r[i]), int(f[i]),
                    int(m[i]), round(float(np.dot(WEIGHTS, (r[i], f[i], m[i]))), 2), segment(r[i], f[i], m[i]),
                    levels[i])
        for i in range(len(recency))
    )
    total = float(monetary.sum())
    x, y = pareto(monetary)
    return RfmResult(
        customers, {"R": tuple(r_cuts.tolist()), "F": tuple(f_cuts.tolist()), "M": tuple(m_cuts.tolist())},
        _segments(customers, total), _level_rows(customers, total), x, y, top_share(monetary, 0.2),
        abc_classes(monetary), () if life is None else _periods(np.asarray(life)), total,
    )


def _segments(customers, total: float) -> tuple[SegmentRow, ...]:
    rows = []
    for name, strategy in SEGMENTS.values():
        members = [c for c in customers if c.segment == name]
        rows.append(SegmentRow(name, strategy, len(members), sum(c.monetary for c in members) / total))
    return tuple(rows)


def _level_rows(customers, total: float) -> tuple[LevelRow, ...]:
    n = len(customers)
    rows = []
    for name, _ in LEVELS:
        members = [c for c in customers if c.level == name]
        revenue = sum(c.monetary for c in members)
        rows.append(LevelRow(name, len(members), len(members) / n, revenue, revenue / total))
    return tuple(rows)


def _periods(life: np.ndarray) -> tuple[PeriodRow, ...]:
    rows = []
    for month in range(1, MONTHS + 1):
        at_start, churned = int((life >= month).sum()), int((life == month).sum())
        rate = churned / at_start if at_start else None
        rows.append(PeriodRow(month, at_start, churned, rate, None if rate is None else 1 - rate,
                              (at_start - churned) / len(life)))
    return tuple(rows)


# --- what the page shows ---------------------------------------------------------------------------

def summary(res: RfmResult) -> tuple[Stat, ...]:
    best = next(s for s in res.segments if s.name == "重要价值客户")
    a, n = res.abc_counts["A"], len(res.customers)
    stats = [
        Stat("top20", "前 20% 客户贡献的收入", pct(res.top20_share), note="80/20 法则：少数客户贡献大部分利润",
             value=round(100 * res.top20_share, 1)),
        Stat("abc", "A 类客户（累计贡献 ≤ 70%）", f"{a} 人 · {pct(a / n)}",
             note=f"B 类（累计到 85%）{res.abc_counts['B']} 人，C 类 {res.abc_counts['C']} 人", value=a),
        Stat("best", "重要价值客户（R、F、M 都高）", f"{best.customers} 人", note=f"贡献 {pct(best.revenue_share)} 的收入",
             value=best.customers),
    ]
    if res.periods:
        first, last = res.periods[0], res.periods[-1]
        churned, exposed = sum(p.churned for p in res.periods), sum(p.at_start for p in res.periods)
        stats.append(Stat(
            "retention", "第 1 月保持率", pct(first.retention_rate),
            rf"1 - \frac{{{first.churned}}}{{{first.at_start}}} = {pct(first.retention_rate).rstrip('%')}\%",
            note="保持率 = 1 − 流失率；流失率 = 本期流失客户数 ÷ 期初客户数", value=None if first.retention_rate is None else round(100 * first.retention_rate, 1)))
        stats.append(Stat(
            "duration", "平均关系持续时间 ≈ 1 ÷ 流失率",
            "—" if not churned else f"{exposed / churned:.1f} 个月",
            note=f"全年平均月流失率 {pct(churned / exposed if exposed else None)}；"
                 f"12 个月后仍留存 {pct(last.surviving)}", value=round(exposed / churned, 1) if churned else None))
    return tuple(stats)


def tables(res: RfmResult) -> tuple[Table, ...]:
    sample = Table("customers", f"客户 RFM 打分（前 {min(12, len(res.customers))} 位；综合得分 = 0.3R + 0.3F + 0.4M）", (
        "客户", "R 距上次消费（天）", "F 次数", "M 金额（元）", "R 分", "F 分", "M 分", "综合得分", "类别"), tuple(
        (c.id, str(c.recency), str(c.frequency), money(c.monetary), str(c.r), str(c.f), str(c.m), f"{c.score:.1f}",
         c.segment) for c in res.customers[:12]), text_columns=(8,))
    cuts = Table("thresholds", "五分位分界线：F、M 超过一条线加 1 分；R（天数）低于一条线加 1 分", (
        "指标", "1→2 分", "2→3 分", "3→4 分", "4→5 分"), tuple(
        (name, *(f"{v:,.1f}" for v in values)) for name, values in res.thresholds.items()))
    segments = Table("segments", "八类客户（得分 ≥ 4 记为“高”）", ("类别", "人数", "收入占比", "策略"), tuple(
        (s.name, str(s.customers), pct(s.revenue_share), s.strategy) for s in res.segments), text_columns=(3,))
    levels = Table("levels", "客户金字塔（按消费金额排序：1% / 4% / 15% / 80%）", (
        "层级", "人数", "客户占比", "收入（元）", "收入占比"), tuple(
        (lv.name, str(lv.customers), pct(lv.customer_share), money(lv.revenue, 0), pct(lv.revenue_share))
        for lv in res.levels))
    tables_ = [sample, cuts, segments, levels]
    if res.periods:
        tables_.append(Table("periods", "逐月保持率（只看期初客户，没有新客户加入）", (
            "月份", "期初客户数", "本月流失", "流失率", "保持率 = 1 − 流失率", "仍留存（占最初）"), tuple(
            (str(p.month), str(p.at_start), str(p.churned), pct(p.churn_rate), pct(p.retention_rate), pct(p.surviving))
            for p in res.periods)))
    return tuple(tables_)


def figures(res: RfmResult) -> dict[str, go.Figure]:
    return {"scatter": _scatter_figure(res), "segments": _segment_figure(res), "pyramid": _pyramid_figure(res),
            "pareto": _pareto_figure(res), "retention": _retention_figure(res)}


def _scatter_figure(res: RfmResult) -> go.Figure:
    traces = []
    for (name, _), colour in zip(SEGMENTS.values(), SEGMENT_COLOURS):
        members = [c for c in res.customers if c.segment == name]
        traces.append({"type": "scatter", "mode": "markers", "name": name, "x": [c.recency for c in members],
                       "y": [c.monetary for c in members], "text": [f"客户 {c.id}：F={c.frequency}" for c in members],
                       "marker": {"color": colour, "size": [min(6 + 2 * c.frequency, 22) for c in members],
                                  "opacity": 0.75, "line": {"width": 0.5, "color": "#fff"}}})
    return figure(traces, "客户分布：R × M（点越大，F 越大）", "R：最近一次消费距今（天）", "M：消费金额（元）",
                  hovermode="closest", yaxis={"type": "log", "dtick": 1})


def _segment_figure(res: RfmResult) -> go.Figure:
    rows = res.segments[::-1]
    traces = [{"type": "bar", "orientation": "h", "y": [s.name for s in rows], "x": [s.customers for s in rows],
               "marker": {"color": list(SEGMENT_COLOURS[::-1])}, "text": [f"收入 {pct(s.revenue_share)}" for s in rows],
               "textposition": "auto"}]
    return figure(traces, "八类客户的人数", "人数", "", hovermode="closest", showlegend=False,
                  margin={"l": 100, "r": 16, "t": 44, "b": 56})


def _pyramid_figure(res: RfmResult) -> go.Figure:
    rows = res.levels[::-1]
    names = [lv.name for lv in rows]
    traces = [{"type": "bar", "orientation": "h", "y": names, "x": [-100 * lv.customer_share for lv in rows],
               "name": "客户占比", "marker": {"color": BLUE}, "text": [pct(lv.customer_share) for lv in rows],
               "textposition": "auto", "textangle": 0},
              {"type": "bar", "orientation": "h", "y": names, "x": [100 * lv.revenue_share for lv in rows],
               "name": "收入占比", "marker": {"color": ORANGE}, "text": [pct(lv.revenue_share) for lv in rows],
               "textposition": "auto", "textangle": 0}]
    return figure(traces, "客户金字塔：左边客户占比，右边收入占比", "占比（%）", "", hovermode="closest",
                  margin={"l": 76, "r": 16, "t": 44, "b": 96},
                  barmode="overlay", bargap=0.15, xaxis={"range": [-105, 105], "tickvals": [-100, -50, 0, 50, 100],
                                                         "ticktext": ["100", "50", "0", "50", "100"]})


def _pareto_figure(res: RfmResult) -> go.Figure:
    n = len(res.customers)
    a, b = res.abc_counts["A"] / n * 100, (res.abc_counts["A"] + res.abc_counts["B"]) / n * 100
    bands = [band(x0, x1, colour, label, top=False)
             for x0, x1, label, colour in ((0, a, "A 类", GREEN), (a, b, "B 类", YELLOW), (b, 100, "C 类", GREY))]
    traces = [{"type": "scatter", "x": [100 * v for v in res.pareto_x], "y": [100 * v for v in res.pareto_y],
               "name": "帕累托曲线", "line": {"color": BLUE, "width": 3}},
              {"type": "scatter", "x": [0, 100], "y": [0, 100], "name": "完全平均", "line": {"color": GREY, "dash": "dot"}},
              {"type": "scatter", "x": [20], "y": [100 * res.top20_share], "name": "前 20% 客户", "mode": "markers",
               "marker": {"color": RED, "size": 13, "symbol": "diamond"}}]
    return figure(traces, f"80/20：前 20% 的客户贡献 {pct(res.top20_share)} 的收入", "客户累计占比（按金额从高到低，%）",
                  "收入累计占比（%）", hovermode="closest", xaxis={"range": [0, 100]}, yaxis={"range": [0, 102]},
                  shapes=[shape for shape, _ in bands], annotations=[note for _, note in bands])


def _retention_figure(res: RfmResult) -> go.Figure:
    if not res.periods:
        return figure([], "逐月保持率与流失率", "月份", "%", annotations=[{
            "text": "教材例题只有 RFM 数据，没有逐月流失记录", "showarrow": False, "x": 0.5, "y": 0.5,
            "xref": "paper", "yref": "paper", "font": {"size": 15}}])
    months = [p.month for p in res.periods]
    traces = [{"type": "scatter", "x": months, "y": [100 * getattr(p, key) for p in res.periods], "name": name,
               "mode": "lines+markers", "line": {"color": colour, "width": 3}}
              for key, name, colour in (("retention_rate", "保持率", GREEN), ("churn_rate", "流失率", RED))]
    return figure(traces, "逐月保持率与流失率", "月份", "%", xaxis={"dtick": 1}, yaxis={"range": [0, 105]})
