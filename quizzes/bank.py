"""Load and check question banks (content/questions/*.yaml): frozen Questions, or problems naming
file, line, question id and what is wrong. A broken bank is reported, never fatal."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from course.loader import Problem

from .model import Bank, Question
from .origin import learner_text_problems, origin_label
from .types import TYPES

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASES_BANK = "cases"
VISIBILITIES = ("public", "assignment")


@dataclass(frozen=True)
class Banks:
    """Public banks in `banks` (practice, search, mock exam, flashcards, exports see only these);
    `visibility: assignment` banks in `restricted`, reachable only through `by_key` and `for_assignments`."""

    banks: tuple[Bank, ...]
    problems: tuple[Problem, ...]
    restricted: tuple[Bank, ...] = ()

    @cached_property
    def _all(self) -> tuple[Question, ...]:
        return tuple(q for bank in self.banks for q in bank.questions)

    @cached_property
    def _by_key(self) -> dict[str, Question]:
        return {q.key: q for bank in (*self.banks, *self.restricted) for q in bank.questions}

    def for_assignments(self) -> tuple[Question, ...]:
        """Every question a teacher may put in an assignment: public and assignment-only banks (one tuple,
        the same object every time: a student's paper is drawn from pools remembered per tuple)."""
        return self._for_assignments

    @cached_property
    def _for_assignments(self) -> tuple[Question, ...]:
        return self._all + tuple(q for bank in self.restricted for q in bank.questions)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self._all}

    def questions(self) -> tuple[Question, ...]:
        return self._all

    def by_key(self) -> dict[str, Question]:
        """Every question by `bank/id`, assignment-only ones included, to read stored attempts back."""
        return self._by_key

    def is_public(self, key: str) -> bool:
        """May students see this question outside an assignment (practice, bookmarks, search)?"""
        question = self._by_key.get(key)
        return question is not None and self._by_id.get(question.id) is question

    def by_id(self) -> dict[str, Question]:
        return self._by_id

    @cached_property
    def _counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for bank in self.banks:
            counts[bank.chapter] = counts.get(bank.chapter, 0) + len(bank.questions)
        return counts

    def counts(self) -> dict[str, int]:
        """Questions per chapter, over all of the chapter's banks (do not mutate)."""
        return self._counts


