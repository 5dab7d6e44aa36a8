"""Domain values of the quiz engine. Questions are authored as data; these are their checked form."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class KeyPoint:
    """A 得分点: a short phrase the grader looks for, worth `points`."""

    text: str
    points: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    bank: str
    id: str
    type: str
    stem: str
    explanation: str
    source: str
    editor_note: str = ""            # for authors only: never shown to students
    origin: str = ""                 # what students read as 来源 (see quizzes/origin.py), never a file name
    options: tuple[str, ...] = ()
    answer: str = ""                 # single/multiple: letters; true_false: "true"/"false"
    blanks: tuple[tuple[str, ...], ...] = ()
    any_order: tuple[tuple[int, ...], ...] = ()   # fill_blank: groups of interchangeable blanks (0-based)
    reference_answer: str = ""
    key_points: tuple[KeyPoint, ...] = ()
    generator: str = ""
    section: str = ""
    difficulty: int = 2
    knowledge_point: str = ""
    tags: tuple[str, ...] = ()
    line: int = 0
    version: str = ""                # content hash: a changed question is a new version

    @property
    def key(self) -> str:
        return f"{self.bank}/{self.id}"

    @property
    def answer_indexes(self) -> tuple[int, ...]:
        return tuple(ord(letter) - ord("A") for letter in self.answer)


@dataclass(frozen=True)
class Bank:
    chapter: str
    path: str
    questions: tuple[Question, ...]
    visibility: str = "public"       # "assignment": teachers' banks, never shown to students outside an assignment


@dataclass(frozen=True)
class Variant:
    """A question as one attempt sees it: shuffled options, or a generated calculation."""

    question: Question
    seed: int
    stem: str
    option_order: tuple[int, ...] = ()        # display position -> original option index
    expected: float | None = None             # calculation answer
    tolerance: float = 0.0
    unit: str = ""
    solution: str = ""                        # calculation worked solution (shown after answering)
    params: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class PointResult:
    point: KeyPoint
    found: bool


@dataclass(frozen=True)
class BlankMark:
    """How one blank was judged: `credit` 1 (right), a part (one character off) or 0."""

    given: str
    credit: float
    expected: str = ""      # the accepted wording it was compared with (shown when close or wrong)

    @property
    def status(self) -> str:
        return "right" if self.credit >= 1 else ("close" if self.credit > 0 else "wrong")


@dataclass(frozen=True)
class Grade:
    score: float
    max_score: float
    correct: bool
    points: tuple[PointResult, ...] = ()      # subjective types: which 得分点 were found
    blank_results: tuple[bool, ...] = ()      # fill_blank: each blank right or wrong
    blank_marks: tuple[BlankMark, ...] = ()   # fill_blank: credit per blank and the wording compared


@dataclass(frozen=True)
class Item:
    """One question of an attempt: which question (and version), its weight, its exam section."""

    key: str
    version: str
    points: float
    section: str = ""
    shuffle: bool = True          # False: options in the bank's order (a teacher's assignment setting)


def items_json(items) -> str:
    """A paper's items as stored (attempts.items). Items hold only plain values: their fields are copied
    as they are (dataclasses.asdict deep-copies each, a noticeable share of a 交卷)."""
    return json.dumps([dict(vars(i)) for i in items], ensure_ascii=False)


@dataclass(frozen=True)
class Attempt:
    """A practice set, 错题重做 or mock exam as stored: the paper is fixed by `items` and `seed`."""

    id: int
    learner_id: str
    kind: str                                 # "practice", "redo" or "exam"
    seed: int
    items: tuple[Item, ...]
    started_at: str
    config: dict = field(default_factory=dict, compare=False, hash=False)
    deadline: dt.datetime | None = None       # exams only
    submitted_at: str | None = None
    score: float | None = None
    max_score: float | None = None

    def variant_seed(self, position: int) -> int:
        return variant_seed(self.seed, position)


def variant_seed(attempt_seed: int, position: int) -> int:
    """The seed of the variant at `position`: review and regrading recompute the same variant."""
    return attempt_seed * 1000 + position
