"""Assignments: what a teacher asks for (a Spec), each student's paper drawn from a stored seed, and
the rules of time and release. Pure: plain arguments in, values out."""
from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from dataclasses import asdict, dataclass, field

from quizzes.model import Item, Question
from quizzes.selection import item
from quizzes.types import TYPES

# Six characters without look-alikes (no 0/O, 1/I/L): read aloud or copied off a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
RELEASES = {"immediately": "交卷后立即公布", "after_close": "截止时间过后公布", "manual": "教师手动发布"}
DEFAULT_POINTS = {"single": 2, "multiple": 3, "true_false": 1, "fill_blank": 2, "term": 4,
                  "short_answer": 6, "case": 10, "calculation": 5}
MAX_ITEMS = 100
MAX_MINUTES = 600
MAX_ATTEMPTS = 10


class SpecError(ValueError):
    """An assignment that cannot be built as asked; the message says why, in Chinese."""


@dataclass(frozen=True)
class Rule:
    """Draw `count` questions at random from those matching every given filter (empty = any)."""

    count: int
    chapters: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    difficulties: tuple[int, ...] = ()
    knowledge_point: str = ""

    def matches(self, q: Question) -> bool:
        return ((not self.chapters or q.bank in self.chapters) and (not self.types or q.type in self.types)
                and (not self.difficulties or q.difficulty in self.difficulties)
                and (not self.knowledge_point or self.knowledge_point in q.knowledge_point))


@dataclass(frozen=True)
class Spec:
    rules: tuple[Rule, ...] = ()
    picked: tuple[str, ...] = ()                # hand-picked question ids, asked of everyone
    points: dict = field(default_factory=lambda: dict(DEFAULT_POINTS))
    shuffle_questions: bool = True
    shuffle_options: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Spec":
        raw = json.loads(text)
        rules = tuple(Rule(r["count"], tuple(r["chapters"]), tuple(r["types"]), tuple(r["difficulties"]),
                           r["knowledge_point"]) for r in raw["rules"])
        return cls(rules, tuple(raw["picked"]), raw["points"], raw["shuffle_questions"], raw["shuffle_options"])


@dataclass(frozen=True)
class Assignment:
    id: int
    class_id: int
    title: str
    code: str
    spec: Spec
    seed: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    minutes: int
    attempts_allowed: int
    release: str
    released_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: dict) -> "Assignment":
        when = dt.datetime.fromisoformat
        return cls(row["id"], row["class_id"], row["title"], row["code"], Spec.from_json(row["spec"]), row["seed"],
                   when(row["opens_at"]), when(row["closes_at"]), row["minutes"], row["attempts_allowed"],
                   row["release"], when(row["released_at"]) if row["released_at"] else None)

    def status(self, now: dt.datetime) -> str:
        return "upcoming" if now < self.opens_at else ("open" if now < self.closes_at else "closed")

    def deadline(self, started: dt.datetime) -> dt.datetime:
        """A student's server deadline: the time limit from starting, never past the close time."""
        return min(started + dt.timedelta(minutes=self.minutes), self.closes_at)

    def results_visible(self, now: dt.datetime) -> bool:
        """Scores, keys and explanations reach students only under the release policy."""
        if self.release == "immediately":
            return True
        if self.release == "after_close":
            return now >= self.closes_at or self.released_at is not None
        return self.released_at is not None

    def answers_visible(self, now: dt.datetime, attempts: list[dict]) -> bool:
        """Each question's key and 解析 once results are visible and the student cannot take the paper again
        (closed, or every attempt used and handed in): otherwise a score shown at once would come with the
        answers to copy into the next attempt. `attempts`: the student's, with `submitted_at`."""
        if not self.results_visible(now):
            return False
        used_up = len(attempts) >= self.attempts_allowed and all(a["submitted_at"] for a in attempts)
        return now >= self.closes_at or used_up


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())[:CODE_LENGTH]


_pools: dict[tuple[int, Rule | None], tuple[tuple[Question, ...], object]] = {}


