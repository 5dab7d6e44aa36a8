"""The flashcard section of a learner's export (我的数据 → 导入): validated whole before anything is written.

What comes back: each card's memory (FSRS state), the review log, and the deck settings. Times are stored as
the store writes them (UTC, `_stamp`), so the string comparisons of the review log keep working. A card
state FSRS cannot load (a state other than 1-3, a date from LATEST_DAY on) is refused here, not a 500 on 背卡片.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from records.importer import BadExport, read_int, read_key, read_moment

from .scheduler import LATEST_DAY, MAX_CAP, MIN_CAP, RATINGS, STATES
from .store import MAX_TYPED

EARLIEST, LATEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime.combine(LATEST_DAY, dt.time(), dt.UTC)
MAX_CARDS, MAX_REVIEWS = 20_000, 200_000
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")


@dataclass(frozen=True)
class Imported:
    cards: tuple[dict, ...]        # column -> value, ready for flashcard_cards
    reviews: tuple[dict, ...]      # ready for flashcard_reviews (without id and learner_id)
    settings: dict | None          # ready for flashcard_settings, or None


def parse(raw: Any, chapters: set[str], today: dt.date) -> Imported:
    """`chapters`: the deck's chapters (others are dropped from the settings); `today`: an exam date before
    it is dropped (the course's date applies), as the settings page would refuse it."""
    if not isinstance(raw, dict):
        raise BadExport("记忆卡记录的格式不对。")
    cards, reviews = raw.get("cards") or [], raw.get("reviews") or []
    if not isinstance(cards, list) or not isinstance(reviews, list):
        raise BadExport("记忆卡记录的格式不对：cards 和 reviews 应是列表。")
    if len(cards) > MAX_CARDS or len(reviews) > MAX_REVIEWS:
        raise BadExport("记忆卡记录太多，这不像是本站导出的文件。")
    parsed = tuple(_card(c, f"第 {n} 张记忆卡") for n, c in enumerate(cards, 1))
    keys = [c["card_key"] for c in parsed]
    if len(set(keys)) != len(keys):
        raise BadExport("文件中同一张记忆卡出现了两次。")
    log = tuple(_review(r, f"第 {n} 条背卡记录") for n, r in enumerate(reviews, 1))
    settings = raw.get("settings")
    return Imported(parsed, log, None if settings is None else _settings(settings, chapters, today))


def _card(raw: Any, where: str) -> dict:
    if not isinstance(raw, dict):
        raise BadExport(f"{where}的格式不对。")
    return {"card_key": read_key(raw.get("card_key"), where), "state": _choice(raw.get("state"), STATES, where, "状态"),
            "step": read_int(raw.get("step"), where, "学习步骤", optional=True), **_memory(raw, where),
            "due": _moment(raw.get("due"), where), "last_review": _moment(raw.get("last_review"), where, True),
            "reps": read_int(raw.get("reps"), where, "复习次数"), "lapses": read_int(raw.get("lapses"), where, "遗忘次数"),
            "introduced_at": _moment(raw.get("introduced_at"), where)}


def _review(raw: Any, where: str) -> dict:
    if not isinstance(raw, dict):
        raise BadExport(f"{where}的格式不对。")
    typed, suggested = raw.get("typed"), raw.get("suggested")
    if typed is not None and (not isinstance(typed, str) or len(typed) > MAX_TYPED):
        raise BadExport(f"{where}的默写内容不对。")
    version = raw.get("version")
    if not isinstance(version, str) or not 0 < len(version) <= 64:
        raise BadExport(f"{where}的版本标记不对。")
    return {"card_key": read_key(raw.get("card_key"), where), "version": version,
            "rating": _choice(raw.get("rating"), RATINGS, where, "评分"),
            "buttons": _choice(raw.get("buttons"), (2, 4), where, "按钮数"),
            "reviewed_at": _moment(raw.get("reviewed_at"), where),
            "duration_ms": read_int(raw.get("duration_ms"), where, "用时", optional=True),
            "state_before": None if raw.get("state_before") is None else _choice(raw["state_before"], STATES, where, "状态"),
            "due_before": _moment(raw.get("due_before"), where, True),
            "state": _choice(raw.get("state"), STATES, where, "状态"), "step": read_int(raw.get("step"), where, "学习步骤", optional=True),
            **_memory(raw, where), "due": _moment(raw.get("due"), where), "typed": typed,
            "suggested": None if suggested is None else _choice(suggested, RATINGS, where, "建议评分")}


def _settings(raw: Any, chapters: set[str], today: dt.date) -> dict:
    where = "记忆卡设置"
    if not isinstance(raw, dict):
        raise BadExport(f"{where}的格式不对。")
    exam_date = raw.get("exam_date")
    if exam_date is not None:
        try:
            exam_date = dt.date.fromisoformat(exam_date)
        except (TypeError, ValueError):
            raise BadExport(f"{where}中的考试日期格式不对。") from None
        exam_date = exam_date.isoformat() if today <= exam_date < LATEST_DAY else None
    cap = raw.get("daily_cap")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or not MIN_CAP <= cap <= MAX_CAP):
        raise BadExport(f"{where}中的每日上限应是 {MIN_CAP} 到 {MAX_CAP} 之间的整数。")
    chosen = raw.get("chapters", "[]")          # the settings row keeps them as JSON text
    try:
        chosen = json.loads(chosen) if isinstance(chosen, str) else chosen
    except json.JSONDecodeError:
        chosen = None
    if not isinstance(chosen, list) or not all(isinstance(c, str) and SLUG.match(c) for c in chosen):
        raise BadExport(f"{where}中的章节列表不对。")
    return {"exam_date": exam_date, "daily_cap": cap, "buttons": _choice(raw.get("buttons", 2), (2, 4), where, "按钮数"),
            "type_first": int(bool(raw.get("type_first"))),
            "chapters": json.dumps([c for c in dict.fromkeys(chosen) if c in chapters]),
            "updated_at": _moment(raw.get("updated_at"), where)}


def _memory(raw: dict, where: str) -> dict:
    stability, difficulty = raw.get("stability"), raw.get("difficulty")
    for value, low, high in ((stability, 0.0, 1e6), (difficulty, 1.0, 10.0)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value) or not low <= value <= high):
            raise BadExport(f"{where}的记忆参数不对。")
    return {"stability": stability, "difficulty": difficulty}


def _choice(value: Any, allowed: tuple[int, ...], where: str, what: str) -> int:
    if isinstance(value, bool) or value not in allowed:
        raise BadExport(f"{where}的{what}不对。")
    return value


def _moment(value: Any, where: str, optional: bool = False) -> str | None:
    moment = read_moment(value, where, optional)
    if moment is None:
        return None
    if not EARLIEST <= moment < LATEST:
        raise BadExport(f"{where}的时间超出了合理范围。")
    return moment.astimezone(dt.UTC).isoformat()
