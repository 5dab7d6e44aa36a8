"""Calculation question generators: a seed draws the parameters, so review recomputes the same variant.

Each generator is a plain function `(rng) -> Generated`, registered by name in GENERATORS.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Generated:
    stem: str
    answer: float
    unit: str
    tolerance: float          # absolute tolerance accepted when grading
    solution: str
    params: dict


def _annuity(values: list[float], r: float) -> float:
    return sum(v / (1 + r) ** t for t, v in enumerate(values, start=1))


def _clv_params(rng: random.Random) -> dict:
    return {
        "n": rng.randint(3, 10), "Co": rng.randrange(200, 1001, 50), "Po": rng.randrange(1000, 5001, 100),
        "In": rng.randrange(400, 2001, 100), "r": rng.choice([0.05, 0.06, 0.08, 0.1]), "Cs": rng.randrange(50, 301, 50),
    }


def _clv(rng: random.Random, model: int) -> Generated:
    """模型一 ignores the yearly service cost; 模型三 deducts it: CLV = Po − Co + Σ (In − Cs)/(1+r)^t."""
    p = _clv_params(rng)
    margin = p["In"] - (p["Cs"] if model == 3 else 0)
    total = p["Po"] - p["Co"] + _annuity([margin] * p["n"], p["r"])
    cost = f"企业每年为其付出的直接服务成本 Cs = {p['Cs']} 元，" if model == 3 else ""
    stem = (f"某企业获取一位新客户的成本 Co = {p['Co']} 元，该客户首次购买带来的收益 Po = {p['Po']} 元，"
            f"此后 {p['n']} 年中每年为企业带来的新增收益 In = {p['In']} 元，{cost}年利率 r = {p['r']:.0%}。"
            f"按模型{'三' if model == 3 else '一（不计服务成本）'}、年末贴现计算该客户的终身价值 CLV（元，保留两位小数）。")
    formula = "Σ (In − Cs)/(1+r)^t" if model == 3 else "Σ In/(1+r)^t"
    solution = (f"CLV = Po − Co + {formula} = {p['Po']} − {p['Co']} + {margin} × (P/A, {p['r']:.0%}, {p['n']}) "
                f"= {total:,.2f} 元。")
    return Generated(stem, round(total, 2), "元", max(1.0, abs(total) * 0.002), solution, p)


def clv_model1(rng: random.Random) -> Generated:
    return _clv(rng, 1)


def clv_model3(rng: random.Random) -> Generated:
    return _clv(rng, 3)


def satisfaction_verdict(diff: float) -> str:
    """The chapter's reading of 体验 − 期望 (the satisfaction simulation says the same)."""
    return "不满意" if diff < 0 else ("满意" if diff == 0 else "很满意")


SATISFACTION_READING = {"不满意": "差值为负，体验低于期望，客户不满意", "满意": "差值为零，体验与期望持平，客户满意（基本满意）",
                        "很满意": "差值为正，体验超过期望，客户很满意"}


def satisfaction_difference(rng: random.Random) -> Generated:
    expectation = rng.randint(50, 90)
    experience = expectation + rng.choice([-1, 0, 1, 1, -1]) * rng.randint(3, 20)
    diff = experience - expectation
    stem = (f"某顾客在入住酒店前对服务的期望值评分为 {expectation} 分，入住后实际体验评分为 {experience} 分。"
            "按“客户满意度 = 客户体验 − 客户期望”计算其满意度（分）。")
    solution = f"满意度 = {experience} − {expectation} = {diff} 分；{SATISFACTION_READING[satisfaction_verdict(diff)]}。"
    return Generated(stem, float(diff), "分", 0.01, solution, {"expectation": expectation, "experience": experience})


