"""The paper a student sits: 模拟考试 and teachers' assignments share these pages (same form protocol, autosave,
answer sheet and server deadline); what differs between them lives in quizzes.papers.PAPER_KINDS."""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import secrets

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for

from db import get_db
from simulations.views import plotly_url

from . import current_banks, store, submit
from .engine import BadResponse
from .learner import current_learner_id
from .model import Attempt
from .papers import PAPER_KINDS
from .review import SHOW, exam_records, item_state, result_sections, review_item
from .selection import exam_format, exam_items
from .types import TYPES
from .views import _attempt, _variant, bp


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
