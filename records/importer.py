"""Reading a learner's own export (/me/export.json) back in: validated whole, or refused with a reason."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

KINDS = ("practice", "redo", "exam")
CLASS_KINDS = ("assignment",)   # a class's assignment and its grade stay with the teacher: left out, not refused
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}/[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")


class BadExport(ValueError):
    """The file is not an export of this site, or is damaged; the message says where."""


@dataclass(frozen=True)
class Response:
    position: int
    question_key: str
    version: str
    response: Any
    score: float | None
    max_score: float
    correct: int | None
    self_score: float | None
    answered_at: str


@dataclass(frozen=True)
class Attempt:
    old_id: int
    kind: str
    seed: int
    config: dict
    items: tuple[dict, ...]
    started_at: str
    deadline: str | None
    submitted_at: str | None
    score: float | None
    max_score: float | None
    responses: tuple[Response, ...]


@dataclass(frozen=True)
class NotebookEntry:
    question_key: str
    streak: int
    wrong_count: int
    last_attempt_id: int | None    # the id in the file; the store maps it to the imported attempt
    last_position: int | None
    added_at: str
    updated_at: str
    resolved_at: str | None


@dataclass(frozen=True)
class Export:
    display_name: str
    attempts: tuple[Attempt, ...]
    notebook: tuple[NotebookEntry, ...]
    bookmarks: tuple[tuple[str, str], ...]     # (question_key, created_at)
    not_imported: tuple[str, ...] = ()          # sections nobody reads back (a class's assignments), left out
    sections: tuple[tuple[str, Any], ...] = ()  # other packages' sections (flashcards), parsed by their own reader


def parse_export(raw: bytes, readers: dict[str, Callable[[Any], Any]] | None = None) -> Export:
    """`readers`: other packages' section parsers (records.store.SECTIONS), each raising BadExport."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadExport(f"文件不是有效的 JSON（{exc.__class__.__name__}）：请选择从“我的数据”下载的 crm-learning-data.json。") from None
    if not isinstance(data, dict) or not isinstance(data.get("attempts"), list) or not isinstance(data.get("notebook"), list):
        raise BadExport("这不是本站导出的学习数据：缺少 attempts 或 notebook。")
    learner = data.get("learner") or {}
    name = learner.get("display_name", "") if isinstance(learner, dict) else ""
    attempts = tuple(_attempt(a, i) for i, a in enumerate(data["attempts"], 1) if not _class_attempt(a))
    ids = [a.old_id for a in attempts]
    if len(set(ids)) != len(ids):
        raise BadExport("文件中的练习/考试编号有重复。")
    notebook = tuple(_entry(e, i) for i, e in enumerate(data["notebook"], 1))
    bookmarks = tuple(_bookmark(b, i) for i, b in enumerate(data.get("bookmarks") or [], 1))
    others = [k for k, v in data.items() if k not in ("learner", "attempts", "notebook", "bookmarks") and v]
    readers = readers or {}
    sections = tuple((k, readers[k](data[k])) for k in others if k in readers)
    left = tuple(k for k in others if k not in readers)
    left += ("assignments",) if any(_class_attempt(a) for a in data["attempts"]) else ()
    return Export(_text(name, "昵称", 30) if name else "", attempts, notebook, bookmarks, left, sections)


def _class_attempt(raw: Any) -> bool:
    return isinstance(raw, dict) and raw.get("kind") in CLASS_KINDS


