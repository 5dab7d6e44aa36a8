"""客户满意度: 满意度 = 体验值 − 期望值 and C = b/a, Kano attributes, satisfaction → loyalty, and NPS."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .charts import BLUE, GREEN, GREY, ORANGE, RED, figure
from .display import Stat, Table, pct, tex_num
from .params import Number

GAP, KANO, LOYALTY, NPS = ("满意度公式（0–10 分）", "卡诺模型：三项服务属性做到了几成",
                           "满意度与忠诚度（满意度 1–5 分）", "净推荐值 NPS：0–10 分各有多少人")


@dataclass(frozen=True)
class Attribute:
    key: str
    name: str
    kind: str  # basic | performance | excitement
    category: str
    note: str


ATTRIBUTES = (  # the chapter's hotel example
    Attribute("k_basic", "房间干净、热水正常", "basic", "当然质量（基本型）", "做不到就非常不满，做到了客户也认为理所当然"),
    Attribute("k_perf", "退房效率", "performance", "期望质量（期望型）", "做得越好越满意，做得越差越不满意，大致成正比"),
    Attribute("k_excite", "生日送上小蛋糕", "excitement", "迷人质量（魅力型）", "没有也不会不满，一旦有就格外惊喜"),
)
SCORES = tuple(range(11))
NPS_EXAMPLE = (2, 2, 4, 4, 6, 8, 14, 30, 40, 50, 40)  # the chapter's survey: 200 users, 90 / 70 / 40
PARAMS = (
    Number("a", "客户期望值 a", "分", 1, 10, 0.1, 8, GAP),
    Number("b", "客户体验值 b（实际体验）", "分", 0, 10, 0.1, 9, GAP),
    *(Number(attr.key, f"{attr.name}（{attr.category[:4]}）", "%", 0, 100, 5, default, KANO)
      for attr, default in zip(ATTRIBUTES, (80, 60, 20))),
    Number("s", "客户满意度", "分", 1, 5, 0.1, 4, LOYALTY),
    *(Number(f"n{score}", f"打 {score} 分的人数", "人", 0, 200, 1, default, NPS, integer=True)
      for score, default in zip(SCORES, NPS_EXAMPLE)),
)
PRESETS = (
    ("教材例题：期望 8、体验 9", {"a": 8, "b": 9}),
    ("期望 9、体验 7.2", {"a": 9, "b": 7.2}),
    ("恰好满足期望", {"a": 7, "b": 7}),
    ("只做好基本型", {"k_basic": 100, "k_perf": 30, "k_excite": 0}),
    ("基本型失守", {"k_basic": 20, "k_perf": 90, "k_excite": 80}),
)


@dataclass(frozen=True)
class KanoScore:
    key: str
    fulfilment: float  # 0–1
    satisfaction: float  # −1 … 1


@dataclass(frozen=True)
class SatisfactionResult:
    a: float
    b: float
    difference: float
    ratio: float
    verdict: str
    kano: tuple[KanoScore, ...]
    kano_index: float  # mean satisfaction of the attributes, −100 … 100
    s: float
    loyalty_competitive: float  # %
    loyalty_low_competition: float
    counts: tuple[int, ...]
    promoters: int
    passives: int
    detractors: int
    nps: float | None  # None when nobody answered


def verdict(a: float, b: float) -> str:
    """The same verdict from the gap b − a and from the ratio b / a (a > 0)."""
    if b < a:
        return "不满意"
    return "满意" if b == a else "很满意"


def kano(kind: str, x: np.ndarray | float) -> np.ndarray | float:
    """Satisfaction (−1 … 1) from how fully an attribute is delivered (0 … 1)."""
    if kind == "basic":
        return -((1 - x) ** 2)
    if kind == "performance":
        return 2 * x - 1
    return x ** 2


def loyalty(s: np.ndarray | float, competitive: bool) -> np.ndarray | float:
    """Loyalty (%) at satisfaction s on a 1–5 scale (after Jones & Sasser, 1995)."""
    u = (s - 1) / 4
    return 100 * u ** 3 if competitive else 75 + 20 * u


def nps(counts: tuple[int, ...]) -> tuple[int, int, int, float | None]:
    """Promoters (9–10), passives (7–8), detractors (0–6) and NPS = %promoters − %detractors."""
    promoters, passives, detractors = sum(counts[9:]), sum(counts[7:9]), sum(counts[:7])
    total = promoters + passives + detractors
    return promoters, passives, detractors, (100 * (promoters - detractors) / total if total else None)


def simulate(a: float = 8, b: float = 9, k_basic: float = 80, k_perf: float = 60, k_excite: float = 20,
             s: float = 4, **counts: int) -> SatisfactionResult:
    """`counts` are n0 … n10: how many respondents gave each score; missing ones count as 0."""
    scores = tuple(int(counts.get(f"n{i}", 0)) for i in SCORES)
    fulfilment = dict(k_basic=k_basic / 100, k_perf=k_perf / 100, k_excite=k_excite / 100)
    kano_scores = tuple(KanoScore(attr.key, fulfilment[attr.key], float(kano(attr.kind, fulfilment[attr.key])))
                        for attr in ATTRIBUTES)
    return SatisfactionResult(
        a, b, round(b - a, 10), round(b / a, 10), verdict(a, b), kano_scores,
        100 * sum(k.satisfaction for k in kano_scores) / len(kano_scores),
        s, float(loyalty(s, True)), float(loyalty(s, False)), scores, *nps(scores),
    )


# --- what the page shows ---------------------------------------------------------------------------

def summary(res: SatisfactionResult) -> tuple[Stat, ...]:
    tone = {"不满意": "bad", "满意": "", "很满意": "good"}[res.verdict]
    compare = "" if res.b == res.a else (" < 0" if res.b < res.a else " > 0")
    nps_text = "—（没有答卷）" if res.nps is None else f"{res.nps:.1f}"
    total = res.promoters + res.passives + res.detractors
    return (
        Stat("difference", "满意度（差值）", f"{_signed(res.difference)} · {res.verdict}",
             rf"b - a = {tex_num(res.b)} - {tex_num(res.a)} = {tex_num(res.difference)}{compare}",
             note=_what_moves_it(res), tone=tone, value=round(res.difference, 2)),
        Stat("ratio", "满意度 C = b/a", f"{res.ratio:.3f} · {res.verdict}",
             rf"C = \frac{{b}}{{a}} = \frac{{{tex_num(res.b)}}}{{{tex_num(res.a)}}} = {tex_num(res.ratio, 3)}",
             note="C < 1 不满意，C = 1 满意，C > 1 很满意", tone=tone, value=round(res.ratio, 3)),
        Stat("kano_index", "卡诺综合满意度", f"{res.kano_index:+.0f}", note="三项属性满意度的平均，−100 到 +100",
             value=round(res.kano_index)),
        Stat("loyalty_competitive", f"满意度 {res.s:g} 分：竞争激烈行业的忠诚度", f"{res.loyalty_competitive:.0f}%",
             note="只有“完全满意”才换来忠诚", value=round(res.loyalty_competitive)),
        Stat("loyalty_low_competition", f"满意度 {res.s:g} 分：竞争弱行业的忠诚度", f"{res.loyalty_low_competition:.0f}%",
             note="选择余地小，不满意也可能“被迫忠诚”", value=round(res.loyalty_low_competition)),
        Stat("nps", "净推荐值 NPS", nps_text,
             "" if res.nps is None else
             rf"\frac{{{res.promoters} - {res.detractors}}}{{{total}}} \times 100 = {tex_num(res.nps, 1)}",
             note=f"推荐者 {res.promoters} 人，被动者 {res.passives} 人，贬损者 {res.detractors} 人",
             tone="good" if (res.nps or 0) > 0 else "bad", value=None if res.nps is None else round(res.nps, 1)),
    )


def _what_moves_it(res: SatisfactionResult) -> str:
    if res.b < res.a:
        return f"体验再提高 {res.a - res.b:g} 分，或把期望降到 {res.b:g} 分，才算满意"
    if res.b == res.a:
        return "体验再高一点就“很满意”；过度承诺抬高期望就会“不满意”"
    return f"期望若被抬高到 {res.b:g} 分以上（如过度承诺），就会变成不满意"


def _signed(x: float) -> str:
    return f"{x:+g}" if x else "0"


def tables(res: SatisfactionResult) -> tuple[Table, ...]:
    kano_rows = tuple(
        (attr.name, attr.category, pct(k.fulfilment, 0), f"{100 * k.satisfaction:+.0f}", attr.note)
        for attr, k in zip(ATTRIBUTES, res.kano)
    )
    total = res.promoters + res.passives + res.detractors
    share = (lambda n: pct(n / total)) if total else (lambda n: "—")
    nps_rows = (("推荐者", "9–10", str(res.promoters), share(res.promoters)),
                ("被动者", "7–8", str(res.passives), share(res.passives)),
                ("贬损者", "0–6", str(res.detractors), share(res.detractors)),
                ("合计", "0–10", str(total), share(total)))
    return (Table("kano", "卡诺模型：各属性的满意度贡献（−100 到 +100）", ("属性", "类别", "实现程度", "满意度", "特点"), kano_rows,
                  text_columns=(1, 4)),
            Table("nps", "NPS 计算：三类受访者", ("类别", "打分", "人数", "占比"), nps_rows))


def figures(res: SatisfactionResult) -> dict[str, go.Figure]:
    return {"gap": _gap_figure(res), "kano": _kano_figure(res), "loyalty": _loyalty_figure(res),
            "nps": _nps_figure(res)}


def _gap_figure(res: SatisfactionResult) -> go.Figure:
    colour = {"不满意": RED, "满意": GREY, "很满意": GREEN}[res.verdict]
    values = (res.a, res.b, res.difference)
    traces = [{"type": "bar", "x": ["期望值 a", "体验值 b", "差值 b − a"], "y": list(values), "showlegend": False,
               "marker": {"color": [BLUE, ORANGE, colour]}, "text": [f"{v:g}" for v in values],
               "textposition": "outside", "cliponaxis": False}]
    return figure(traces, f"体验 − 期望 = {_signed(res.difference)}：{res.verdict}", "", "分", hovermode="closest",
                  yaxis={"range": [-10.5, 11]})


def _kano_figure(res: SatisfactionResult) -> go.Figure:
    x = np.linspace(0, 1, 41)
    traces = []
    for attr, k, colour in zip(ATTRIBUTES, res.kano, (RED, BLUE, GREEN)):
        traces.append({"type": "scatter", "x": (100 * x).round(1).tolist(),
                       "y": (100 * kano(attr.kind, x)).round(2).tolist(), "name": attr.category, "line": {"color": colour, "width": 3}, "legendgroup": attr.key})
        traces.append({"type": "scatter", "x": [100 * k.fulfilment], "y": [100 * k.satisfaction], "name": attr.name,
                       "mode": "markers", "legendgroup": attr.key, "showlegend": False,
                       "marker": {"color": colour, "size": 14, "line": {"color": "#000", "width": 1}}})
    # Ticks run to −100: a wider left margin keeps the axis title clear of them.
    return figure(traces, "卡诺模型：实现程度与满意度", "实现程度（%）", "满意度", hovermode="closest",
                  yaxis={"range": [-105, 105], "title": {"text": "满意度", "standoff": 8}},
                  xaxis={"range": [-2, 102]}, margin={"l": 84, "r": 24, "t": 44, "b": 96})


def _loyalty_figure(res: SatisfactionResult) -> go.Figure:
    s = np.linspace(1, 5, 41)
    traces = [{"type": "scatter", "x": s.round(2).tolist(), "y": np.round(loyalty(s, competitive), 2).tolist(),
               "name": name, "line": {"color": colour, "width": 3}}
              for competitive, name, colour in ((True, "竞争激烈的行业", ORANGE), (False, "竞争程度低的行业", BLUE))]
    traces.append({"type": "scatter", "x": [res.s, res.s], "y": [res.loyalty_competitive, res.loyalty_low_competition],
                   "name": "当前满意度", "mode": "markers+lines", "line": {"color": RED, "dash": "dot"},
                   "marker": {"color": RED, "size": 12}})
    return figure(traces, "满意度与忠诚度", "满意度（1 完全不满意 … 5 完全满意）", "忠诚度（%）", hovermode="closest",
                  yaxis={"range": [0, 105]})


def _nps_figure(res: SatisfactionResult) -> go.Figure:
    traces = [{"type": "bar", "x": list(scores), "y": [res.counts[i] for i in scores], "name": name,
               "marker": {"color": colour}}
              for name, scores, colour in (("贬损者 0–6", range(0, 7), RED), ("被动者 7–8", range(7, 9), GREY),
                                           ("推荐者 9–10", range(9, 11), GREEN))]
    title = "NPS：没有答卷" if res.nps is None else f"NPS = {res.nps:.1f}"
    return figure(traces, title, "打分（0–10）", "人数", hovermode="closest", xaxis={"dtick": 1})
