"""客户终身价值 (CLV): the textbook's 模型一 and 模型三, and a retention-aware model.

Money is in 元; the rates r and p arrive in per cent, as on the sliders and in the URL (r=8 means 8%).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .charts import BLUE, GREEN, ORANGE, RED, figure
from .display import Stat, Table, money, num, pct, tex_money, tex_num
from .params import Choice, Number

BASE, CUSTOMER_B, SWITCHES = "基本参数（习题：客户终身价值）", "客户 B（与上面的客户 A 对比）", "模型设定"
PARAMS = (
    Number("n", "交易年数 n", "年", 1, 30, 1, 10, BASE, integer=True),
    Number("Co", "获客成本 Co", "元", 0, 10000, 50, 500, BASE),
    Number("Po", "首次购买 Po", "元", 0, 10000, 50, 3000, BASE),
    Number("In", "每年增加收入 In", "元", 0, 5000, 10, 1000, BASE),
    Number("Cs", "每年直接服务成本 Cs", "元", 0, 5000, 10, 100, BASE),
    Number("r", "利率（折现率）r", "%", 0, 30, 0.5, 8, BASE),
    Number("p", "年保持率 p", "%", 0, 100, 1, 80, BASE),
    Number("In_b", "客户 B 每年增加收入", "元", 0, 5000, 10, 550, CUSTOMER_B),
    Number("Cs_b", "客户 B 每年直接服务成本", "元", 0, 5000, 10, 300, CUSTOMER_B),
    Choice("timing", "现金流发生在", (("end", "每年年末"), ("begin", "每年年初")), "end", SWITCHES),
    Choice("discount", "折现", (("on", "考虑资金时间价值"), ("off", "不折现")), "on", SWITCHES),
)
PRESETS = (
    ("习题一：模型一与模型三", {"n": 10, "Co": 500, "Po": 3000, "In": 1000, "r": 8, "Cs": 100}),
    ("习题二：客户 A 与客户 B", {"n": 10, "Co": 500, "Po": 3000, "In": 500, "Cs": 200, "r": 8,
                              "In_b": 550, "Cs_b": 300}),
    ("获客成本高于首单", {"n": 10, "Co": 4000, "Po": 1000, "In": 1000, "Cs": 100, "r": 8}),
)


@dataclass(frozen=True)
class Year:
    year: int
    discount_factor: float
    survival: float  # p^t: the chance the customer is still buying when this year's cash arrives
    cash_model1: float
    pv_model1: float
    cumulative_model1: float
    cash_model3: float
    pv_model3: float
    cumulative_model3: float
    pv_retention: float
    cumulative_retention: float


@dataclass(frozen=True)
class Customer:
    label: str
    In: float
    Cs: float
    model1: float
    model3: float
    model_retention: float


@dataclass(frozen=True)
class Sensitivity:
    x: tuple[float, ...]
    model1: tuple[float, ...]
    model3: tuple[float, ...]
    model_retention: tuple[float, ...]


@dataclass(frozen=True)
class ClvResult:
    n: int
    Co: float
    Po: float
    In: float
    Cs: float
    discount_rate: float  # r as a fraction: 0.08
    retention_rate: float  # p as a fraction: 0.8
    timing: str
    discount: str
    upfront: float  # Po − Co, counted at the start
    annuity_factor: float  # Σ discount factors: (P/A, r, n), or the annuity-due factor at the start of years
    retention_factor: float  # Σ p^t × discount factor
    model1: float
    model3: float
    model_retention: float
    margin_multiple: float | None  # infinite horizon: m·p/(1+r−p) (Gupta & Lehmann); None if it diverges
    infinite_horizon: float | None
    break_even_year: int | None  # first year 模型三's cumulative value is ≥ 0; None if not within n
    yearly: tuple[Year, ...]
    customers: tuple[Customer, Customer]
    sensitivity_r: Sensitivity
    sensitivity_n: Sensitivity


def _factors(n: int, r: float, p: float, timing: str, discount: str) -> tuple[np.ndarray, np.ndarray]:
    """Discount factors and survival probabilities for years 1..n."""
    exponent = np.arange(1, n + 1) - (1 if timing == "begin" else 0)
    rate = r if discount == "on" else 0.0
    return (1 + rate) ** -exponent.astype(float), p ** exponent.astype(float)


def _models(n: int, up: float, In: float, Cs: float, r: float, p: float, timing: str, discount: str):
    d, s = _factors(n, r, p, timing, discount)
    return up + In * d.sum(), up + (In - Cs) * d.sum(), up + (In - Cs) * (s * d).sum()


def _margin_multiple(r: float, p: float, timing: str, discount: str) -> float | None:
    rate = r if discount == "on" else 0.0
    if 1 + rate - p <= 0:
        return None
    return (p if timing == "end" else 1 + rate) / (1 + rate - p)


def _sensitivity(grid, model) -> Sensitivity:
    values = [model(x) for x in grid]
    return Sensitivity(tuple(float(x) for x in grid), *(tuple(float(v[i]) for v in values) for i in range(3)))


def _yearly(n: int, up: float, In: float, Cs: float, d: np.ndarray, s: np.ndarray) -> tuple[Year, ...]:
    pv1, pv3, pvr = In * d, (In - Cs) * d, (In - Cs) * s * d
    c1, c3, cr = up + np.cumsum(pv1), up + np.cumsum(pv3), up + np.cumsum(pvr)
    return tuple(
        Year(t + 1, float(d[t]), float(s[t]), In, float(pv1[t]), float(c1[t]), In - Cs, float(pv3[t]),
             float(c3[t]), float(pvr[t]), float(cr[t]))
        for t in range(n)
    )


def simulate(n: int = 10, Co: float = 500, Po: float = 3000, In: float = 1000, Cs: float = 100,
             r: float = 8, p: float = 80, In_b: float = 550, Cs_b: float = 300,
             timing: str = "end", discount: str = "on") -> ClvResult:
    """All three models for one customer, the A/B comparison and the sensitivity curves."""
    rate, keep, up = r / 100, p / 100, Po - Co
    d, s = _factors(n, rate, keep, timing, discount)
    m1, m3, mr = _models(n, up, In, Cs, rate, keep, timing, discount)
    yearly = _yearly(n, up, In, Cs, d, s)
    multiple = _margin_multiple(rate, keep, timing, discount)
    b = _models(n, up, In_b, Cs_b, rate, keep, timing, discount)
    return ClvResult(
        n, Co, Po, In, Cs, rate, keep, timing, discount, up, float(d.sum()), float((s * d).sum()),
        float(m1), float(m3), float(mr), multiple,
        None if multiple is None else up + (In - Cs) * multiple,
        _break_even(up, yearly),
        yearly,
        (Customer("客户 A", In, Cs, float(m1), float(m3), float(mr)), Customer("客户 B", In_b, Cs_b, *map(float, b))),
        _sensitivity(np.arange(0, 30.5, 1.0), lambda x: _models(n, up, In, Cs, x / 100, keep, timing, discount)),
        _sensitivity(np.arange(1, 31), lambda x: _models(int(x), up, In, Cs, rate, keep, timing, discount)),
    )


def _break_even(up: float, yearly: tuple[Year, ...]) -> int | None:
    if up >= 0:
        return 0
    return next((y.year for y in yearly if y.cumulative_model3 >= 0), None)


# --- what the page shows ---------------------------------------------------------------------------

def _factor_tex(res: ClvResult) -> str:
    if res.discount == "off":
        return "n"
    return "(P/A,r,n)" if res.timing == "end" else r"(P/A,r,n)(1+r)"


def summary(res: ClvResult) -> tuple[Stat, ...]:
    up = rf"{tex_money(res.Po)} - {tex_money(res.Co)}"
    f = tex_num(res.annuity_factor, 6)
    multiple = "发散（p = 100% 且不折现）" if res.margin_multiple is None else num(res.margin_multiple)
    return (
        Stat("model1", "模型一 CLV", money(res.model1),
             rf"P_0 - C_0 + I_n \times {_factor_tex(res)} = {up} + {tex_money(res.In)} \times {f}"
             rf" = {tex_money(res.model1)}", value=round(res.model1, 2)),
        Stat("model3", "模型三 CLV", money(res.model3),
             rf"P_0 - C_0 + (I_n - C_s) \times {_factor_tex(res)} = {up} + {tex_money(res.In - res.Cs)} \times {f}"
             rf" = {tex_money(res.model3)}", value=round(res.model3, 2)),
        Stat("model_retention", "保持率模型 CLV", money(res.model_retention),
             rf"P_0 - C_0 + (I_n - C_s){_retention_sum_tex(res)} = {up} + {tex_money(res.In - res.Cs)} \times "
             rf"{tex_num(res.retention_factor, 6)} = {tex_money(res.model_retention)}",
             note=f"年保持率 p = {pct(res.retention_rate, 0)}：客户每年以 {pct(1 - res.retention_rate, 0)} 的概率流失",
             value=round(res.model_retention, 2)),
        Stat("annuity_factor", "年金现值系数", tex_num(res.annuity_factor, 6),
             _annuity_tex(res), note="复利现值系数表给出 4 位小数（如 6.7101），按表计算会差几分钱",
             value=round(res.annuity_factor, 6)),
        Stat("margin_multiple", "无限期利润乘数", multiple, _multiple_tex(res),
             note="无限期 CLV = Po − Co + (In − Cs) × 乘数 = " + money(res.infinite_horizon),
             value=None if res.margin_multiple is None else round(res.margin_multiple, 4)),
        Stat("break_even", "盈亏平衡（模型三）", _break_even_text(res), note=_break_even_note(res),
             tone="good" if res.break_even_year is not None else "bad", value=res.break_even_year),
    )


def _retention_sum_tex(res: ClvResult) -> str:
    e = "t" if res.timing == "end" else "(t-1)"
    if res.discount == "off":
        return rf"\sum_{{t=1}}^{{n}} p^{{{e}}}"
    return rf"\sum_{{t=1}}^{{n}} \frac{{p^{{{e}}}}}{{(1+r)^{{{e}}}}}"


def _annuity_tex(res: ClvResult) -> str:
    if res.discount == "off":
        return rf"\text{{不折现：}}\sum_{{t=1}}^{{n}} 1 = {res.n}"
    r = tex_num(res.discount_rate)
    base = rf"\frac{{1-(1+{r})^{{-{res.n}}}}}{{{r}}}" if res.discount_rate else str(res.n)
    if res.timing == "begin":
        return rf"(P/A,r,n)(1+r) = {base} \times {tex_num(1 + res.discount_rate)} = {tex_num(res.annuity_factor, 6)}"
    return rf"(P/A,r,n) = {base} = {tex_num(res.annuity_factor, 6)}"


def _multiple_tex(res: ClvResult) -> str:
    if res.margin_multiple is None:
        return ""
    rate = tex_num(res.discount_rate) if res.discount == "on" else "0"
    top = tex_num(res.retention_rate) if res.timing == "end" else tex_num(1 + float(rate))
    symbol = "p" if res.timing == "end" else "1+r"
    return (rf"\frac{{{symbol}}}{{1+r-p}} = \frac{{{top}}}{{1 + {rate} - {tex_num(res.retention_rate)}}}"
            rf" = {tex_num(res.margin_multiple)}")


def _break_even_text(res: ClvResult) -> str:
    if res.break_even_year is None:
        return f"{res.n} 年内收不回"
    return f"第 {res.break_even_year} 年"


def _break_even_note(res: ClvResult) -> str:
    if res.break_even_year == 0:
        return "首次购买的收入已超过获客成本（Po ≥ Co）"
    if res.break_even_year is None:
        return "累计价值始终小于 0：获客成本太高或每年净收益太少"
    return "模型三的累计价值从这一年起不小于 0"


def tables(res: ClvResult) -> tuple[Table, ...]:
    start = ("0（期初）", "1", "—", money(res.upfront), money(res.upfront), "—", money(res.upfront),
             money(res.upfront), "1", money(res.upfront), money(res.upfront))
    rows = tuple(
        (str(y.year), num(y.discount_factor), money(y.cash_model1), money(y.pv_model1), money(y.cumulative_model1),
         money(y.cash_model3), money(y.pv_model3), money(y.cumulative_model3), num(y.survival),
         money(y.pv_retention), money(y.cumulative_retention))
        for y in res.yearly
    )
    yearly = Table("yearly", "逐年计算表（期初一行是 Po − Co）", (
        "年份 t", "折现系数", "模型一 现金流 In", "模型一 现值", "模型一 累计", "模型三 现金流 In−Cs",
        "模型三 现值", "模型三 累计", "保留概率 p^t", "保持率模型 现值", "保持率模型 累计"), (start, *rows))
    a, b = res.customers
    compare = Table("compare", "客户 A 与客户 B（其余参数相同）", ("项目", a.label, b.label, "B − A"), tuple(
        (label, money(x, 0 if i < 3 else 2), money(y, 0 if i < 3 else 2), money(y - x, 0 if i < 3 else 2))
        for i, (label, x, y) in enumerate((
            ("每年增加收入 In", a.In, b.In), ("每年服务成本 Cs", a.Cs, b.Cs), ("每年净收益 In − Cs", a.In - a.Cs, b.In - b.Cs),
            ("模型一 CLV", a.model1, b.model1), ("模型三 CLV", a.model3, b.model3),
            ("保持率模型 CLV", a.model_retention, b.model_retention)))
    ))
    return yearly, compare


def figures(res: ClvResult) -> dict[str, go.Figure]:
    return {"cumulative": _cumulative_figure(res), "compare": _compare_figure(res),
            "sensitivity": _sensitivity_figure(res)}


def _cumulative_figure(res: ClvResult) -> go.Figure:
    years = [0, *(y.year for y in res.yearly)]
    traces = [{"type": "bar", "x": years[1:], "y": [y.pv_model3 for y in res.yearly], "name": "模型三 当年现值",
               "marker": {"color": "#c7d7ea"}}]
    for name, colour, key in (("模型一", BLUE, "cumulative_model1"), ("模型三", ORANGE, "cumulative_model3"),
                              ("保持率模型", GREEN, "cumulative_retention")):
        traces.append({"type": "scatter", "x": years, "y": [res.upfront, *(getattr(y, key) for y in res.yearly)],
                       "name": name, "mode": "lines+markers", "line": {"color": colour, "width": 3}})
    shapes = []
    if res.break_even_year is not None:
        # The year is named in the legend and marked by a dotted line: a label beside the star sat on the curves.
        year = res.break_even_year
        value = res.upfront if year == 0 else res.yearly[year - 1].cumulative_model3
        traces.append({"type": "scatter", "x": [year], "y": [value], "name": f"盈亏平衡：第 {year} 年", "mode": "markers",
                       "marker": {"color": RED, "size": 14, "symbol": "star"}})
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": year, "x1": year, "y0": 0, "y1": 1,
                       "layer": "below", "line": {"color": RED, "width": 1.5, "dash": "dot"}})
    return figure(traces, "累计客户价值（现值）", "年份", "元", barmode="overlay", shapes=shapes)


def _compare_figure(res: ClvResult) -> go.Figure:
    models = ["模型一", "模型三", "保持率模型"]
    traces = []
    for customer, colour in zip(res.customers, (BLUE, ORANGE)):
        values = [customer.model1, customer.model3, customer.model_retention]
        traces.append({"type": "bar", "x": models, "y": values, "name": customer.label, "marker": {"color": colour},
                       "text": [money(v, 0) for v in values], "textposition": "outside", "cliponaxis": False})
    return figure(traces, "客户 A 与客户 B 的终身价值", "", "元", hovermode="closest", barmode="group")


def _sensitivity_figure(res: ClvResult) -> go.Figure:
    """Two panels, one above the other: CLV over the rate r and over the years n."""
    traces = []
    for axis, curve, current in (("", res.sensitivity_r, res.discount_rate * 100), ("2", res.sensitivity_n, res.n)):
        for name, colour, values in (("模型一", BLUE, curve.model1), ("模型三", ORANGE, curve.model3),
                                     ("保持率模型", GREEN, curve.model_retention)):
            traces.append({"type": "scatter", "x": curve.x, "y": values, "name": name, "legendgroup": name,
                           "showlegend": not axis, "line": {"color": colour, "width": 2.5},
                           "xaxis": "x" + axis, "yaxis": "y" + axis})
        traces.append({"type": "scatter", "x": [current], "y": [res.model3], "name": "当前参数", "mode": "markers",
                       "legendgroup": "now", "showlegend": not axis, "xaxis": "x" + axis, "yaxis": "y" + axis,
                       "marker": {"color": RED, "size": 12, "symbol": "diamond"}})
    grid = {"gridcolor": "#e5e7eb"}
    titles = [{"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": y, "xanchor": "center",
               "yanchor": "bottom", "showarrow": False, "font": {"size": 13}}
              for text, y in ((f"CLV 随利率 r 变化（n = {res.n} 年）", 1.0),
                              (f"CLV 随年数 n 变化（r = {pct(res.discount_rate)}）", 0.36))]
    return figure(traces, "", "利率 r（%）", "元", margin={"l": 64, "r": 16, "t": 36, "b": 96},
                  xaxis={"anchor": "y"}, yaxis={"domain": [0.64, 1.0], "anchor": "x"},
                  xaxis2={"title": {"text": "交易年数 n（年）"}, "anchor": "y2", **grid},
                  yaxis2={"title": {"text": "元"}, "domain": [0.0, 0.36], "anchor": "x2", **grid},
                  annotations=titles)
