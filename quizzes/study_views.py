"""What a student keeps: 错题本, progress per chapter, and their own records (name, export, delete)."""
from __future__ import annotations

import secrets

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for

from course import current_course
from db import get_db
from simulations.views import plotly_url

from . import current_banks, store
from .engine import make_variant
from .exam_views import _exam_history
from .learner import current_learner_id, forget
from .model import variant_seed
from .papers import PAPER_KINDS
from .review import chapter_progress, review_item, study_next
from .selection import item, question_points
from .views import bp


@bp.get("/notebook")
def notebook():
    entries, chosen, by_key = _mistakes(request.args)
    facets = _notebook_facets(entries, by_key)
    rows = []
    for entry in chosen:
        last = store.last_wrong_response(get_db(), entry)
        question = by_key.get(entry["question_key"])
        if question and last:
            variant = make_variant(question, variant_seed(last["seed"], entry["last_position"]))
            rows.append((entry, review_item(variant, last["saved"], last["item"])))
    return render_template("quizzes/notebook.html", rows=rows, facets=facets, chapter=request.args.get("chapter", ""),
                           type_=request.args.get("type", ""), total=sum(facets["chapters"].values()))


def _mistakes(fields) -> tuple[list[dict], list[dict], dict]:
    """This learner's open 错题本 entries, those in the chapter and type `fields` (query or form) chose, and
    the banks' lookup."""
    learner_id = current_learner_id(create=False)
    by_key = current_banks().by_key()
    chapter, type_ = fields.get("chapter", ""), fields.get("type", "")
    entries = store.notebook(get_db(), learner_id) if learner_id else []
    chosen = [e for e in entries if (q := by_key.get(e["question_key"])) is not None
              and (not chapter or q.bank == chapter) and (not type_ or q.type == type_)]
    return entries, chosen, by_key


def _notebook_facets(entries: list[dict], by_key: dict) -> dict:
    """How many open mistakes per chapter and per type, for the filter menus."""
    chapters, types = {}, {}
    for e in entries:
        q = by_key.get(e["question_key"])
        if q:
            chapters[q.bank] = chapters.get(q.bank, 0) + 1
            types[q.type] = types.get(q.type, 0) + 1
    titles = {c.slug: f"{c.label} {c.title}" for c in current_course().chapters} | {"cases": "案例分析"}
    return {"chapters": chapters, "types": types, "titles": titles}


@bp.post("/notebook/redo")
def redo():
    _, chosen, by_key = _mistakes(request.form)
    if not chosen:
        flash("错题本是空的，没有需要重做的题。")
        return redirect(url_for("quizzes.notebook"))
    items = [item(q, question_points(q)) for q in (by_key[e["question_key"]] for e in chosen)]
    attempt_id = store.create_attempt(get_db(), current_learner_id(create=False), "redo", secrets.randbelow(2**31),
                                      {}, items)
    return redirect(url_for("quizzes.question", attempt_id=attempt_id, position=0))


@bp.get("/progress")
def progress():
    learner_id = current_learner_id(create=False)
    db = get_db()
    answered = store.answered(db, learner_id) if learner_id else []
    open_keys = {e["question_key"] for e in store.notebook(db, learner_id)} if learner_id else set()
    course, banks = current_course(), current_banks()
    rows = chapter_progress(course, banks, answered, open_keys)
    return render_template("quizzes/progress.html", rows=rows, next_up=study_next(course, banks, answered),
                           history=_exam_history(), plotly_url=plotly_url())


@bp.get("/me")
def me():
    from records.views import me_page

    return me_page()


@bp.post("/me")
def rename():
    name = request.form.get("display_name", "").strip()
    if len(name) > 30:
        abort(400, description="昵称不能超过 30 个字。")
    store.set_display_name(get_db(), current_learner_id(), name)
    flash("昵称已保存。")
    return redirect(url_for("quizzes.me"))


@bp.get("/me/export.json")
def export():
    learner_id = current_learner_id(create=False)
    data = store.export(get_db(), learner_id) if learner_id else {"learner": None, "attempts": [], "notebook": []}
    for record in data["attempts"]:   # a paper whose results are not released yet: its answers, no scores
        kind = PAPER_KINDS.get(record["kind"])
        attempt = store.get_attempt(get_db(), record["id"], learner_id) if kind else None
        if kind and not kind.results_visible(get_db(), attempt):
            record["score"] = None
        if kind and not kind.answers_visible(get_db(), attempt):   # right or wrong, question by question
            for response in record["responses"]:
                response["score"] = response["correct"] = None
    for name, export_of in current_app.extensions.get("learner_exports", {}).items():   # e.g. flashcards
        data[name] = export_of(get_db(), learner_id) if learner_id else None
    response = jsonify(data)
    response.headers["Content-Disposition"] = "attachment; filename=crm-learning-data.json"
    return response


@bp.post("/me/delete")
def delete():
    if request.form.get("confirm") != "yes":
        abort(400, description="请勾选确认后再删除。")
    learner_id = current_learner_id(create=False)
    if learner_id:
        store.delete_learner(get_db(), learner_id)
    forget()
    flash("你的全部学习记录已删除。")
    return redirect(url_for("quizzes.me"))
