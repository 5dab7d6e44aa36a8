"""The assignment form: parse the posted fields into an assignment's settings, or say what is wrong."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from quizzes.types import TYPES

from .assignments import DEFAULT_POINTS, MAX_ATTEMPTS, MAX_MINUTES, RELEASES, Rule, Spec
from .roster import clean_name

RULE_ROWS = 3
LOCAL = ZoneInfo("Asia/Shanghai")      # the school's clock: forms and pages show local time


class FormError(ValueError):
    """A form value a teacher must correct; the message names the field."""


@dataclass(frozen=True)
class AssignmentForm:
    class_id: int
    title: str
    spec: Spec
    opens_at: dt.datetime
    closes_at: dt.datetime
    minutes: int
    attempts_allowed: int
    release: str


def local_input(moment: dt.datetime) -> str:
    """A UTC moment as a datetime-local field value in the school's time zone."""
    return moment.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


def local_text(moment: dt.datetime | str | None) -> str:
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def blank(class_id: int | None) -> MultiDict:
    start = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    form = {"class_id": class_id, "title": "", "opens_at": local_input(start),
            "closes_at": local_input(start + dt.timedelta(days=7)), "minutes": 30, "attempts_allowed": 1,
            "release": "after_close", "shuffle_questions": "on", "shuffle_options": "on", "rule0-count": 10}
    form.update({f"points-{t}": DEFAULT_POINTS[t] for t in TYPES})
    return MultiDict(form)


def choices(banks) -> dict:
    """What the form offers: chapters and the questions of each, types, knowledge points."""
    from course import current_course

    titles = {c.slug: f"{c.label} {c.title}" for c in current_course().chapters}
    titles["cases"] = "案例分析"
    by_chapter: dict[str, list] = {}
    for q in banks.for_assignments():
        by_chapter.setdefault(q.bank, []).append(q)
    return {"chapters": [(slug, titles.get(slug, slug), qs) for slug, qs in by_chapter.items()], "types": TYPES,
            "knowledge_points": sorted({q.knowledge_point for q in banks.for_assignments() if q.knowledge_point}),
            "releases": RELEASES, "rule_rows": RULE_ROWS}


def _int(form, name: str, low: int, high: int, label: str) -> int:
    value = (form.get(name) or "").strip()
    if not re.fullmatch(r"\d{1,6}", value) or not low <= int(value) <= high:
        raise FormError(f"{label}须为 {low}–{high} 之间的整数。")
    return int(value)


def _time(form, name: str, label: str) -> dt.datetime:
    try:
        moment = dt.datetime.strptime((form.get(name) or "").strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise FormError(f"请填写{label}（日期和时间）。") from None
    if not 2000 <= moment.year <= 2199:   # year 1 would not even convert to UTC
        raise FormError(f"{label}的年份须在 2000–2199 之间。")
    return moment.replace(tzinfo=LOCAL).astimezone(dt.UTC)


def _rules(form) -> tuple[Rule, ...]:
    rules = []
    for n in range(RULE_ROWS):
        if not (form.get(f"rule{n}-count") or "").strip() or form.get(f"rule{n}-count") == "0":
            continue
        count = _int(form, f"rule{n}-count", 1, 100, f"第 {n + 1} 条规则的题数")
        types = tuple(form.getlist(f"rule{n}-type"))
        if not set(types) <= set(TYPES):
            raise FormError("题型不存在。")
        levels = tuple(int(d) for d in form.getlist(f"rule{n}-difficulty") if d in ("1", "2", "3"))
        rules.append(Rule(count, tuple(form.getlist(f"rule{n}-chapter")), types, levels,
                          (form.get(f"rule{n}-kp") or "").strip()[:40]))
    return tuple(rules)


@dataclass(frozen=True)
class Timing:
    """What a teacher may change once students have the paper: never the questions it draws."""
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    minutes: int
    attempts_allowed: int
    release: str


def parse_timing(form) -> Timing:
    title = clean_name(form.get("title"))
    if not 1 <= len(title) <= 60:
        raise FormError("标题须为 1–60 个字。")
    opens, closes = _time(form, "opens_at", "开放时间"), _time(form, "closes_at", "截止时间")
    if closes <= opens:
        raise FormError("截止时间须晚于开放时间。")
    release = form.get("release")
    if release not in RELEASES:
        raise FormError("请选择成绩公布方式。")
    return Timing(title, opens, closes, _int(form, "minutes", 1, MAX_MINUTES, "作答时长（分钟）"),
                  _int(form, "attempts_allowed", 1, MAX_ATTEMPTS, "允许作答次数"), release)


def parse(form, moment: dt.datetime) -> AssignmentForm:
    timing = parse_timing(form)
    class_id = _int(form, "class_id", 1, 10**12, "班级")
    points = {}
    for t in TYPES:
        raw = (form.get(f"points-{t}") or str(DEFAULT_POINTS[t])).strip()
        try:
            points[t] = float(raw)
        except ValueError:
            raise FormError(f"{TYPES[t].label}的分值须为数字。") from None
        if not 0 < points[t] <= 100:
            raise FormError(f"{TYPES[t].label}的分值须在 0 到 100 之间。")
    typed = re.split(r"[\s,，]+", (form.get("picked_ids") or "").strip())
    picked = tuple(i for i in dict.fromkeys([*form.getlist("picked"), *typed]) if i)
    spec = Spec(_rules(form), picked, points, form.get("shuffle_questions") == "on", form.get("shuffle_options") == "on")
    if timing.closes_at <= moment:
        raise FormError("截止时间已经过去了。")
    return AssignmentForm(class_id, timing.title, spec, timing.opens_at, timing.closes_at, timing.minutes,
                          timing.attempts_allowed, timing.release)
