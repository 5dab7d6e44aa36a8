"""Type-first mode: the learner writes the definition, the 得分点 matcher suggests a grade."""
from __future__ import annotations

from dataclasses import dataclass

from quizzes.engine import grade, make_variant
from quizzes.model import PointResult, Question

GOOD_SHARE = 0.6     # the share of 得分点 that counts as remembered (as in practice's subjective pass mark)
HARD_SHARE = 0.3     # four buttons: some points found → 困难


@dataclass(frozen=True)
class Suggestion:
    rating: int
    share: float
    points: tuple[PointResult, ...]


def suggest_rating(question: Question, typed: str, buttons: int) -> Suggestion | None:
    """None when the question has no 得分点 yet (an imported bank may lack them): nothing to match."""
    if not question.key_points:
        return None
    result = grade(make_variant(question, 0), typed, 1.0)
    total = sum(p.point.points for p in result.points) or 1.0
    share = sum(p.point.points for p in result.points if p.found) / total
    if share >= GOOD_SHARE:
        rating = 3
    elif buttons == 4 and share >= HARD_SHARE:
        rating = 2
    else:
        rating = 1
    return Suggestion(rating, share, result.points)
