"""An assignment's results as teachers read them: who is where, scores per section, papers for item
analysis (first attempts only). Pure: rows from the store and questions in, values out."""
from __future__ import annotations

from dataclasses import dataclass

from quizzes.engine import grade, make_variant, picked_options
from quizzes.model import Item, Question, Variant, variant_seed
from quizzes.types import TYPES

from .analysis import ItemScore, Paper


@dataclass(frozen=True)
class AttemptRow:
    """One attempt at an assignment with its stored responses (position -> response row)."""

    attempt_id: int
    student_no: str
    name: str
    number: int
    seed: int
    items: tuple[Item, ...]
    started_at: str
    deadline: str
    submitted_at: str | None
    score: float | None
    max_score: float | None
    responses: dict
    learner_id: str = ""

    def variant(self, position: int, question: Question) -> Variant:
        return make_variant(question, variant_seed(self.seed, position), self.items[position].shuffle)

    def sections(self) -> dict[str, list[float]]:
        """Section (question type) -> [score, max] from the stored scores."""
        out: dict[str, list[float]] = {}
        for pos, item in enumerate(self.items):
            entry = out.setdefault(item.section, [0.0, 0.0])
            entry[0] += (self.responses.get(pos) or {}).get("score") or 0.0
            entry[1] += item.points
        return out


@dataclass(frozen=True)
class StudentStatus:
    student_no: str
    name: str
    joined_at: str | None
    status: str                 # "absent" (on the roster, not joined), "joined", "working", "submitted"
    answered: int               # answers saved in the latest attempt
    total: int                  # questions in the latest attempt
    last_saved: str | None
    score: float | None
    max_score: float | None
    attempts: int
    latest_attempt: int | None


STATUS_TEXT = {"absent": "未加入", "joined": "已加入", "working": "作答中", "submitted": "已交卷"}


def live_table(roster: list[dict], attempts: list[AttemptRow]) -> list[StudentStatus]:
    """Every student on the roster (or who joined), with the state of their latest attempt."""
    latest: dict[str, AttemptRow] = {}
    count: dict[str, int] = {}
    for a in attempts:
        count[a.student_no] = count.get(a.student_no, 0) + 1
        if a.student_no not in latest or a.number > latest[a.student_no].number:
            latest[a.student_no] = a
    rows = []
    for s in roster:
        a = latest.get(s["student_no"])
        if a is None:
            status = "joined" if s.get("joined_at") else "absent"
            rows.append(StudentStatus(s["student_no"], s["name"], s.get("joined_at"), status, 0, 0, None, None, None, 0, None))
            continue
        saved = [r["answered_at"] for r in a.responses.values() if r.get("response") is not None]
        rows.append(StudentStatus(s["student_no"], s["name"], s.get("joined_at"),
                                  "submitted" if a.submitted_at else "working", len(saved), len(a.items),
                                  max(saved) if saved else None, a.score, a.max_score, count[s["student_no"]],
                                  a.attempt_id))
    order = {"working": 0, "submitted": 1, "joined": 2, "absent": 3}
    return sorted(rows, key=lambda r: (order[r.status], r.student_no))


def first_submitted(attempts: list[AttemptRow]) -> list[AttemptRow]:
    """Each student's first attempt, if submitted: the statistics' population."""
    return [a for a in attempts if a.number == 1 and a.submitted_at]


def best_submitted(attempts: list[AttemptRow]) -> dict[str, AttemptRow]:
    """Each student's highest-scoring submitted attempt (the score that counts)."""
    best: dict[str, AttemptRow] = {}
    for a in attempts:
        if a.submitted_at and (a.student_no not in best or (a.score or 0) > (best[a.student_no].score or 0)):
            best[a.student_no] = a
    return best


def papers(attempts: list[AttemptRow], by_key: dict[str, Question]) -> list[Paper]:
    """First submitted attempts as analysis papers; versions come from the stored responses."""
    out = []
    for a in first_submitted(attempts):
        scores = []
        for pos, item in enumerate(a.items):
            row = a.responses.get(pos) or {}
            question = by_key.get(item.key)
            qtype = question.type if question else item.section
            picked = None
            if question is not None and question.options:
                response = row.get("response")
                picked = picked_options(a.variant(pos, question), response) if response is not None else ()
            scores.append(ItemScore(item.key, row.get("version") or item.version, qtype, row.get("score") or 0.0,
                                    item.points, picked))
        out.append(Paper(a.student_no, tuple(scores)))
    return out


def suggested(variant: Variant, response, points: float):
    """The matcher's grade of a subjective answer: the key points found (pre-ticked) and the score."""
    return grade(variant, response, points)


def is_subjective(question: Question) -> bool:
    return not TYPES[question.type].objective


def histogram(scores: list[float], full: float, bins: int = 10) -> list[tuple[str, int]]:
    """Score bands of equal width over 0..full (the last band includes full marks): (label, students)."""
    if full <= 0:
        return []
    width = full / bins
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score / width)))] += 1
    return [(f"{i * width:g}–{(i + 1) * width:g}", n) for i, n in enumerate(counts)]
