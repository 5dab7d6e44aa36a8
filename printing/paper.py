"""Printable papers: questions grouped into numbered sections as on a Chinese exam paper
(一、单项选择题（每题1分，共20分）…), options in the order the paper's seed gives. Pure: no Flask.

`paper_from_items` is the entry point for anything stored as items + a seed (a mock exam, a chapter
paper, a teacher's assignment): the same seed and items always print the same paper, and the same
variants the student saw on screen."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from quizzes.engine import make_variant
from quizzes.model import Item, Question, Variant, variant_seed
from quizzes.types import TYPES

SECTION_ORDER = ("single", "multiple", "true_false", "fill_blank", "term", "short_answer", "case", "calculation")
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class PaperItem:
    number: int                  # within its section, from 1
    variant: Variant
    points: float
    response_text: str = ""      # 错题集: the learner's last wrong answer

    @property
    def question(self) -> Question:
        return self.variant.question

    @property
    def qtype(self):
        return TYPES[self.question.type]


@dataclass(frozen=True)
class PaperSection:
    numeral: str
    type: str
    items: tuple[PaperItem, ...]

    @property
    def label(self) -> str:
        label = TYPES[self.type].label
        return label if label.endswith("解释") else f"{label}题"

    @property
    def total(self) -> float:
        return sum(i.points for i in self.items)

    @property
    def heading(self) -> str:
        each = {i.points for i in self.items}
        rule = f"每题{each.pop():g}分，共{self.total:g}分" if len(each) == 1 else f"共{self.total:g}分"
        return f"{self.numeral}、{self.label}（{rule}）"


@dataclass(frozen=True)
class Paper:
    title: str
    subtitle: str
    seed: int | None
    sections: tuple[PaperSection, ...]

    @property
    def total(self) -> float:
        return sum(s.total for s in self.sections)

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)


def paper_from_variants(title: str, entries: Sequence[tuple[Variant, float, str]], subtitle: str = "",
                        seed: int | None = None) -> Paper:
    """Sections in exam order (单选, 多选, 判断, 填空, 名词解释, 简答, 案例分析, 计算); input order within each."""
    by_type: dict[str, list] = {}
    for variant, points, response in entries:
        by_type.setdefault(variant.question.type, []).append((variant, points, response))
    sections = []
    for qtype in sorted(by_type, key=lambda t: SECTION_ORDER.index(t) if t in SECTION_ORDER else len(SECTION_ORDER)):
        items = tuple(PaperItem(n, v, p, r) for n, (v, p, r) in enumerate(by_type[qtype], 1))
        sections.append(PaperSection(NUMERALS[len(sections)] if len(sections) < 10 else str(len(sections) + 1), qtype, items))
    return Paper(title, subtitle, seed, tuple(sections))


def paper_from_items(title: str, items: Sequence[Item], seed: int, questions: Mapping[str, Question],
                     subtitle: str = "") -> Paper:
    """A paper of stored items; variant i uses variant_seed(seed, i), as an attempt with that seed does.
    Items whose question left the banks are left out."""
    entries = [(make_variant(questions[it.key], variant_seed(seed, pos), it.shuffle), it.points, "")
               for pos, it in enumerate(items) if it.key in questions]
    return paper_from_variants(title, entries, subtitle, seed)
