"""Print pages: a chapter's questions, a mock exam paper, the learner's 错题集."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, redirect, request, url_for

from course import current_course
from db import get_db
from quizzes import current_banks, store
from quizzes.engine import make_variant, response_text
from quizzes.learner import current_learner_id
from quizzes.model import variant_seed
from quizzes.selection import exam_format, exam_items, item, question_points

from . import render_paper
from .paper import paper_from_items, paper_from_variants

bp = Blueprint("printing", __name__, url_prefix="/print")
MAX_SEED = 2**31


def _seed() -> int | None:
    seed = request.args.get("seed")
    if seed is None:
        return None
    if not seed.isdigit() or int(seed) >= MAX_SEED:
        abort(400, description="试卷编号（seed）须为非负整数。")
    return int(seed)


def _links(endpoint: str, seed: int | None, answers: bool, **kw) -> list[tuple[str, str]]:
    links = [("只看题目" if answers else "含答案与解析", url_for(endpoint, seed=seed, answers=None if answers else 1, **kw))]
    if seed is not None:
        links.append(("换一套选项顺序" if endpoint == "printing.chapter" else "换一套题", url_for(endpoint, **kw)))
    return links + [("返回题库下载与打印", url_for("interop.index"))]


@bp.get("/chapter/<slug>")
def chapter(slug: str):
    questions = [q for q in current_banks().questions() if q.bank == slug]
    titles = {c.slug: f"{c.label} {c.title}" for c in current_course().chapters if c.kind == "chapter"} | {"cases": "案例分析"}
    if not questions or slug not in titles:
        abort(404, description="没有这一章，或这一章没有题目。")
    seed = _seed()
    if seed is None:
        return redirect(url_for("printing.chapter", slug=slug, seed=secrets.randbelow(MAX_SEED), **_answers_arg()))
    answers = request.args.get("answers") == "1"
    items = [item(q, question_points(q)) for q in questions]
    paper = paper_from_items(f"{titles[slug]} 练习卷", items, seed, {q.key: q for q in questions},
                             f"试卷编号 {seed}")
    return render_paper(paper, answers, _links("printing.chapter", seed, answers, slug=slug))


@bp.get("/exam")
def exam():
    seed = _seed()
    if seed is None:
        return redirect(url_for("printing.exam", seed=secrets.randbelow(MAX_SEED), **_answers_arg()))
    fmt, _ = exam_format(current_app.config["CONTENT_DIR"])
    questions = current_banks().questions()
    items = exam_items(questions, fmt, seed)
    paper = paper_from_items(f"{current_course().title} 模拟试卷", items, seed, current_banks().by_key(),
                             f"考试时间 {fmt.minutes} 分钟 · 试卷编号 {seed}")
    answers = request.args.get("answers") == "1"
    return render_paper(paper, answers, _links("printing.exam", seed, answers))


@bp.get("/notebook")
def notebook():
    """The learner's open wrong answers, each with the answer they gave, the key and 解析."""
    learner_id = current_learner_id(create=False)
    db = get_db()
    by_key = current_banks().by_key()
    entries = []
    for entry in store.notebook(db, learner_id) if learner_id else []:
        last = store.last_wrong_response(db, entry)
        question = by_key.get(entry["question_key"])
        if question and last:
            variant = make_variant(question, variant_seed(last["seed"], entry["last_position"]), last["item"].shuffle)
            saved = last["saved"]
            entries.append((variant, last["item"].points, response_text(variant, saved["response"] if saved else None)))
    answers = request.args.get("answers") != "0"
    paper = paper_from_variants("错题集", entries, f"共 {len(entries)} 道未掌握的题")
    links = [("只看题目" if answers else "含答案与解析", url_for("printing.notebook", answers=0 if answers else None)),
             ("返回错题本", url_for("quizzes.notebook"))]
    return render_paper(paper, answers, links, notebook=True)


def _answers_arg() -> dict:
    return {"answers": 1} if request.args.get("answers") == "1" else {}
