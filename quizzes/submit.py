"""Exam answers in and the paper graded: one deadline rule, and read-grade-finish in one transaction.

Pure core (no Flask): every function takes `db` first where it touches the database and calls
`store` for the SQL. `save` and `submit` both run inside `store.immediate`, so an autosave either
commits before the submission begins (and is graded) or waits for it and is refused — a stored
score can never disagree with the stored answer.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any, Mapping

import sqlite_utils
from werkzeug.datastructures import MultiDict

from . import store
from .engine import BadResponse, grade, make_variant, parse_response
from .model import Attempt, Question, Variant
from .types import TYPES

GRACE = dt.timedelta(seconds=15)   # network latency allowance: the page auto-submits at 0:00
NOT_ANSWERS = frozenset({"csrf_token", "since"})   # fields of the exam's form that carry no answer (since: _since)


class UnknownField(BadResponse):
    """A form field that is not an answer field of this paper (forged or from another attempt)."""


@dataclass(frozen=True)
class Clock:
    remaining: int     # whole seconds to the deadline, as the page counts down (0 once passed)
    open: bool         # answers are still accepted: before the deadline plus GRACE


class Outcome(enum.Enum):
    GRADED = "graded"          # graded now, with the final answers
    LATE = "late"              # graded now, past the deadline: only answers saved in time count
    ALREADY = "already"        # an earlier submission (a double click) graded it; nothing changed


def clock(attempt: Attempt, moment: dt.datetime) -> Clock:
    """The one deadline rule. Every caller (the page, autosave, submit) asks it."""
    if attempt.deadline is None:
        return Clock(0, True)
    left = (attempt.deadline - moment).total_seconds()
    return Clock(max(0, int(left)), moment <= attempt.deadline + GRACE)


def variant_at(attempt: Attempt, position: int, questions: Mapping[str, Question]) -> Variant | None:
    """The variant this attempt shows at `position`, or None if the question left the banks."""
    question = questions.get(attempt.items[position].key)
    item = attempt.items[position]
    return None if question is None else make_variant(question, attempt.variant_seed(position), item.shuffle)


def answer_fields(position: int, variant: Variant) -> list[str]:
    """The form field names of the question at `position` (one per blank for 填空)."""
    return TYPES[variant.question.type].field_names(f"q{position}", variant.question)


def answers_from_form(attempt: Attempt, form: Mapping[str, list[str]], questions: Mapping[str, Question]) -> dict[int, Any]:
    """Parsed answers by position from a whole-paper form; None where the student cleared an answer.

    A field this paper does not have raises UnknownField; a value that cannot be an answer raises
    BadResponse. Questions the form does not mention are left out (radio buttons never picked).
    """
    variants = {pos: variant_at(attempt, pos, questions) for pos in range(len(attempt.items))}
    names = {name: pos for pos, v in variants.items() if v is not None for name in answer_fields(pos, v)}
    unknown = [name for name in form if name not in NOT_ANSWERS and name not in names]
    if unknown:
        raise UnknownField(f"提交了不属于本试卷的题目：{', '.join(n[:20] for n in unknown[:3])}")
    answers: dict[int, Any] = {}
    fields = MultiDict(form)
    for pos in sorted({names[name] for name in form if name in names}):
        question = variants[pos].question
        values = TYPES[question.type].form_values(fields, f"q{pos}", question)   # as practice reads one question
        answers[pos] = parse_response(variants[pos], values) if any(v.strip() for v in values) else None
    return answers


def _refuse_closed(db: sqlite_utils.Database, attempt: Attempt, moment: dt.datetime) -> None:
    if store.submitted_at(db, attempt.id):
        raise store.Conflict("试卷已经交过了，不能再修改。")
    if not clock(attempt, moment).open:
        raise store.Conflict("考试时间已到，答案不再接受。")


def saved_since(answers: Mapping[int, Any], stored: Mapping[int, dict], since: Mapping[int, dt.datetime],
                cleared: Mapping[int, str] | None = None) -> set[int]:
    """Positions whose stored answer was saved (or cleared: `cleared`) after the moment the sender's copy of
    it was based on: another tab or device changed it meanwhile, and an older copy must not overwrite it.
    The same answer is no conflict (a tab's own last-gasp save landing after it reloaded). No `since` for
    a position (a form sent without the exam's script), no check."""
    def changed_after(pos: int) -> bool:
        if pos in stored:
            row = stored[pos]
            return row["response"] != answers[pos] and dt.datetime.fromisoformat(row["answered_at"]) > since[pos]
        stamp = (cleared or {}).get(pos)   # cleared elsewhere: an older copy must not bring the answer back
        return answers[pos] is not None and stamp is not None and dt.datetime.fromisoformat(stamp) > since[pos]

    return {pos for pos in answers if pos in since and changed_after(pos)}


def save(db: sqlite_utils.Database, attempt: Attempt, answers: dict[int, Any], questions: Mapping[str, Question],
         moment: dt.datetime | None = None, since: Mapping[int, dt.datetime] | None = None) -> set[int]:
    """Autosave: store the answers that changed, or raise store.Conflict once submitted or past the deadline.
    Returns the positions left as they were because they were saved elsewhere after `since` (saved_since).

    Each changed answer is graded now, before the transaction, and its grade kept with it (never shown:
    it is only for 交卷), so that a whole class submitting at the deadline only grades what changed since."""
    grades = _grade(attempt, [(pos, {"response": a}) for pos, a in answers.items()], questions,
                    store.draft_grades(attempt, store.responses(db, attempt.id)))
    with store.immediate(db):
        moment = moment or store.now()
        _refuse_closed(db, attempt, moment)
        stored = store.responses(db, attempt.id)
        kept = _kept_elsewhere(db, attempt, answers, stored, since)
        store.write_drafts(db, attempt, {p: a for p, a in answers.items() if p not in kept}, store.iso(moment), stored,
                           grades)
    return kept


def _kept_elsewhere(db: sqlite_utils.Database, attempt: Attempt, answers: Mapping[int, Any],
                    stored: Mapping[int, dict], since: Mapping[int, dt.datetime] | None) -> set[int]:
    """saved_since, inside the caller's transaction (reading when answers were cleared only when asked)."""
    return saved_since(answers, stored, since, store.clears(db, attempt.id)) if since else set()


def submit(db: sqlite_utils.Database, attempt: Attempt, final: dict[int, Any], questions: Mapping[str, Question],
           moment: dt.datetime | None = None, notebook: bool = True,
           since: Mapping[int, dt.datetime] | None = None) -> Outcome:
    """交卷: merge the final answers (while open), grade every stored answer and finish, all at once.

    Grading uses the questions as this process has them now — after a bank edit mid-attempt, the new key —
    and stores that question's version with each answer and in the paper's items (blanks too), so the
    version on record is always the one that graded it (a later regrade compares against it).

    An autosaved answer comes with the grade it got then, used when the question's version is still the
    one that graded it. The rest are graded before the transaction, so that grading does not hold up
    every other writer; inside, an answer that changed meanwhile (an autosave that got in first) is graded there."""
    stored = store.responses(db, attempt.id)
    ready = _grade(attempt, [*((pos, r) for pos, r in stored.items()), *((pos, {"response": a}) for pos, a in final.items())],
                   questions, store.draft_grades(attempt, stored))
    variants = {pos: variant_at(attempt, pos, questions) for pos in range(len(attempt.items))}
    # what grades each question now, answered or left blank; a question deleted from the banks mid-exam scores nothing
    versions = {pos: variant.question.version for pos, variant in variants.items() if variant is not None}
    items = store.graded_items(attempt, versions)
    with store.immediate(db, durable=True):
        moment = moment or store.now()
        if store.submitted_at(db, attempt.id):
            return Outcome.ALREADY
        late = not clock(attempt, moment).open
        stamp = store.iso(moment)
        saved = store.responses(db, attempt.id)
        if not late:
            kept = _kept_elsewhere(db, attempt, final, saved, since)
            final = {p: a for p, a in final.items() if p not in kept}
            store.write_drafts(db, attempt, final, stamp, saved, ready)
            saved = {pos: r for pos, r in saved.items() if final.get(pos, True) is not None}   # cleared ones
            saved |= {pos: {"response": a} for pos, a in final.items() if a is not None}
        graded = {}
        for pos, row in saved.items():
            if variants.get(pos) is not None:
                result = ready.get(store.stored_key(pos, row)) or \
                    _graded(variants[pos], row["response"], attempt.items[pos].points)
                graded[pos] = (result.score, result.correct)
        store.write_grades(db, attempt, graded, stamp, notebook, versions, set(saved), items)
    return Outcome.LATE if late else Outcome.GRADED


def _graded(variant: Variant, response: Any, points: float) -> store.Draft:
    result = grade(variant, response, points)
    return store.Draft(result.score, result.correct, variant.question.version)


def _grade(attempt: Attempt, answers: list[tuple[int, dict]], questions: Mapping[str, Question],
           known: dict[tuple[int, str], store.Draft]) -> dict[tuple[int, str], store.Draft]:
    """Grades of `answers` ((position, response row) pairs) by `store.stored_key`: each distinct answer once,
    from `known` where the question's version is still the one that graded it."""
    ready: dict[tuple[int, str], store.Draft] = {}
    variants: dict[int, Variant | None] = {}
    for pos, row in answers:
        if row["response"] is None or not 0 <= pos < len(attempt.items):
            continue
        key = store.stored_key(pos, row)
        if key in ready:   # the final form mostly repeats the last autosave
            continue
        if pos not in variants:
            variants[pos] = variant_at(attempt, pos, questions)
        variant = variants[pos]
        if variant is None:
            continue
        draft = known.get(key)
        ready[key] = draft if draft and draft.version == variant.question.version else \
            _graded(variant, row["response"], attempt.items[pos].points)
    return ready
