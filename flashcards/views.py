"""Flashcard views: overview with the exam-day forecast, the review loop, cram mode, settings."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from course import current_course
from db import get_db
from quizzes.learner import current_learner_id
from quizzes.store import Conflict, now

from . import current_deck, store
from .deck import FlashCard, deck_chapters
from .scheduler import (FOUR_BUTTONS, LATEST_DAY, MAX_CAP, MIN_CAP, RATINGS, TWO_BUTTONS, CardState, Queue, build_queue,
                        cram_order, grade_card, local_day, predicted_recall)
from .suggest import suggest_rating

bp = Blueprint("flashcards", __name__, url_prefix="/flashcards")
MORE_STEP, MAX_MORE = 5, 200   # 再学几张新卡: five at a time, beyond today's share


@dataclass(frozen=True)
class Study:
    """One learner's deck as this request sees it."""

    learner_id: str | None
    prefs: store.Settings
    exam_date: dt.date | None
    cards: tuple[FlashCard, ...]          # the chosen chapters' cards
    states: dict[str, CardState]
    queue: Queue
    now: dt.datetime
    more: int = 0                          # extra new cards asked for today (carried in the URL and forms)

    @property
    def can_learn_more(self) -> bool:
        return self.queue.plan.unseen > 0 and self.queue.plan.room > 0

    def buttons(self):
        return FOUR_BUTTONS if self.prefs.buttons == 4 else TWO_BUTTONS


def _study(create: bool = False, more: int = 0) -> Study:
    learner_id = current_learner_id(create=create)
    db = get_db()
    prefs = store.settings(db, learner_id)
    exam_date = prefs.exam_date or current_course().exam_date
    cards = tuple(c for c in current_deck() if not prefs.chapters or c.chapter in prefs.chapters)
    states = store.card_states(db, learner_id)
    moment = now()
    touched = store.touched_on(db, learner_id, local_day(moment))
    queue = build_queue([c.key for c in cards], states, touched, moment, exam_date, prefs.daily_cap, more)
    return Study(learner_id, prefs, exam_date, cards, states, queue, moment, more)


@bp.get("/")
def index():
    study = _study()
    chapters = deck_chapters(current_deck(), current_course())
    forecast = _forecast(study, chapters)
    days_left = (study.exam_date - local_day(study.now)).days if study.exam_date else None
    return render_template("flashcards/index.html", study=study, chapters=chapters, forecast=forecast,
                           chart=json.dumps(forecast, ensure_ascii=False).replace("<", "\\u003c"),
                           days_left=days_left, course_exam=current_course().exam_date, plotly_url=_plotly_url(),
                           learned=sum(1 for c in study.cards if c.key in study.states),
                           min_cap=MIN_CAP, max_cap=MAX_CAP, today=local_day(study.now), more_step=MORE_STEP)


def _forecast(study: Study, chapters) -> list[dict]:
    """Mean predicted recall on the exam morning per chosen chapter (unseen cards count as 0)."""
    rows = []
    for chapter in chapters:
        keys = [c.key for c in study.cards if c.chapter == chapter.slug]
        if keys:
            recall = [predicted_recall(study.states.get(k), study.exam_date, study.now) for k in keys]
            rows.append({"label": f"{chapter.label} {chapter.title}", "short": chapter.label, "recall": round(100 * sum(recall) / len(keys)),
                         "learned": sum(1 for k in keys if k in study.states), "total": len(keys)})
    return rows


def _plotly_url() -> str | None:
    from simulations.views import plotly_url

    return plotly_url()


@bp.post("/settings")
def save_settings():
    chapters = {c.slug for c in deck_chapters(current_deck(), current_course())}
    chosen = tuple(dict.fromkeys(request.form.getlist("chapter")))
    if not set(chosen) <= chapters:
        abort(400, description="所选章节不在卡组中。")
    cap = request.form.get("daily_cap", type=int)
    if cap is None or not MIN_CAP <= cap <= MAX_CAP:
        abort(400, description=f"每日上限须为 {MIN_CAP} 到 {MAX_CAP} 之间的整数。")
    buttons = request.form.get("buttons", type=int)
    if buttons not in (2, 4):
        abort(400, description="评分按钮只能是 2 个或 4 个。")
    exam_date = _exam_date(request.form.get("exam_date", "").strip())
    store.save_settings(get_db(), current_learner_id(),
                        store.Settings(exam_date, cap, buttons, request.form.get("type_first") == "1", chosen), now())
    flash("记忆卡设置已保存。")
    return redirect(url_for("flashcards.index"))


def _exam_date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        abort(400, description="考试日期格式应为 年-月-日，例如 2027-01-12。")
    if value < local_day(now()):
        abort(400, description="考试日期不能早于今天。")
    if value >= LATEST_DAY:
        abort(400, description=f"考试日期须早于 {LATEST_DAY.year} 年，请检查年份。")
    return value