def _remembered(questions: tuple[Question, ...], rule: Rule | None, build):
    """A value computed from the banks' question tuple, kept while that same tuple is in use (a bank
    edit makes a new one): every student who starts an assignment draws from the same pools."""
    key = (id(questions), rule)
    known = _pools.get(key)
    if known is not None and known[0] is questions:
        return known[1]
    value = build()
    if len(_pools) >= 512:
        _pools.clear()
    _pools[key] = (questions, value)
    return value


def pool(questions: tuple[Question, ...], rule: Rule) -> tuple[Question, ...]:
    return _remembered(questions, rule, lambda: tuple(sorted((q for q in questions if rule.matches(q)),
                                                             key=lambda q: q.key)))


def _by_id(questions: tuple[Question, ...]) -> dict[str, Question]:
    return _remembered(questions, None, lambda: {q.id: q for q in questions})


def check_spec(questions: tuple[Question, ...], spec: Spec) -> None:
    """Raise SpecError when a student's paper could not be drawn as specified."""
    by_id = {q.id: q for q in questions}
    unknown = [i for i in spec.picked if i not in by_id]
    if unknown:
        raise SpecError(f"题目不存在：{'、'.join(unknown[:5])}")
    if not spec.rules and not spec.picked:
        raise SpecError("请至少设置一条抽题规则或手选一道题。")
    bad_points = [t for t, p in spec.points.items() if t not in TYPES or not 0 < float(p) <= 100]
    if bad_points:
        raise SpecError("每题分值须在 0 到 100 之间。")
    taken = set(spec.picked)
    for n, rule in enumerate(spec.rules, 1):
        if rule.count < 1:
            raise SpecError(f"第 {n} 条规则的题数须至少为 1。")
        available = [q for q in pool(questions, rule) if q.id not in taken]
        if len(available) < rule.count:
            raise SpecError(f"第 {n} 条规则只找到 {len(available)} 道可用题目，少于要求的 {rule.count} 道。")
        taken.update(q.id for q in available[:rule.count])
    if len(spec.picked) + sum(r.count for r in spec.rules) > MAX_ITEMS:
        raise SpecError(f"一份作业最多 {MAX_ITEMS} 题。")


def uneven_totals(questions: tuple[Question, ...], spec: Spec) -> list[str]:
    """Question types a rule draws from at different points: students' papers then have different full marks.
    Their labels with points (单项选择 1 分…), or [] when every paper is worth the same."""
    mixed: dict[str, float] = {}
    for rule in spec.rules:
        worth = {q.type: float(spec.points.get(q.type, DEFAULT_POINTS[q.type])) for q in pool(questions, rule)}
        if len(set(worth.values())) > 1:
            mixed |= worth
    return [f"{TYPES[t].label} {mixed[t]:g} 分" for t in TYPES if t in mixed]


def draw_seed(seed: int, student_no: str, number: int) -> int:
    """Each student's own paper (and option order) from the assignment's stored seed."""
    return random.Random(f"{seed}:{student_no}:{number}").randrange(2**31)


def student_items(questions: tuple[Question, ...], spec: Spec, seed: int) -> list[Item]:
    """One student's paper: hand-picked questions, then each rule's random draw; grouped by type in the
    exam's section order, shuffled within a section when asked. The same seed always gives the same paper."""
    rng = random.Random(seed)
    by_id = _by_id(questions)
    chosen = [by_id[i] for i in spec.picked]
    taken = set(spec.picked)
    for rule in spec.rules:
        available = [q for q in pool(questions, rule) if q.id not in taken]
        drawn = rng.sample(available, min(rule.count, len(available)))
        taken.update(q.id for q in drawn)
        chosen.extend(drawn)
    order = list(TYPES)
    chosen.sort(key=lambda q: order.index(q.type))   # stable: keeps picked-then-drawn order inside a type
    if spec.shuffle_questions:
        sections = {}
        for q in chosen:
            sections.setdefault(q.type, []).append(q)
        for group in sections.values():
            rng.shuffle(group)
        chosen = [q for t in order for q in sections.get(t, [])]
    return [item(q, float(spec.points.get(q.type, DEFAULT_POINTS[q.type])), q.type, spec.shuffle_options)
            for q in chosen]