def _item_lines(text: str) -> list[int]:
    """1-based line of each item under `questions:`, by composing the YAML node tree."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "questions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _version(raw: dict) -> str:
    raw = {k: v for k, v in raw.items() if k != "editor_note"}   # an author's note is not a new version
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


# What an imported question may lack and still be used; `flask check` warns until it is completed.
TO_COMPLETE = ("缺少 explanation（解析）", "缺少 key_points（得分点）")


def _check_common(raw: dict) -> list[str]:
    problems = []
    if raw.get("type") not in TYPES:
        return [f"未知题型 type：{raw.get('type')!r}（可选：{', '.join(TYPES)}）"]
    kind = TYPES[raw["type"]]
    if kind.needs_stem and (not isinstance(raw.get("stem"), str) or not raw["stem"].strip()):
        problems.append("缺少 stem（题干）")
    if kind.needs_stem and not str(raw.get("explanation") or "").strip():
        problems.append("缺少 explanation（解析）")
    if not str(raw.get("source") or "").strip():
        problems.append("缺少 source（来源）")
    if "difficulty" in raw and raw["difficulty"] not in (1, 2, 3):
        problems.append("difficulty 须为 1、2 或 3")
    if "tags" in raw and not isinstance(raw["tags"], list):
        problems.append("tags 须为列表")
    if "editor_note" in raw and not isinstance(raw["editor_note"], str):
        problems.append("editor_note 须为文字")
    return problems + learner_text_problems(raw) + kind.check(raw)


def _question(chapter: str, raw: dict, line: int) -> Question:
    return Question(
        bank=chapter, id=raw["id"], type=raw["type"], stem=str(raw.get("stem", "")).strip(),
        explanation=str(raw.get("explanation", "")).strip(), source=str(raw["source"]).strip(),
        **TYPES[raw["type"]].load(raw), section=str(raw.get("section", "")),
        editor_note=str(raw.get("editor_note") or "").strip(),
        difficulty=int(raw.get("difficulty", 2)), knowledge_point=str(raw.get("knowledge_point", "")),
        tags=tuple(str(t) for t in raw.get("tags") or ()), line=line, version=_version(raw),
        origin=origin_label(str(raw["source"]).strip(), str(raw.get("origin") or "").strip()),
    )


def load_bank(path: Path, chapters: dict[str, set[str]]) -> tuple[Bank | None, list[Problem]]:
    """Parse one bank file. `chapters` maps each known chapter slug to its heading anchors."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        lines = _item_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(display, mark.line + 1 if mark else 1, f"YAML 语法错误：{getattr(exc, 'problem', exc)}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(display, 1, f"无法读取文件：{exc}")]
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return None, [Problem(display, 1, "题库须包含 chapter 与 questions 列表")]
    chapter = data.get("chapter")
    if chapter not in chapters:
        return None, [Problem(display, 1, f"未知的 chapter：{chapter!r}")]
    imported = bool(data.get("imported_from"))
    visibility = data.get("visibility", "public")
    if visibility not in VISIBILITIES:
        return None, [Problem(display, 1, f"visibility 须为 public 或 assignment，实际为 {visibility!r}")]
    problems, questions, seen = [], [], {}
    for index, raw in enumerate(data["questions"]):
        line = lines[index] if index < len(lines) else 1
        qid = raw.get("id") if isinstance(raw, dict) else None
        where = f"[{qid}] " if qid else ""
        if not isinstance(raw, dict):
            problems.append(Problem(display, line, "题目须为键值映射"))
            continue
        if not isinstance(qid, str) or not ID_RE.match(qid):
            problems.append(Problem(display, line, f"{where}id 缺失或不是 kebab-case"))
            continue
        if qid in seen:
            problems.append(Problem(display, line, f"[{qid}] id 重复（第 {seen[qid]} 行已用）"))
            continue
        seen[qid] = line
        reasons = _check_common(raw)
        section = raw.get("section")
        if section and chapters[chapter] and section not in chapters[chapter]:
            reasons.append(f"section #{section} 在章节 {chapter} 中不存在")
        if imported:
            lacking = [r for r in reasons if r in TO_COMPLETE]
            reasons = [r for r in reasons if r not in TO_COMPLETE]
            if not section and chapters[chapter]:
                lacking.append("缺少 section（对应的教材小节）")
            problems.extend(Problem(display, line, f"[{qid}] {r}", "warning") for r in lacking)
        if reasons:
            problems.extend(Problem(display, line, f"[{qid}] {reason}") for reason in reasons)
            continue
        questions.append(_question(chapter, raw, line))
    return Bank(chapter, display, tuple(questions), visibility), problems


def load_banks(content_dir: Path, chapters: dict[str, set[str]]) -> Banks:
    banks, restricted, problems, owners = [], [], [], {}
    for path in sorted((Path(content_dir) / "questions").glob("*.yaml")):
        bank, bank_problems = load_bank(path, chapters)
        problems.extend(bank_problems)
        if bank is None:
            continue
        kept = []
        for q in bank.questions:
            if q.id in owners:
                problems.append(Problem(bank.path, q.line, f"[{q.id}] id 与 {owners[q.id]} 重复：id 须在全课程唯一"))
            else:
                owners[q.id] = f"{bank.path}:{q.line}"
                kept.append(q)
        (banks if bank.visibility == "public" else restricted).append(
            Bank(bank.chapter, bank.path, tuple(kept), bank.visibility))
    return Banks(tuple(banks), tuple(problems), tuple(restricted))