@bp.get("/review")
def review():
    study = _study(more=_more())
    card = _card(study.queue.next_key) if study.queue.next_key else None
    return _review_page(study, card, shown=request.args.get("show") == "1")


def _review_page(study: Study, card: FlashCard | None, shown: bool, typed: str | None = None, suggestion=None):
    previews = {}
    if card is not None:
        others = [s for k, s in study.states.items() if k != card.key]
        previews = {int(r): _when(grade_card(study.states.get(card.key), others, card.key, r, study.now, study.exam_date,
                                             study.prefs.daily_cap).due, study.now, study.exam_date)
                    for r, _ in study.buttons()}
    upcoming = [s.due for k, s in study.states.items() if s.due > study.now and any(c.key == k for c in study.cards)]
    return render_template("flashcards/review.html", study=study, card=card, shown=shown, typed=typed,
                           suggestion=suggestion, previews=previews, labels=dict(study.buttons()),
                           chapters=_chapters(), more_step=MORE_STEP, next_due=_when(min(upcoming), study.now, study.exam_date)
                           if upcoming else None)


def _chapters() -> dict:
    return {c.slug: c for c in current_course().chapters}


def _when(due: dt.datetime, moment: dt.datetime, exam_date: dt.date | None) -> str:
    """When a card comes back, as a learner reads it: 10 分钟后, 3 天后（考前一天）."""
    minutes = (due - moment).total_seconds() / 60
    if minutes < 60:
        return f"{max(1, round(minutes))} 分钟后"
    days = (local_day(due) - local_day(moment)).days
    if days <= 0:
        return f"{round(minutes / 60)} 小时后"
    text = "明天" if days == 1 else f"{days} 天后"
    if exam_date and local_day(due) == exam_date:
        return text + "（考试当天）"
    if exam_date and local_day(due) == exam_date - dt.timedelta(days=1):
        return text + "（考前一天）"
    return text


@bp.post("/review/check")
def check():
    """Type-first: match the typed definition against the 得分点 and suggest a grade (nothing is saved)."""
    study = _study(create=True, more=_more())
    card = _card(request.form.get("card", ""))
    typed = _typed()
    suggestion = suggest_rating(card.question, typed, study.prefs.buttons)
    return _review_page(study, card, shown=True, typed=typed, suggestion=suggestion)


@bp.post("/review")
def grade():
    study = _study(create=True, more=_more())
    card = _card(request.form.get("card", ""))
    rating = request.form.get("rating", type=int)
    if rating not in RATINGS:   # a page rendered before the button setting changed may still send any of the four
        abort(400, description="评分无效：请用页面上的按钮评分（1–4）。")
    reps = request.form.get("reps", type=int)
    if reps is None or reps < 0:
        abort(400, description="缺少卡片的复习次数，请刷新页面后重试。")
    typed = _typed() or None
    suggestion = suggest_rating(card.question, typed, study.prefs.buttons) if typed else None
    graded = store.Graded(rating, study.prefs.buttons, card.question.version, _duration(), typed,
                          suggestion.rating if suggestion else None)
    try:
        store.record_review(get_db(), study.learner_id, card.key, reps, graded, study.now,
                            partial(grade_card, key=card.key, rating=rating, now=study.now, exam_date=study.exam_date,
                                    cap=study.prefs.daily_cap))
    except Conflict as exc:
        abort(409, description=str(exc))
    return redirect(url_for("flashcards.review", more=study.more or None))


def _card(key: str) -> FlashCard:
    card = next((c for c in current_deck() if c.key == key), None)
    if card is None:
        abort(400, description="这张卡片不在卡组中（题库可能已更新），请返回记忆卡首页。")
    return card


def _more() -> int:
    value = request.values.get("more", "0")
    if not re.fullmatch(r"[0-9]{1,3}", value) or int(value) > MAX_MORE:      # ASCII digits only
        abort(400, description=f"多学新卡的数量须为 0 到 {MAX_MORE} 之间的整数。")
    return int(value)


def _typed() -> str:
    typed = request.form.get("typed", "").strip()
    if len(typed) > store.MAX_TYPED:
        abort(400, description=f"输入的释义不能超过 {store.MAX_TYPED} 字。")
    return typed


def _duration() -> int | None:
    value = request.form.get("duration_ms", type=int)
    return value if value is not None and 0 <= value <= 3_600_000 else None


@bp.get("/cram")
def cram():
    """Every card due by the exam, weakest first; grading here is only for the session and is never stored."""
    study = _study()
    by_key = {c.key: c for c in study.cards}
    order = [by_key[k] for k in cram_order(list(by_key), study.states, study.exam_date, study.now)]
    return render_template("flashcards/cram.html", study=study, cards=order, chapters=_chapters())
