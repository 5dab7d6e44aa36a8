"""Regrading after a bank's key changed: every submitted answer graded again against the current
question, reported first (dry run), applied on request. A teacher's own grade of an answer stands.
A question left blank scores 0 under any key, but its version moves too, so statistics never count a
paper under two versions. Papers still open are left alone: 交卷 grades them by the key then current.
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
    answered: bool = True         # False: a blank, whose version alone moves (in the paper's items)


def changes(attempts: list[AttemptRow], by_key: dict[str, Question], manual: dict[tuple[int, int], dict]) -> list[Change]:
    out = []
    for a in attempts:
        if not a.submitted_at:
            continue
        for pos, item in enumerate(a.items):
            question = by_key.get(item.key)
            row = a.responses.get(pos)
            if question is None:
                continue
            if row is None or row["response"] is None:
                if item.version != question.version:
                    out.append(Change(a.attempt_id, pos, a.student_no, a.name, item.key, item.version,
                                      question.version, None if row is None else row["score"], 0.0, False, False))
                continue
            score, correct = _grade(a, pos, question, row, manual.get((a.attempt_id, pos)))
            if score != row["score"] or question.version != row["version"] or question.version != item.version:
                out.append(Change(a.attempt_id, pos, a.student_no, a.name, item.key, row["version"],
                                  question.version, row["score"], score, correct))
    return out


def _grade(a: AttemptRow, pos: int, question: Question, row: dict, kept: dict | None) -> tuple[float, bool]:
    points = a.items[pos].points
    if kept is not None:
        return kept["score"], kept["score"] >= SUBJECTIVE_PASS * points
    result = grade(a.variant(pos, question), row["response"], points)
    return result.score, result.correct
