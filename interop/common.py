"""What every interchange format shares: the bank groups it exports, the report of what it could not
carry or read, and the normal form of a question (the YAML mapping a teacher writes)."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

from quizzes.model import Question
from quizzes.types import TYPES

COMMON_FIELDS = ("section", "difficulty", "knowledge_point", "tags")


@dataclass(frozen=True)
class Group:
    """One chapter's questions as an export sees them: a Moodle category, a GIFT $CATEGORY, an Anki tag."""

    chapter: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Note:
    """Something a format could not carry (export) or read (import): where it is and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}"


@dataclass(frozen=True)
class Exported:
    content: bytes
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Parsed:
    """Questions read from a file, in normal form (each with a `where` for later reports), and what was not."""

    questions: tuple[dict, ...]
    notes: tuple[Note, ...] = ()
    chapters: tuple[str, ...] = field(default=())    # category names met, in order (Moodle/GIFT)


def normal_form(question: Question) -> dict:
    """A question as the mapping an author writes in content/questions/*.yaml."""
    raw = {"id": question.id, "type": question.type}
    if TYPES[question.type].needs_stem:
        raw["stem"] = question.stem
    raw.update(TYPES[question.type].dump(question))
    if question.explanation:
        raw["explanation"] = question.explanation
    raw["source"] = question.source
    if question.section:
        raw["section"] = question.section
    if question.difficulty != 2:
        raw["difficulty"] = question.difficulty
    if question.knowledge_point:
        raw["knowledge_point"] = question.knowledge_point
    if question.tags:
        raw["tags"] = list(question.tags)
    return raw


def any_order_text(question: Question) -> str:
    """The YAML `any_order` of a fill_blank as compact JSON ("true" or "[[1,2,3]]"), or "" when none."""
    value = TYPES[question.type].dump(question).get("any_order")
    return json.dumps(value, separators=(",", ":")) if value else ""


def any_order_value(text: str):
    """Inverse of any_order_text (a bare flag, as older exports wrote it, means all blanks)."""
    try:
        return json.loads(text) if text else True
    except ValueError:
        return True


def where_of(question: Question) -> str:
    return f"[{question.id}]"


_BREAKS = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/h\d)\s*>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Visible text of a Moodle/Word HTML fragment: line breaks kept, tags dropped, entities decoded."""
    text = _TAGS.sub("", _BREAKS.sub("\n", (markup or "").replace("\n", "")))
    text = html.unescape(text).replace("\xa0", " ")
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_to_html(text: str) -> str:
    return "<br>".join(html.escape(line, quote=False) for line in (text or "").split("\n"))


def points_text(question: Question) -> str:
    """得分点 as one readable line: 满意是忠诚的基础（2分；同义：…）；…"""
    parts = []
    for p in question.key_points:
        extra = f"；同义：{' | '.join(p.aliases)}" if p.aliases else ""
        parts.append(f"{p.text}（{p.points:g}分{extra}）")
    return "；".join(parts)


_POINT = re.compile(r"^(?P<text>.+?)（(?P<points>\d+(?:\.\d+)?)\s*分(?:；同义：(?P<aliases>.*))?）$")


def parse_points(line: str) -> list[dict]:
    """Inverse of points_text; a point without （n分） is worth 1."""
    points = []
    for part in re.split(r"[；;]\s*(?![^（]*）)", line.strip()):
        part = part.strip()
        if not part:
            continue
        m = _POINT.match(part)
        if m is None:
            points.append({"text": part, "points": 1})
            continue
        point = {"text": m["text"].strip(), "points": _number(float(m["points"]))}
        if m["aliases"]:
            point["aliases"] = [a.strip() for a in re.split(r"\s*[|｜]\s*", m["aliases"]) if a.strip()]
        points.append(point)
    return points


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x
