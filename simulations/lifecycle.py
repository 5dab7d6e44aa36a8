"""客户生命周期: the four-stage curve (考察期, 形成期, 稳定期, 退化期) and a seeded cohort moving through it."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .charts import BLUE, GREY, ORANGE, STAGE_COLOURS, band, figure
from .display import Stat, Table, money
from .params import Number


@dataclass(frozen=True)
class Stage:
    name: str
    trait: str
    strategy: str
    revenue: float  # per customer per month, 元
    cost: float


STAGES = (
    Stage("考察期", "双方相互考察、试探，客户只下尝试性订单，交易量小；开发成本高，利润很低甚至为负",
          "了解需求，展示实力与诚意，用试用、样品、承诺保障降低客户感知风险，争取首次购买", 20, 30),
    Stage("形成期", "信任增加，相互依赖加深，交易量快速上升，利润快速增长",
          "发展投入：提高满意度和忠诚度，交叉销售，扩大交易量", 60, 25),
    Stage("稳定期", "关系的最高阶段：交易量最大且稳定，交易成本下降，利润最高，还会推荐新客户",
          "维持投入：个性化服务与客户关怀，建立结构性联系，提高转换成本，鼓励推荐", 100, 15),
    Stage("退化期", "交易量下降，一方或双方考虑结束关系（任何阶段都可能发生逆转）",
          "找出退化原因：高价值客户加大投入“二次开发”，低价值且挽回成本高的有序放弃", 40, 20),
)
PATTERNS = ("早期流产型", "中途夭折型", "提前退出型", "长久保持型")
LONG_STABLE = 12  # months: a 稳定期 shorter than this counts as 提前退出

CURVE, COHORT = "阶段曲线（时长单位：月；关系水平 0–100）", "客户群模拟（每月：先按流失率流失，留下的按转化率进入下一阶段）"
PARAMS = (
    Number("t1", "考察期时长", "月", 0, 24, 1, 3, CURVE, integer=True),
    Number("t2", "形成期时长", "月", 0, 24, 1, 6, CURVE, integer=True),
    Number("t3", "稳定期时长", "月", 0, 60, 1, 24, CURVE, integer=True),
    Number("t4", "退化期时长", "月", 0, 24, 1, 6, CURVE, integer=True),
    Number("a", "考察期末关系水平", "", 0, 100, 1, 30, CURVE),
    Number("b", "稳定期关系水平", "", 0, 100, 1, 90, CURVE),
    Number("N", "初始客户数 N", "人", 100, 5000, 100, 1000, COHORT, integer=True),
    Number("months", "模拟月数", "月", 6, 60, 1, 36, COHORT, integer=True),
    Number("adv1", "考察期 → 形成期 转化率", "%/月", 0, 100, 1, 30, COHORT),
    Number("churn1", "考察期 流失率", "%/月", 0, 100, 1, 10, COHORT),
    Number("adv2", "形成期 → 稳定期 转化率", "%/月", 0, 100, 1, 15, COHORT),
    Number("churn2", "形成期 流失率", "%/月", 0, 100, 1, 5, COHORT),
    Number("adv3", "稳定期 → 退化期 转化率", "%/月", 0, 100, 1, 4, COHORT),
    Number("churn3", "稳定期 流失率", "%/月", 0, 100, 1, 1, COHORT),
    Number("churn4", "退化期 流失率", "%/月", 0, 100, 1, 20, COHORT),
    Number("seed", "随机种子", "", 1, 9999, 1, 2024, COHORT, integer=True),
)
PRESETS = (
    ("早期流产型", {"t1": 4, "t2": 0, "t3": 0, "t4": 2, "a": 25, "b": 25}),
    ("中途夭折型", {"t1": 3, "t2": 5, "t3": 0, "t4": 3, "a": 30, "b": 60}),
    ("提前退出型", {"t1": 3, "t2": 6, "t3": 6, "t4": 4, "a": 30, "b": 90}),
    ("长久保持型", {"t1": 3, "t2": 6, "t3": 36, "t4": 6, "a": 30, "b": 90}),
)


@dataclass(frozen=True)
class StageTotals:
    stage: str
    customer_months: int
    revenue: float
    profit: float
    final_count: int


@dataclass(frozen=True)
class LifecycleResult:
    pattern: str
    breakpoints: tuple[float, ...]  # stage boundaries in months: 0, end of 考察期, …, end of 退化期
    time: tuple[float, ...]
    level: tuple[float, ...]  # relationship level 0–100
    volume: tuple[float, ...]  # transaction volume index 0–100
    months: tuple[int, ...]
    counts: tuple[tuple[int, ...], ...]  # per stage, per month (month 0 = everyone in 考察期)
    churned: tuple[int, ...]  # cumulative churned customers per month
    stages: tuple[StageTotals, ...]
    total_profit: float


def classify(t2: int, t3: int) -> str:
    """Which of the four patterns a curve is: the stage in which the relationship ends."""
    if t2 == 0:
        return PATTERNS[0]
    if t3 == 0:
        return PATTERNS[1]
    return PATTERNS[2] if t3 < LONG_STABLE else PATTERNS[3]


def curve(t1: int, t2: int, t3: int, t4: int, a: float, b: float) -> tuple[np.ndarray, ...]:
    """Piecewise-linear relationship level; volume grows with its square (trial purchases are small)."""
    peak = b if t2 > 0 else a
    xs = np.cumsum([0, t1, t2, t3, t4]).astype(float)
    ys = np.array([0, a, peak, peak, 0], dtype=float)
    time = np.linspace(0, max(xs[-1], 1), 121)
    level = np.interp(time, xs, ys)
    return xs, time, level, 100 * (level / 100) ** 2


def cohort(N: int, months: int, advance: tuple[float, ...], churn: tuple[float, ...], seed: int):
    """Counts per stage and cumulative churned, month by month; the same seed gives the same run."""
    rng = np.random.default_rng(seed)
    counts = np.zeros((4, months + 1), dtype=int)
    churned = np.zeros(months + 1, dtype=int)
    counts[0, 0] = N
    for m in range(1, months + 1):
        now = counts[:, m - 1]
        lost = rng.binomial(now, churn)
        moved = rng.binomial(now - lost, advance)  # advance[3] is 0: 退化期 only ends in churn
        counts[:, m] = now - lost - moved + np.concatenate(([0], moved[:3]))
        churned[m] = churned[m - 1] + lost.sum()
    return counts, churned


def simulate(t1: int = 3, t2: int = 6, t3: int = 24, t4: int = 6, a: float = 30, b: float = 90,
             N: int = 1000, months: int = 36, adv1: float = 30, churn1: float = 10, adv2: float = 15,
             churn2: float = 5, adv3: float = 4, churn3: float = 1, churn4: float = 20,
             seed: int = 2024) -> LifecycleResult:
    """Rates arrive in per cent per month, as on the sliders."""
    xs, time, level, volume = curve(t1, t2, t3, t4, a, b)
    advance = np.array([adv1, adv2, adv3, 0]) / 100
    counts, churned = cohort(N, months, advance, np.array([churn1, churn2, churn3, churn4]) / 100, seed)
    stages = tuple(_totals(stage, counts[i]) for i, stage in enumerate(STAGES))
    return LifecycleResult(
        classify(t2, t3), tuple(float(x) for x in xs), tuple(time.round(3).tolist()), tuple(level.round(3).tolist()),
        tuple(volume.round(3).tolist()), tuple(range(months + 1)), tuple(tuple(row.tolist()) for row in counts),
        tuple(churned.tolist()), stages, float(sum(s.profit for s in stages)),
    )


def _totals(stage: Stage, counts: np.ndarray) -> StageTotals:
    """Customers in a stage at the end of months 1..M earn that stage's monthly revenue and cost."""
    customer_months = int(counts[1:].sum())
    return StageTotals(stage.name, customer_months, customer_months * stage.revenue,
                       customer_months * (stage.revenue - stage.cost), int(counts[-1]))


