"""Student self-testing views: thin shells over selection, engine and store."""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import secrets
from dataclasses import replace

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for

from course import current_course
from db import get_db
from simulations.views import plotly_url

from . import current_banks, store, submit
from .engine import BadResponse, grade, make_variant, parse_response
from .learner import current_learner_id, forget
from .model import Attempt, variant_seed
from .papers import PAPER_KINDS
from .review import (SHOW, chapter_progress, exam_records, item_state, knowledge_points, result_sections,
                     review_item, split_point, study_next)
from .selection import exam_format, exam_items, item, practice_items, question_points
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


@bp.get("/exam")
def exam_intro():
    fmt, _ = exam_format(current_app.config["CONTENT_DIR"])
    learner_id = current_learner_id(create=False)
    moment = store.now()
    left = lambda row: math.ceil((dt.datetime.fromisoformat(row["deadline"]) - moment).total_seconds() / 60)  # noqa: E731
    unfinished = [{**row, "minutes_left": left(row)} for row in (store.open_exams(get_db(), learner_id) if learner_id else [])]
    return render_template("quizzes/exam_intro.html", fmt=fmt, history=_exam_history(), plotly_url=plotly_url(),
                           unfinished=unfinished)


def _exam_history() -> list:
    learner_id = current_learner_id(create=False)
    return exam_records(store.exam_history(get_db(), learner_id)) if learner_id else []


@bp.post("/exam")
def start_exam():
    fmt, _ = exam_format(current_app.config["CONTENT_DIR"])
    seed = secrets.randbelow(2**31)
    items = exam_items(current_banks().questions(), fmt, seed)
    deadline = store.now() + dt.timedelta(minutes=fmt.minutes)
    attempt_id = store.create_attempt(get_db(), current_learner_id(), "exam", seed,
                                      {"minutes": fmt.minutes}, items, deadline)
    return redirect(url_for("quizzes.exam", attempt_id=attempt_id))


@bp.get("/exam/<int:attempt_id>")
def exam(attempt_id: int):
    attempt = _attempt(attempt_id, tuple(PAPER_KINDS))
    if attempt.submitted_at or _hand_in_if_time_is_up(attempt):
        return redirect(url_for("quizzes.exam_result", attempt_id=attempt_id))
    by_key = current_banks().by_key()
    variants = [_variant(attempt, pos, by_key) for pos in range(len(attempt.items))]
    rows = store.responses(get_db(), attempt_id)
    saved = {pos: r["response"] for pos, r in rows.items()}
    # when each answer was last saved or cleared: the browser's draft yields to anything newer
    saved_at = store.clears(get_db(), attempt_id) | {pos: r["answered_at"] for pos, r in rows.items()}
    moment = store.now()
    page = render_template("quizzes/exam.html", attempt=attempt, variants=variants, saved=saved, saved_at=saved_at,
                           rendered_at=store.iso(moment), remaining=submit.clock(attempt, moment).remaining, types=TYPES,
                           title=PAPER_KINDS[attempt.kind].title(get_db(), attempt),
                           flagged=store.flags(get_db(), attempt_id))
    # Never from the back/forward cache: after submission, "back" must show the result, not a stale paper.
    return page, 200, {"Cache-Control": "no-store"}


def _hand_in_if_time_is_up(attempt: Attempt) -> bool:
    """A paper whose time (and grace) ran out while nobody pressed 交卷 — the tab closed, the phone died — is
    handed in with what was saved in time by the first page that looks at it, so the student sees a result."""
    if attempt.submitted_at or submit.clock(attempt, store.now()).open:
        return False
    outcome = submit.submit(get_db(), attempt, {}, current_banks().by_key(), notebook=PAPER_KINDS[attempt.kind].notebook)
    if outcome is not submit.Outcome.ALREADY:
        flash("考试时间已到，试卷已自动交卷：只计入截止前已保存的答案。")
    return True


def _exam_answers(attempt: Attempt) -> dict:
    try:
        return submit.answers_from_form(attempt, request.form.to_dict(flat=False), current_banks().by_key())
    except submit.UnknownField as exc:
        abort(400, description=str(exc))
    except BadResponse as exc:
        abort(422, description=str(exc))


@bp.post("/exam/<int:attempt_id>/save")
def exam_save(attempt_id: int):
    g.json_errors = True
    attempt = _attempt(attempt_id, tuple(PAPER_KINDS))
    answers = _exam_answers(attempt)
    try:
        kept = submit.save(get_db(), attempt, answers, current_banks().by_key(), since=_since(attempt))
    except store.Conflict as exc:
        abort(409, description=str(exc))
    return jsonify(saved=sorted(p for p, a in answers.items() if a is not None and p not in kept),
                   kept_elsewhere=sorted(kept), at=store.iso(store.now()))


def _since(attempt: Attempt) -> dict[int, dt.datetime]:
    """exam.js sends, for each answer it sends, the server time its copy was based on: {"q3": iso, …}."""
    raw = request.form.get("since")
    if not raw:
        return {}
    try:
        stamps = json.loads(raw)
        assert isinstance(stamps, dict) and len(stamps) <= len(attempt.items)
        assert all(re.fullmatch(r"q\d{1,4}", name) and isinstance(stamp, str) and len(stamp) <= 40
                   for name, stamp in stamps.items())
        since = {int(name[1:]): dt.datetime.fromisoformat(stamp) for name, stamp in stamps.items()}
        assert all(moment.tzinfo is not None for moment in since.values())
        return since
    except (ValueError, TypeError, AssertionError):
        abort(400, description="保存请求的格式有误，请刷新页面后重试。")


