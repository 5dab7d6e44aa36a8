"""Regrading after a bank's key changed: every submitted answer graded again against the current
question, reported first (dry run), applied on request. A teacher's own grade of an answer stands.
Running it twice changes nothing: the second run finds every score and version already current. Pure."""
from __future__ import annotations

from dataclasses import dataclass

from quizzes.engine import grade
from quizzes.model import Question
from quizzes.types import SUBJECTIVE_PASS

from .results import AttemptRow


@dataclass(frozen=True)
class Change:
    attempt_id: int
    position: int
    student_no: str
    name: str
    question_key: str
    old_version: str
    new_version: str
    old_score: float | None
    new_score: float
    correct: bool


def changes(attempts: list[AttemptRow], by_key: dict[str, Question], manual: dict[tuple[int, int], dict]) -> list[Change]:
    out = []
    for a in attempts:
        if not a.submitted_at:
            continue
        for pos, row in sorted(a.responses.items()):
            question = by_key.get(row["question_key"])
            if question is None or row["response"] is None:
                continue
            points = a.items[pos].points
            kept = manual.get((a.attempt_id, pos))
            if kept is not None:
                score, correct = kept["score"], kept["score"] >= SUBJECTIVE_PASS * points
            else:
                result = grade(a.variant(pos, question), row["response"], points)
                score, correct = result.score, result.correct
            if score != row["score"] or question.version != row["version"]:
                out.append(Change(a.attempt_id, pos, a.student_no, a.name, row["question_key"], row["version"],
                                  question.version, row["score"], score, correct))
    return out

