"""Item analysis of an assignment (classical test theory), from first attempts only. Pure.

facility       mean score on the item / its points (share of the class that got it)
discrimination facility among the top 27% of students by total minus that among the bottom 27%
point_biserial Pearson correlation between the item score and the student's total score
option_counts  choice items: how many picked each option (original YAML order, A = first option)
alpha          Cronbach's alpha over the items every student answered: k/(k-1) * (1 - sum var_i / var_total)
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

GROUP_SHARE = 0.27
SMALL_CLASS = 20      # below this, indices swing with one student: say so


@dataclass(frozen=True)
class ItemScore:
    question_key: str
    version: str
    type: str
    score: float
    points: float
    picked: tuple[int, ...] | None = None     # choice items: original option indexes chosen; () if blank


@dataclass(frozen=True)
class Paper:
    """One student's first submitted attempt."""
    student: str
    items: tuple[ItemScore, ...]

    @property
    def total(self) -> float:
        return sum(i.score for i in self.items)


@dataclass(frozen=True)
class ItemStats:
    question_key: str
    version: str
    type: str
    n: int
    facility: float
    discrimination: float | None
    point_biserial: float | None
    option_counts: tuple[int, ...] | None


@dataclass(frozen=True)
class Analysis:
    n_students: int
    items: tuple[ItemStats, ...]
    alpha: float | None
    warning: str | None


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _variance(xs: list[float]) -> float:
    m = _mean(xs)
    return sum((x - m) ** 2 for x in xs) / len(xs)


def groups(papers: list[Paper]) -> tuple[list[Paper], list[Paper]]:
    """Upper and lower 27% by total (ties broken by student id, so the split is reproducible)."""
    size = max(1, round(GROUP_SHARE * len(papers)))
    ranked = sorted(papers, key=lambda p: (-p.total, p.student))
    return ranked[:size], ranked[-size:]


def _facility(scores: list[ItemScore]) -> float | None:
    return _mean([s.score / s.points for s in scores]) if scores else None


def cronbach_alpha(papers: list[Paper]) -> float | None:
    """Over the items (question + version) every paper holds; None with fewer than 2 such items or no spread."""
    if len(papers) < 2:
        return None
    common = set.intersection(*({(i.question_key, i.version) for i in p.items} for p in papers))
    keys = sorted(common)
    if len(keys) < 2:
        return None
    table = [{(i.question_key, i.version): i.score for i in p.items} for p in papers]
    item_vars = sum(_variance([row[k] for row in table]) for k in keys)
    total_var = _variance([sum(row[k] for k in keys) for row in table])
    if total_var == 0:
        return None
    k = len(keys)
    return k / (k - 1) * (1 - item_vars / total_var)


def analyse(papers: list[Paper], n_options: dict[str, int]) -> Analysis:
    """`n_options`: number of options of each choice question (by key) for the per-option counts.
    A question asked in two versions (its text changed) gives two rows: versions are never mixed."""
    upper, lower = groups(papers) if papers else ([], [])
    upper_ids, lower_ids = {p.student for p in upper}, {p.student for p in lower}
    by_item: dict[tuple[str, str], list[tuple[Paper, ItemScore]]] = {}
    for paper in papers:
        for score in paper.items:
            by_item.setdefault((score.question_key, score.version), []).append((paper, score))
    stats = []
    for (key, version), rows in sorted(by_item.items()):
        scores = [s for _, s in rows]
        up = _facility([s for p, s in rows if p.student in upper_ids])
        low = _facility([s for p, s in rows if p.student in lower_ids])
        counts = None
        if key in n_options:
            tally = Counter(i for s in scores for i in (s.picked or ()))
            counts = tuple(tally.get(i, 0) for i in range(n_options[key]))
        stats.append(ItemStats(key, version, scores[0].type, len(scores), _facility(scores),
                               None if up is None or low is None else up - low,
                               pearson([s.score for s in scores], [p.total for p, _ in rows]), counts))
    warning = None
    if len(papers) < SMALL_CLASS:
        warning = f"只有 {len(papers)} 名学生交卷（少于 {SMALL_CLASS} 人），区分度等指标受个别学生影响很大，仅供参考。"
    return Analysis(len(papers), tuple(stats), cronbach_alpha(papers), warning)
