"""Student self-testing views: thin shells over selection, engine and store. The blueprint, its shared
lookups and 练习; exam_views (the paper), study_views (错题本, progress, my records) and drill add their routes."""
from __future__ import annotations

import secrets
from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from course import current_course
from db import get_db

from . import current_banks, store, submit
from .engine import BadResponse, grade, parse_response
from .learner import current_learner_id
from .model import Attempt
from .review import knowledge_points, review_item, split_point
from .selection import item, practice_items, question_points
from .types import TYPES

bp = Blueprint("quizzes", __name__)
PRACTICE_SIZES = (5, 10, 20, 50)
MAX_SET = max(PRACTICE_SIZES)   # questions in one chosen set (e.g. every search match): one long session at most
PRACTICE_MODES = {"all": "题目", "unseen": "没做过的题", "wrong": "错题本中的题", "bookmarks": "收藏的题"}


def _attempt(attempt_id: int, kind: tuple[str, ...]) -> Attempt:
    learner_id = current_learner_id(create=False)
    attempt = store.get_attempt(get_db(), attempt_id, learner_id) if learner_id else None
    if attempt is None or attempt.kind not in kind:
        abort(404, description="没有找到这次练习或考试（它可能属于另一台设备上的学习记录）。")
    return attempt


def _variant(attempt: Attempt, position: int, by_key: dict | None = None):
    """`by_key`: the banks' lookup, when a page needs every question (one lookup instead of one each)."""
    if not 0 <= position < len(attempt.items):
        abort(404, description="这道题不在本次练习中。")
    variant = submit.variant_at(attempt, position, by_key or current_banks().by_key())
    if variant is None:
        abort(410, description="这道题已从题库中删除。")
    return variant


def _values(position: int, variant) -> list[str]:
    return TYPES[variant.question.type].form_values(request.form, f"q{position}", variant.question)


@bp.get("/practice")
def index():
    banks = current_banks()
    course = current_course()
    counts = banks.counts()
    chapters = [c for c in course.chapters if c.kind == "chapter" and counts.get(c.slug)]
    return render_template("quizzes/index.html", chapters=chapters, counts=counts, types=TYPES,
                           sizes=PRACTICE_SIZES, chosen=set(request.args.getlist("chapter")),
                           has_cases=bool(counts.get("cases")), total=sum(counts.values()), modes=PRACTICE_MODES,
                           mode=request.args.get("mode", "all"), points=knowledge_points(course, banks),
                           point=request.args.get("point", ""))


@bp.get("/practice/set")
def practice_set():
    """A chosen handful of questions (linked from simulations and chapters): confirm, then start."""
    banks = current_banks()
    point = split_point(request.args.get("point", ""))
    if point:
        questions = [q for q in banks.questions() if (q.bank, q.section) == point][:MAX_SET]
    else:
        by_id = banks.by_id()
        questions = [by_id[i] for i in dict.fromkeys(request.args.getlist("q")) if i in by_id]
    if not questions:
        abort(404, description="没有找到这些题目。")
    return render_template("quizzes/set.html", questions=questions, point=request.args.get("point", "") if point else "")


@bp.post("/practice")
def start_practice():
    banks = current_banks()
    if request.form.getlist("question"):
        return _start_question_set(banks, request.form.getlist("question"))
    known = set(banks.counts())
    chapters, types = set(request.form.getlist("chapter")), set(request.form.getlist("type"))
    if not chapters <= known or not types <= set(TYPES):
        abort(400, description="所选章节或题型不存在。")
    size = request.form.get("size", type=int)
    if size not in PRACTICE_SIZES:
        abort(400, description=f"题量须为 {'、'.join(map(str, PRACTICE_SIZES))} 之一。")
    mode, point = request.form.get("mode", "all"), request.form.get("point", "")
    if mode not in PRACTICE_MODES or (point and split_point(point) is None):
        abort(400, description="出题方式或知识点不存在。")
    chapter, section = split_point(point) or (None, "")
    seed = secrets.randbelow(2**31)
    items = practice_items(banks.questions(), {chapter} if chapter else chapters, types, size, seed,
                           _mode_keys(mode), section)
    if not items:
        flash(f"所选范围内没有{PRACTICE_MODES[mode]}，请换个章节、题型或出题方式。")
        return redirect(url_for("quizzes.index"))
    attempt_id = store.create_attempt(get_db(), current_learner_id(), "practice", seed,
                                      {"chapters": sorted(chapters), "types": sorted(types), "mode": mode,
                                       "point": point}, items)
    return redirect(url_for("quizzes.question", attempt_id=attempt_id, position=0))