def satisfaction_ratio(rng: random.Random) -> Generated:
    a = rng.randint(60, 95)
    b = rng.randint(50, 100)
    c = b / a
    verdict = "C < 1，客户不满意" if c < 1 else ("C = 1，客户基本满意" if c == 1 else "C > 1，客户很满意")
    stem = (f"客户对某产品的期望值 a = {a}，对产品实际体验的感知值 b = {b}。"
            "按公式 C = b/a 计算客户满意度 C（保留两位小数）。")
    solution = f"C = b/a = {b}/{a} = {c:.2f}；{verdict}。"
    return Generated(stem, round(c, 2), "", 0.011, solution, {"a": a, "b": b})


def retention_rate(rng: random.Random) -> Generated:
    start = rng.randrange(400, 2001, 100)
    lost = rng.randint(int(start * 0.05), int(start * 0.35))
    churn = lost / start
    stem = (f"某企业年初有客户 {start} 位，这一年中流失了 {lost} 位（不计新增客户）。"
            "求该企业本年度的客户保持率（%，保留一位小数）。")
    solution = (f"客户流失率 = {lost}/{start} = {churn:.1%}；客户保持率 = 1 − 客户流失率 = {1 - churn:.1%}。")
    return Generated(stem, round((1 - churn) * 100, 1), "%", 0.051, solution, {"start": start, "lost": lost})


def nps_score(rng: random.Random) -> Generated:
    total = rng.choice([100, 200, 250, 400, 500])
    promoters = rng.randint(int(total * 0.2), int(total * 0.6))
    detractors = rng.randint(int(total * 0.05), total - promoters - int(total * 0.05))
    passives = total - promoters - detractors
    nps = (promoters - detractors) / total * 100
    stem = (f"某品牌调查了 {total} 位客户“向朋友推荐本品牌的可能性”（0–10 分）：打 9–10 分的有 {promoters} 人，"
            f"打 7–8 分的有 {passives} 人，打 0–6 分的有 {detractors} 人。"
            "求净推荐值 NPS（取值在 −100 到 +100 之间，保留一位小数）。")
    solution = (f"推荐者占 {promoters}/{total} = {promoters / total:.1%}，贬损者占 {detractors}/{total} = "
                f"{detractors / total:.1%}；NPS = 推荐者所占百分比 − 贬损者所占百分比 = {nps:.1f}"
                "（被动者不计入分子，但计入总人数）。")
    return Generated(stem, round(nps, 1), "", 0.051, solution, {"promoters": promoters, "passives": passives,
                                                                "detractors": detractors})


RFM_WEIGHTS = ((0.3, 0.3, 0.4), (0.2, 0.3, 0.5), (0.25, 0.25, 0.5), (0.4, 0.3, 0.3), (0.5, 0.2, 0.3))  # each sums to 1


def rfm_score(rng: random.Random) -> Generated:
    r, f, m = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)
    wr, wf, wm = rng.choice(RFM_WEIGHTS)
    total = round(wr * r + wf * f + wm * m, 2)
    stem = (f"用 RFM 模型给客户打分（五分位法，每项 1–5 分）：某客户最近一次消费得分 R = {r}，消费频率得分 F = {f}，"
            f"消费金额得分 M = {m}。若权重 w_R = {wr}、w_F = {wf}、w_M = {wm}（三者之和为 1），"
            "求该客户的综合得分 S（保留两位小数）。")
    solution = f"S = w_R·R + w_F·F + w_M·M = {wr}×{r} + {wf}×{f} + {wm}×{m} = {total:.2f}。"
    return Generated(stem, total, "分", 0.006, solution, {"R": r, "F": f, "M": m, "weights": [wr, wf, wm]})


GENERATORS: dict[str, Callable[[random.Random], Generated]] = {
    "clv-model1": clv_model1,
    "clv-model3": clv_model3,
    "satisfaction-difference": satisfaction_difference,
    "satisfaction-ratio": satisfaction_ratio,
    "retention-rate": retention_rate,
    "nps-score": nps_score,
    "rfm-score": rfm_score,
}


def generate(name: str, seed: int) -> Generated:
    return GENERATORS[name](random.Random(seed))