# --- what the page shows ---------------------------------------------------------------------------

def summary(res: LifecycleResult) -> tuple[Stat, ...]:
    best = max(res.stages, key=lambda s: s.profit)
    active = sum(s.final_count for s in res.stages)
    total = active + res.churned[-1]
    return (
        Stat("pattern", "曲线属于", res.pattern, note=f"看关系在哪个阶段结束；稳定期不足 {LONG_STABLE} 个月算提前退出"),
        Stat("active", f"第 {res.months[-1]} 月仍在的客户", f"{active} 人",
             note=f"已流失 {res.churned[-1]} 人，合计 {total} 人（始终等于 N）", value=active),
        Stat("total_profit", "客户群累计利润", money(res.total_profit, 0) + " 元",
             tone="good" if res.total_profit >= 0 else "bad", value=round(res.total_profit)),
        Stat("best_stage", "利润最多的阶段", best.stage, note=f"{money(best.profit, 0)} 元"),
    )


def tables(res: LifecycleResult) -> tuple[Table, ...]:
    stage_rows = tuple(
        (s.stage, f"{st.revenue:g} / {st.cost:g}", str(s.customer_months), money(s.revenue, 0), money(s.profit, 0),
         str(s.final_count), st.strategy)
        for s, st in zip(res.stages, STAGES)
    )
    stages = Table("stages", "各阶段的收入、利润与应对策略", (
        "阶段", "每客户每月 收入/成本（元）", "累计 客户·月", "累计收入（元）", "累计利润（元）", "期末人数", "应对策略"), stage_rows,
        text_columns=(6,))
    step = max(1, len(res.months) // 12)
    picked = sorted(set(res.months[::step]) | {res.months[-1]})
    monthly = Table("monthly", "客户群逐月人数（各阶段 + 已流失 = N）", (
        "月", *(s.name for s in STAGES), "已流失", "合计"), tuple(
        (str(m), *(str(res.counts[i][m]) for i in range(4)), str(res.churned[m]),
         str(sum(res.counts[i][m] for i in range(4)) + res.churned[m])) for m in picked))
    return stages, monthly


def figures(res: LifecycleResult) -> dict[str, go.Figure]:
    return {"curve": _curve_figure(res), "cohort": _cohort_figure(res), "profit": _profit_figure(res)}


def _curve_figure(res: LifecycleResult) -> go.Figure:
    xs = res.breakpoints
    bands = [band(xs[i], xs[i + 1], STAGE_COLOURS[i], stage.name, top=i % 2 == 0)  # alternate: short stages
             for i, stage in enumerate(STAGES) if xs[i + 1] > xs[i]]               # keep their labels apart
    traces = [{"type": "scatter", "x": res.time, "y": res.level, "name": "关系水平", "line": {"color": BLUE, "width": 3}},
              {"type": "scatter", "x": res.time, "y": res.volume, "name": "交易量",
               "line": {"color": ORANGE, "width": 3, "dash": "dash"}}]
    return figure(traces, f"四阶段模型：{res.pattern}", "时间（月）", "水平（0–100）", yaxis={"range": [0, 105]},
                  shapes=[shape for shape, _ in bands], annotations=[note for _, note in bands])


def _cohort_figure(res: LifecycleResult) -> go.Figure:
    traces = [{"type": "scatter", "x": res.months, "y": res.counts[i], "name": stage.name, "stackgroup": "all",
               "line": {"color": STAGE_COLOURS[i], "width": 1}} for i, stage in enumerate(STAGES)]
    traces.append({"type": "scatter", "x": res.months, "y": res.churned, "name": "已流失", "stackgroup": "all",
                   "line": {"color": GREY, "width": 1}})
    return figure(traces, "客户群在各阶段的人数", "月", "人数")


def _profit_figure(res: LifecycleResult) -> go.Figure:
    names = [s.stage for s in res.stages]
    traces = [{"type": "bar", "x": names, "y": [getattr(s, key) for s in res.stages], "name": name, "marker": {"color": colour}}
              for key, name, colour in (("revenue", "收入", BLUE), ("profit", "利润", ORANGE))]
    return figure(traces, "各阶段累计收入与利润", "", "元", hovermode="closest", barmode="group")