def _mode_keys(mode: str) -> set[str] | None:
    """The question keys a practice mode draws from (None: every question)."""
    learner_id = current_learner_id(create=False)
    if mode == "all":
        return None
    if not learner_id:
        return set() if mode != "unseen" else None
    db = get_db()
    if mode == "wrong":
        return {e["question_key"] for e in store.notebook(db, learner_id)}
    if mode == "bookmarks":
        return set(store.bookmarks(db, learner_id))
    return {q.key for q in current_banks().questions()} - store.seen_keys(db, learner_id)


def _start_question_set(banks, ids: list[str]):
    by_id = banks.by_id()
    unknown = [i for i in ids if i not in by_id]
    if unknown or len(ids) > MAX_SET:
        abort(400, description=f"题目不存在：{'、'.join(unknown[:3])}" if unknown else f"一次最多练习 {MAX_SET} 道指定题目。")
    items = [item(by_id[i], question_points(by_id[i])) for i in dict.fromkeys(ids)]
    attempt_id = store.create_attempt(get_db(), current_learner_id(), "practice", secrets.randbelow(2**31),
                                      {"questions": list(dict.fromkeys(ids))}, items)
    return redirect(url_for("quizzes.question", attempt_id=attempt_id, position=0))


@bp.get("/practice/<int:attempt_id>/<int:position>")
def question(attempt_id: int, position: int):
    attempt = _attempt(attempt_id, ("practice", "redo"))
    variant = _variant(attempt, position)
    saved = store.responses(get_db(), attempt_id).get(position)
    reviewed = review_item(variant, saved, attempt.items[position]) if saved else None
    return render_template("quizzes/question.html", attempt=attempt, position=position, variant=variant,
                           review=reviewed, total=len(attempt.items))


@bp.post("/practice/<int:attempt_id>/<int:position>")
def answer(attempt_id: int, position: int):
    attempt = _attempt(attempt_id, ("practice", "redo"))
    variant = _variant(attempt, position)
    values = _values(position, variant)
    objective = TYPES[variant.question.type].objective
    if not any(v.strip() for v in values) and (objective or request.form.get("confirm_empty") != "1"):
        return _ask_again(attempt, position, variant, values, TYPES[variant.question.type].empty_message, not objective)
    try:
        response = parse_response(variant, values)
    except BadResponse as exc:
        return _ask_again(attempt, position, variant, values, str(exc))
    result = grade(variant, response, attempt.items[position].points)
    try:
        graded_item = replace(attempt.items[position], version=variant.question.version)   # the version that graded it
        store.record_answer(get_db(), attempt, position, graded_item, response,
                            result.score, result.correct if objective else None)
    except store.Conflict as exc:
        abort(409, description=str(exc))
    return redirect(url_for("quizzes.question", attempt_id=attempt_id, position=position) + "#feedback")


def _ask_again(attempt: dict, position: int, variant, values: list[str], message: str, confirm_empty: bool = False):
    """The same question again, the typed answer kept and the reason beside the answer box (nothing stored)."""
    qtype = TYPES[variant.question.type]
    page = render_template("quizzes/question.html", attempt=attempt, position=position, variant=variant, review=None,
                           total=len(attempt.items), error=message, confirm_empty=confirm_empty,
                           kept=qtype.refill(values))
    return page, 422


@bp.post("/practice/<int:attempt_id>/<int:position>/self")
def self_score(attempt_id: int, position: int):
    attempt = _attempt(attempt_id, ("practice", "redo"))
    variant = _variant(attempt, position)
    points = attempt.items[position].points
    score = request.form.get("self_score", type=float)
    if TYPES[variant.question.type].objective:
        abort(400, description="这道题由系统判分，不需要自评。")
    if score is None or not 0 <= score <= points:
        abort(400, description=f"自评得分须在 0 到 {points:g} 之间。")
    try:
        store.record_self_score(get_db(), attempt, position, score, score >= 0.6 * points)
    except store.Conflict as exc:
        abort(409, description=str(exc))
    return redirect(url_for("quizzes.question", attempt_id=attempt_id, position=position) + "#feedback")


@bp.get("/practice/<int:attempt_id>/done")
def done(attempt_id: int):
    attempt = _attempt(attempt_id, ("practice", "redo"))
    saved = store.responses(get_db(), attempt_id)
    by_key = current_banks().by_key()
    rows = [review_item(_variant(attempt, pos, by_key), saved.get(pos), item) for pos, item in enumerate(attempt.items)]
    return render_template("quizzes/done.html", attempt=attempt, rows=rows)
