from __future__ import annotations

import unicodedata

from flask import Blueprint, abort, current_app, render_template, request

from db import get_db

from . import content_cached, current_course
from .loader import course_day
from .search import MAX_QUERY, MAX_RESULTS, course_entries, ensure_index, related_search, search as run_search

bp = Blueprint("course", __name__)


@bp.get("/")
def index():
    course = current_course()
    days_left = (course.exam_date - course_day()).days if course.exam_date else None
    return render_template("course/index.html", course=course, days_left=days_left)


@bp.get("/chapters/<slug>")
def show(slug: str):
    course = current_course()
    chapter = course.get(slug)
    if chapter is None:
        if any(p.path.endswith(f"/{slug}.md") for p in course.problems):
            return render_template("course/broken.html", slug=slug), 503
        abort(404, description="没有找到这一章。")
    prev, nxt = course.neighbours(slug)
    available = current_app.extensions.get("simulations", {})
    related = [(name, available[name]) for name in chapter.simulations if name in available]
    practice = [link for provider in current_app.extensions.get("related_links", []) for link in provider(chapter)]
    return render_template("course/show.html", course=course, chapter=chapter, prev=prev, nxt=nxt,
                           related_simulations=related, related_practice=practice)


def _search_entries() -> list:
    """Chapter sections plus what other packages add (app.extensions["search_sources"]), rebuilt with content."""
    def build(_content_dir):
        sources = current_app.extensions.get("search_sources", [])
        return course_entries(current_course()) + [e for source in sources for e in source()]
    return content_cached("search_entries", build)


def prepare_search(db) -> None:
    """Index the current entries in this database once per content version (also run at start-up)."""
    entries = _search_entries()
    indexed = current_app.extensions.setdefault("search_indexed", {})
    if indexed.get(current_app.config["DATABASE"]) is not entries:
        ensure_index(db, entries)
        indexed[current_app.config["DATABASE"]] = entries


@bp.get("/search")
def search():
    # ＣＲＭ typed on a Chinese keyboard is CRM: full-width letters, digits and spaces as the text has them
    q = unicodedata.normalize("NFKC", request.args.get("q", "")).strip()
    if len(q) > MAX_QUERY:
        abort(400, description=f"搜索词太长，请不超过 {MAX_QUERY} 个字符。")
    db = get_db()
    prepare_search(db)
    hits = run_search(db, q) if q else []
    related = related_search(db, q) if q and not hits else []
    questions, simulations = (_every_match(db, q, kind) for kind in ("question", "simulation"))
    return render_template("course/search.html", q=q, hits=hits or related, related=bool(related),
                           questions=questions, simulations=simulations, shown_questions=MAX_RESULTS,
                           practice_limit=current_app.extensions.get("question_set_limit", 0))


def _every_match(db, q: str, kind: str) -> list:
    """All entries of a kind the query finds (exact first, else related), best first: a group of its own."""
    if not q:
        return []
    return run_search(db, q, kind=kind, limit=None) or related_search(db, q, kind=kind, limit=None)
