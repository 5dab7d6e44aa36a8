"""Ranking customers by value: quintile scores, the customer pyramid, the 80/20 curve and ABC classes.

Pure functions over arrays of values, used by the RFM model and checked against the chapters' examples.
"""
from __future__ import annotations

import numpy as np

LEVELS = (("重要客户", 0.01), ("主要客户", 0.04), ("普通客户", 0.15), ("小客户", 0.80))  # 客户金字塔, as in the chapter
ABC_CUTS = (0.70, 0.85)  # cumulative revenue share closing classes A and B


def quintile_scores(values: np.ndarray, higher_is_better: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Scores 1–5: one point for each 20/40/60/80% quantile a value beats; ties share a score."""
    v = np.asarray(values, dtype=float) * (1 if higher_is_better else -1)
    cuts = np.quantile(v, [0.2, 0.4, 0.6, 0.8])
    scores = 1 + (v[:, None] > cuts[None, :]).sum(axis=1)
    return scores, cuts * (1 if higher_is_better else -1)


def pyramid_levels(monetary: np.ndarray) -> list[str]:
    """客户金字塔 by revenue: the top 1% 重要客户, then 4% 主要客户, 15% 普通客户 and 80% 小客户."""
    order = np.argsort(-monetary, kind="stable")
    bounds = np.round(np.cumsum([share for _, share in LEVELS]) * len(monetary)).astype(int)
    bounds[0] = max(bounds[0], 1)  # a pyramid always has a top
    bounds = np.maximum.accumulate(bounds)
    names = [""] * len(monetary)
    for rank, i in enumerate(order):
        names[i] = LEVELS[int(np.searchsorted(bounds, rank, side="right"))][0]
    return names


def pareto(monetary: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The 80/20 curve: cumulative share of customers (best first) against cumulative share of revenue."""
    ordered = np.sort(monetary)[::-1]
    y = np.concatenate(([0], np.cumsum(ordered) / ordered.sum()))
    x = np.arange(len(y)) / len(ordered)
    keep = np.unique(np.linspace(0, len(y) - 1, min(len(y), 101)).round().astype(int))
    return tuple(x[keep].round(4).tolist()), tuple(y[keep].round(4).tolist())


def top_share(monetary: np.ndarray, top: float) -> float:
    """Share of revenue from the best `top` fraction of customers."""
    ordered = np.sort(monetary)[::-1]
    return float(ordered[: max(1, round(top * len(ordered)))].sum() / ordered.sum())


def abc_classes(monetary: np.ndarray) -> dict[str, int]:
    """By cumulative share of revenue, best first: A up to 70%, B up to 85%, C the rest.

    The cut-offs reproduce the chapter's worked example (40, 25, 10, 8, … → A 2, B 2, C 6 customers).
    """
    ordered = np.sort(monetary)[::-1]
    cumulative = np.cumsum(ordered) / ordered.sum()
    a = max(1, int((cumulative <= ABC_CUTS[0] + 1e-9).sum()))
    b = max(a, int((cumulative <= ABC_CUTS[1] + 1e-9).sum()))
    return {"A": a, "B": b - a, "C": len(ordered) - b}