@bp.post("/exam/<int:attempt_id>/flag")
def exam_flag(attempt_id: int):
    """标记 on the answer sheet. Without JavaScript the whole paper comes along: its answers are saved too."""
    attempt = _attempt(attempt_id, tuple(PAPER_KINDS))
    position = request.form.get("flag", type=int)
    if position is None or not 0 <= position < len(attempt.items):
        abort(400, description="没有这道题。")
    on = request.form["on"] == "1" if "on" in request.form else position not in store.flags(get_db(), attempt_id)
    form = request.form.to_dict(flat=False)
    form.pop("flag", None), form.pop("on", None)
    try:
        if len(form) > 1:
            by_key = current_banks().by_key()
            submit.save(get_db(), attempt, submit.answers_from_form(attempt, form, by_key), by_key)
        store.set_flag(get_db(), attempt, position, on)
    except BadResponse as exc:
        abort(422, description=str(exc))
    except store.Conflict as exc:
        abort(409, description=str(exc))
    if request.accept_mimetypes.best == "application/json":
        return jsonify(position=position, flagged=on)
    return redirect(url_for("quizzes.exam", attempt_id=attempt_id) + f"#item-{position}")


@bp.post("/exam/<int:attempt_id>/submit")
def exam_submit(attempt_id: int):
    attempt = _attempt(attempt_id, tuple(PAPER_KINDS))
    result = url_for("quizzes.exam_result", attempt_id=attempt_id)
    if attempt.submitted_at:   # a second click on 交卷: the paper is already graded
        return redirect(result)
    outcome = submit.submit(get_db(), attempt, _exam_answers(attempt), current_banks().by_key(),
                            notebook=PAPER_KINDS[attempt.kind].notebook, since=_since(attempt))
    if outcome is submit.Outcome.LATE:
        flash("交卷时已超过考试时间，只计入截止前已保存的答案。")
    return redirect(result)


@bp.get("/exam/<int:attempt_id>/result")
def exam_result(attempt_id: int):
    attempt = _attempt(attempt_id, tuple(PAPER_KINDS))
    if not attempt.submitted_at:
        if _hand_in_if_time_is_up(attempt):
            return redirect(url_for("quizzes.exam_result", attempt_id=attempt_id))
        return redirect(url_for("quizzes.exam", attempt_id=attempt_id))
    db, kind = get_db(), PAPER_KINDS[attempt.kind]
    home = kind.home(db, attempt) if kind.home else None
    if not kind.results_visible(db, attempt):   # no score, key or explanation before the teacher's release
        return render_template("quizzes/exam_pending.html", attempt=attempt, title=kind.title(db, attempt), home=home)
    saved = store.responses(get_db(), attempt_id)
    by_key = current_banks().by_key()
    rows = [review_item(_variant(attempt, pos, by_key), saved.get(pos), item) for pos, item in enumerate(attempt.items)]
    show = request.args.get("show", "all")
    if show not in SHOW:
        show = "all"
    states = [item_state(r) for r in rows]
    return render_template("quizzes/exam_result.html", attempt=attempt, sections=result_sections(rows, show),
                           answers=kind.answers_visible(db, attempt),
                           show=show, shows=SHOW, counts={k: states.count(k) for k in ("right", "wrong", "unanswered")},
                           unanswered=[r.question.id for r in rows if not r.answered],
                           title=kind.title(db, attempt), home=home, comments=kind.comments(db, attempt))


@bp.get("/notebook")
def notebook():
    learner_id = current_learner_id(create=False)
    db = get_db()
    by_key = current_banks().by_key()
    chapter, type_ = request.args.get("chapter", ""), request.args.get("type", "")
    entries = store.notebook(db, learner_id) if learner_id else []
    facets = _notebook_facets(entries, by_key)
    entries = [e for e in entries if _in_filter(e["question_key"], by_key, chapter, type_)]
    rows = []
    for entry in entries:
        last = store.last_wrong_response(db, entry)
        question = by_key.get(entry["question_key"])
        if question and last:
            variant = make_variant(question, variant_seed(last["seed"], entry["last_position"]))
            rows.append((entry, review_item(variant, last["saved"], last["item"])))
    return render_template("quizzes/notebook.html", rows=rows, facets=facets, chapter=chapter, type_=type_,
                           total=sum(facets["chapters"].values()))


def _in_filter(key: str, by_key: dict, chapter: str, type_: str) -> bool:
    q = by_key.get(key)
    return q is not None and (not chapter or q.bank == chapter) and (not type_ or q.type == type_)


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
    learner_id = current_learner_id(create=False)
    db = get_db()
    by_key = current_banks().by_key()
    chapter, type_ = request.form.get("chapter", ""), request.form.get("type", "")
    keys = [e["question_key"] for e in (store.notebook(db, learner_id) if learner_id else [])
            if _in_filter(e["question_key"], by_key, chapter, type_)]
    if not keys:
        flash("错题本是空的，没有需要重做的题。")
        return redirect(url_for("quizzes.notebook"))
    items = [item(by_key[k], question_points(by_key[k])) for k in keys]
    attempt_id = store.create_attempt(db, learner_id, "redo", secrets.randbelow(2**31), {}, items)
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
