"""Drilling views on the quizzes blueprint: 收藏 (bookmarks) and 背题模式 (recite)."""
from __future__ import annotations

from flask import abort, g, jsonify, redirect, render_template, request, url_for

from course import current_course
from db import get_db

from . import current_banks, store
from .engine import make_variant
from .learner import current_learner_id
from .model import Question, Variant
from .review import knowledge_points, split_point
from .types import TYPES
from .views import bp


def bookmarked_keys() -> set[str]:
    """This request's learner's bookmarks, read once per request (templates ask per question)."""
    if "bookmarked" not in g:
        learner_id = current_learner_id(create=False)
        g.bookmarked = set(store.bookmarks(get_db(), learner_id)) if learner_id else set()
    return g.bookmarked


@bp.app_context_processor
def bookmark_helpers() -> dict:
    return {"is_bookmarked": lambda key: key in bookmarked_keys()}


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else url_for("quizzes.bookmark_list")


@bp.post("/bookmarks/toggle")
def toggle_bookmark():
    key = request.form.get("key", "")
    if not current_banks().is_public(key):
        abort(404, description="没有找到这道题。")
    marked = store.toggle_bookmark(get_db(), current_learner_id(), key)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(bookmarked=marked)
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/bookmarks")
def bookmark_list():
    learner_id = current_learner_id(create=False)
    banks = current_banks()
    keys = store.bookmarks(get_db(), learner_id) if learner_id else []
    return render_template("quizzes/bookmarks.html", questions=[banks.by_key()[k] for k in keys if banks.is_public(k)],
                           gone=sum(not banks.is_public(k) for k in keys))


def recite_variant(question: Question) -> Variant:
    """Options in the authored order (letters match the key as written); a calculation with fixed numbers."""
    if TYPES[question.type].shape == "choice":
        return Variant(question, 0, question.stem, option_order=tuple(range(len(question.options))))
    return make_variant(question, 0)


@bp.get("/practice/recite")
def recite():
    banks, course = current_banks(), current_course()
    chapters = {b.chapter for b in banks.banks}
    chapter, type_ = request.args.get("chapter", ""), request.args.get("type", "")
    point = split_point(request.args.get("point", ""))
    mine = request.args.get("bookmarks") == "1"
    if point:
        chapter = point[0]
    if (chapter and chapter not in chapters) or (type_ and type_ not in TYPES):
        abort(404, description="没有这个章节或题型。")
    titles = {c.slug: f"{c.label} {c.title}" for c in course.chapters} | {"cases": "案例分析"}
    questions = [q for q in banks.questions()
                 if (not chapter or q.bank == chapter) and (not point or q.section == point[1])
                 and (not type_ or q.type == type_) and (not mine or q.key in bookmarked_keys())]
    scoped = bool(chapter or mine)
    return render_template("quizzes/recite.html", variants=[recite_variant(q) for q in questions] if scoped else [],
                           scoped=scoped, chapter=chapter, point=request.args.get("point", "") if point else "",
                           type_=type_, mine=mine, titles=titles, points=knowledge_points(course, banks),
                           counts={b.chapter: len(b.questions) for b in banks.banks}, types=TYPES)
