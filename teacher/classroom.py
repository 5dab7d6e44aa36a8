"""Teacher-area actions that combine the pure rules with the store (shared by views and the CLI).
Every function takes `db` first; nothing here reads the request."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import replace

import sqlite_utils

from quizzes import store as quiz_store
from quizzes.papers import PaperKind
from quizzes.engine import make_variant
from quizzes.model import Item, Question, variant_seed

from . import store
from .accounts import resume_hash
from .assignments import Assignment, Spec, check_spec, draw_seed, new_code, student_items


def create_assignment(db: sqlite_utils.Database, questions: tuple[Question, ...], class_id: int, title: str,
                      spec: Spec, opens_at: dt.datetime, closes_at: dt.datetime, minutes: int,
                      attempts_allowed: int, release: str) -> tuple[int, str]:
    """Check the spec against the banks, store it with a fresh seed and a unique code: (id, code)."""
    check_spec(questions, spec)
    seed = secrets.randbelow(2**31)
    for _ in range(20):
        code = new_code()
        assignment_id = store.create_assignment(db, class_id, title, code, spec.to_json(), seed, opens_at, closes_at,
                                                minutes, attempts_allowed, release)
        if assignment_id is not None:
            return assignment_id, code
    raise RuntimeError("could not draw an unused assignment code")


def change_timing(db: sqlite_utils.Database, assignment: Assignment, timing) -> int:
    """New title, times, attempts or release; papers still open get the deadline the new times give them
    (an extended close time gives back what the old one cut off). Returns how many papers' deadlines moved."""
    changed = replace(assignment, **vars(timing))   # Timing's fields are the Assignment's it may change
    return store.update_timing(db, assignment.id, vars(timing), changed.deadline)


def join(db: sqlite_utils.Database, secret: str, class_id: int, student_no: str, name: str,
         learner_id: str) -> str | None:
    """Enrol; the personal code to show once when newly joined, None when this device had joined already."""
    code = new_code()
    joined = store.enrol(db, class_id, student_no, name, learner_id, resume_hash(secret, class_id, student_no, code))
    return code if joined else None


def reset_code(db: sqlite_utils.Database, secret: str, class_id: int, student_no: str) -> str | None:
    code = new_code()
    return code if store.reset_resume(db, class_id, student_no, resume_hash(secret, class_id, student_no, code)) else None


def start(db: sqlite_utils.Database, assignment: Assignment, questions: tuple[Question, ...], student_no: str,
          learner_id: str, moment: dt.datetime) -> int:
    """The attempt a student works on: the open one, or the next of their allowed attempts."""
    def make(number: int):
        seed = draw_seed(assignment.seed, student_no, number)
        return seed, student_items(questions, assignment.spec, seed), assignment.deadline(moment)

    return store.start_attempt(db, assignment.id, assignment.attempts_allowed, student_no, learner_id, make)


def variant_for(question: Question, attempt_seed: int, position: int, item: Item):
    """The variant a student sees at `position` (the exam engine's seed rule)."""
    return make_variant(question, variant_seed(attempt_seed, position), item.shuffle)


def sample_paper(assignment: Assignment, banks, draw: int) -> tuple[int, list[Item]]:
    """(attempt seed, items) of sample paper number `draw`, as if a student 'preview-N' drew it."""
    seed = draw_seed(assignment.seed, f"preview-{draw}", 1)
    return seed, student_items(banks.for_assignments(), assignment.spec, seed)


def preview(assignment: Assignment, banks, draw: int) -> tuple[list, list[dict]]:
    """The variants and items of sample paper number `draw` (as if a student 'preview-N' took it)."""
    seed, items = sample_paper(assignment, banks, draw)
    by_key = banks.by_key()
    return [variant_for(by_key[i.key], seed, pos, i) for pos, i in enumerate(items)], items


def review_practice(db: sqlite_utils.Database, learner_id: str, attempt_id: int, assignment_id: int) -> int:
    """A practice attempt over the questions of the student's first attempt (no credit, instant feedback)."""
    items = store.attempt_items(db, attempt_id)
    return quiz_store.create_attempt(db, learner_id, "practice", secrets.randbelow(2**31),
                                     {"assignment_review": assignment_id}, items)


def _assignment(db: sqlite_utils.Database, attempt) -> Assignment | None:
    """The assignment of an attempt; None for an 'assignment' attempt without one (e.g. from an imported export)."""
    row = store.assignment_of_attempt(db, attempt.id)
    return Assignment.from_row(row) if row else None


def _title(db: sqlite_utils.Database, attempt) -> str:
    assignment = _assignment(db, attempt)
    return assignment.title if assignment else "作业"


def _visible(db: sqlite_utils.Database, attempt) -> bool:
    assignment = _assignment(db, attempt)
    return assignment is not None and assignment.results_visible(store.now())


def _answers_visible(db: sqlite_utils.Database, attempt) -> bool:
    row = store.assignment_of_attempt(db, attempt.id)
    if row is None:
        return False
    return Assignment.from_row(row).answers_visible(store.now(), store.my_attempts(db, row["id"], row["student_no"]))


def _home(db: sqlite_utils.Database, attempt) -> tuple[str, str]:
    from flask import url_for

    assignment = _assignment(db, attempt)
    return ("返回作业", url_for("teacher.join", code=assignment.code)) if assignment else ("返回首页", url_for("course.index"))


# An assignment is taken on the mock exam's pages: titled by the teacher, released by the policy,
# kept out of the 错题本 (it would show keys before release), with the teacher's comments.
PAPER = PaperKind(title=_title, results_visible=_visible, answers_visible=_answers_visible,
                  notebook=False, home=_home, comments=lambda db, attempt: store.comments(db, attempt.id))


def finalise_expired(db: sqlite_utils.Database, assignment_id: int, by_key, moment: dt.datetime,
                     student_no: str | None = None) -> int:
    """Submit, with what was saved in time, every attempt (of `student_no`, if given) whose deadline (plus
    grace) has passed."""
    from quizzes import submit

    count = 0
    for attempt_id in store.expired_attempts(db, assignment_id, moment - submit.GRACE, student_no):
        attempt = quiz_store.get_attempt(db, attempt_id, store.learner_of_attempt(db, attempt_id))
        if submit.submit(db, attempt, {}, by_key, moment, notebook=False) is not submit.Outcome.ALREADY:
            count += 1
    return count


def save_grade(db: sqlite_utils.Database, attempt, position: int, question: Question, score: float,
               ticked: list[int], comment: str, teacher_id: int) -> None:
    """Validate a teacher's grade of one answer and store it."""
    from quizzes.types import SUBJECTIVE_PASS

    points = attempt.items[position].points
    if not 0 <= score <= points:
        raise store.Conflict(f"得分须在 0 到 {points:g} 之间。")
    if any(not 0 <= i < len(question.key_points) for i in ticked):
        raise store.Conflict("得分点不存在。")
    store.save_grade(db, attempt.attempt_id, position, round(score, 2), score >= SUBJECTIVE_PASS * points,
                     sorted(set(ticked)), comment.strip()[:1000], teacher_id)