def _attempt(raw: Any, n: int) -> Attempt:
    where = f"第 {n} 条练习/考试记录"
    if not isinstance(raw, dict):
        raise BadExport(f"{where}格式不对。")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise BadExport(f"{where}的类型“{kind}”无法导入（只导入练习、错题重做和模拟考试）。")
    items = raw.get("items")
    if not isinstance(items, list) or not items or not all(_is_item(i) for i in items):
        raise BadExport(f"{where}的题目列表格式不对。")
    responses = raw.get("responses") or []
    if not isinstance(responses, list):
        raise BadExport(f"{where}的作答格式不对。")
    parsed = tuple(_response(r, f"{where}第 {k} 个作答", len(items)) for k, r in enumerate(responses, 1))
    if len({r.position for r in parsed}) != len(parsed):
        raise BadExport(f"{where}中同一道题有两个作答。")
    config = raw.get("config") if isinstance(raw.get("config"), dict) else {}
    return Attempt(read_int(raw.get("id"), where, "编号"), kind, read_int(raw.get("seed"), where, "随机种子"), config,
                   tuple(items), _moment(raw.get("started_at"), where), _moment(raw.get("deadline"), where, True),
                   _moment(raw.get("submitted_at"), where, True), _number(raw.get("score"), where, True),
                   _number(raw.get("max_score"), where, True), parsed)


def _is_item(raw: Any) -> bool:
    return (isinstance(raw, dict) and isinstance(raw.get("key"), str) and bool(KEY.match(raw["key"]))
            and isinstance(raw.get("version"), str) and isinstance(raw.get("points"), (int, float))
            and not isinstance(raw.get("points"), bool))


def _response(raw: Any, where: str, size: int) -> Response:
    if not isinstance(raw, dict):
        raise BadExport(f"{where}格式不对。")
    position = read_int(raw.get("position"), where, "题号")
    if not 0 <= position < size:
        raise BadExport(f"{where}的题号超出了试题范围。")
    correct = raw.get("correct")
    if correct not in (None, 0, 1, True, False):
        raise BadExport(f"{where}的对错标记不对。")
    if len(json.dumps(raw.get("response"), ensure_ascii=False)) > 20000:
        raise BadExport(f"{where}太长。")
    return Response(position, read_key(raw.get("question_key"), where), _text(raw.get("version"), where, 64),
                    raw.get("response"), _number(raw.get("score"), where, True),
                    _number(raw.get("max_score"), where) or 0.0, None if correct is None else int(correct),
                    _number(raw.get("self_score"), where, True), _moment(raw.get("answered_at"), where))


def _entry(raw: Any, n: int) -> NotebookEntry:
    where = f"错题本第 {n} 条"
    if not isinstance(raw, dict):
        raise BadExport(f"{where}格式不对。")
    last = raw.get("last_attempt_id")
    position = raw.get("last_position")
    return NotebookEntry(read_key(raw.get("question_key"), where), read_int(raw.get("streak", 0), where, "连对次数"),
                         read_int(raw.get("wrong_count", 0), where, "做错次数"),
                         read_int(last, where, "来源", optional=True), read_int(position, where, "题号", optional=True),
                         _moment(raw.get("added_at"), where), _moment(raw.get("updated_at"), where),
                         _moment(raw.get("resolved_at"), where, True))


def _bookmark(raw: Any, n: int) -> tuple[str, str]:
    where = f"收藏第 {n} 条"
    if not isinstance(raw, dict):
        raise BadExport(f"{where}格式不对。")
    return read_key(raw.get("question_key"), where), _moment(raw.get("created_at"), where)


def read_key(value: Any, where: str) -> str:
    """A question's key (bank/id), as every record of a question or flashcard names it."""
    if not isinstance(value, str) or not KEY.match(value):
        raise BadExport(f"{where}的题目标识不对。")
    return value


def read_int(value: Any, where: str, what: str, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise BadExport(f"{where}的{what}不是有效的整数。")
    return value


def _number(value: Any, where: str, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) > 1e6:
        raise BadExport(f"{where}的分数不对。")
    return float(value)


def _text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise BadExport(f"{where}的内容不对。")
    return value


def read_moment(value: Any, where: str, optional: bool = False) -> dt.datetime | None:
    """An ISO time from the file (UTC when it names no zone); other packages' readers use it too."""
    if value is None and optional:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadExport(f"{where}的时间格式不对。") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _moment(value: Any, where: str, optional: bool = False) -> str | None:
    moment = read_moment(value, where, optional)
    return moment.isoformat(timespec="seconds") if moment else None
