"""Which questions an attempt asks: practice sets and mock-exam papers. Pure functions of a seed."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from course.loader import Problem

from .model import Item, Question
from .types import TYPES


@dataclass(frozen=True)
class ExamSection:
    type: str
    count: int
    points: float

    @property
    def label(self) -> str:
        return TYPES[self.type].label


@dataclass(frozen=True)
class ExamFormat:
    minutes: int
    sections: tuple[ExamSection, ...]

    @property
    def total(self) -> float:
        return sum(s.count * s.points for s in self.sections)


# The real exam (001_42feb80bfa2b42e2.txt): 单项选择, 判断, 名词解释, 问答, 案例分析 (2 cases); 100 points.
DEFAULT_EXAM = ExamFormat(120, (
    ExamSection("single", 20, 1), ExamSection("true_false", 10, 1), ExamSection("term", 5, 4),
    ExamSection("short_answer", 4, 6), ExamSection("case", 2, 13),
))


def exam_format(content_dir: Path) -> tuple[ExamFormat, list[Problem]]:
    """The `exam:` block of course.yaml, or the default; bad values are problems, never crashes."""
    path = Path(content_dir) / "course.yaml"
    try:
        raw = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("exam")
    except (OSError, yaml.YAMLError, AttributeError):
        return DEFAULT_EXAM, []
    if raw is None:
        return DEFAULT_EXAM, []
    try:
        sections = tuple(ExamSection(str(s["type"]), int(s["count"]), float(s["points"])) for s in raw["sections"])
        fmt = ExamFormat(int(raw["minutes"]), sections)
    except (KeyError, TypeError, ValueError) as exc:
        return DEFAULT_EXAM, [Problem(str(path), 1, f"exam 配置有误（需 minutes 与 sections: type/count/points）：{exc}")]
    bad = [s.type for s in fmt.sections if s.type not in TYPES or s.count < 1 or s.points <= 0]
    if bad or fmt.minutes < 1:
        return DEFAULT_EXAM, [Problem(str(path), 1, f"exam 配置有误：题型 {bad} 或时长不合法")]
    return fmt, []


def question_points(question: Question) -> float:
    """Practice weight: 1 for objective items, the 得分点 total for subjective ones."""
    return sum(kp.points for kp in question.key_points) or 1.0


def item(question: Question, points: float, section: str = "", shuffle: bool = True) -> Item:
    return Item(question.key, question.version, points, section, shuffle)


def practice_items(questions: tuple[Question, ...], chapters: set[str], types: set[str], count: int,
                   seed: int, only: set[str] | None = None, section: str = "") -> list[Item]:
    """A shuffled draw; `only` limits it to those question keys (a mode), `section` to one knowledge point."""
    pool = [q for q in questions if (not chapters or q.bank in chapters) and (not types or q.type in types)
            and (only is None or q.key in only) and (not section or q.section == section)]
    random.Random(seed).shuffle(pool)
    return [item(q, question_points(q)) for q in pool[:count]]


def exam_items(questions: tuple[Question, ...], fmt: ExamFormat, seed: int) -> list[Item]:
    """A paper drawn at random per attempt, section by section, in the exam's order."""
    rng = random.Random(seed)
    items = []
    for section in fmt.sections:
        pool = sorted((q for q in questions if q.type == section.type), key=lambda q: q.key)
        for q in rng.sample(pool, min(section.count, len(pool))):
            items.append(item(q, section.points, section.type))
    return items
