"""What a student sees after answering: the review of an item, per-chapter progress, what to study next."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from course.loader import Course

from .bank import Banks
from .engine import display_options, grade, key_text, picked_options, response_text
from .model import Grade, Item, Variant
from .types import TYPES

WEAK = 0.7          # accuracy under this marks a section as weak


@dataclass(frozen=True)
class ReviewItem:
    variant: Variant
    item: Item
    answered: bool
    response_text: str
    key_text: str
    grade: Grade | None
    score: float | None          # the score that counts: self-assessed where confirmed
    self_score: float | None
    options: list
    picked: tuple[int, ...] = ()     # original indexes of the options the student chose

    @property
    def question(self):
        return self.variant.question

    @property
    def objective(self) -> bool:
        return TYPES[self.question.type].objective

    @property
    def correct(self) -> bool | None:
        if not self.answered:
            return False
        if self.objective:
            return self.grade.correct
        if self.self_score is not None:
            return self.self_score >= 0.6 * self.item.points
        return self.grade.correct


def review_item(variant: Variant, saved: dict | None, item: Item) -> ReviewItem:
    answered = saved is not None
    result = grade(variant, saved["response"], item.points) if answered else None
    self_score = saved.get("self_score") if answered else None
    score = self_score if self_score is not None else (saved.get("score") if answered else None)
    if answered and score is None:
        score = result.score
    response = saved["response"] if answered else None
    picked = picked_options(variant, response)
    return ReviewItem(variant, item, answered, response_text(variant, response), key_text(variant), result, score,
                      self_score, display_options(variant) if variant.option_order else [], picked)


@dataclass(frozen=True)
class ChapterProgress:
    slug: str
    label: str
    title: str
    total: int
    seen: int
    answered: int
    correct: int
    open_wrong: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def coverage(self) -> float:
        return self.seen / self.total if self.total else 0.0


def chapter_progress(course: Course, banks: Banks, answered: list[dict], open_keys: set[str]) -> list[ChapterProgress]:
    totals = banks.counts()
    seen, count, right = defaultdict(set), defaultdict(int), defaultdict(int)
    for row in answered:
        bank = row["question_key"].split("/")[0]
        seen[bank].add(row["question_key"])
        count[bank] += 1
        right[bank] += int(bool(row["correct"]))
    wrong = defaultdict(int)
    for key in open_keys:
        wrong[key.split("/")[0]] += 1
    pages = [(c.slug, c.label, c.title) for c in course.chapters if c.kind == "chapter"]
    if totals.get("cases"):
        pages.append(("cases", "案例", "案例分析"))
    return [ChapterProgress(slug, label, title, totals.get(slug, 0), len(seen[slug]), count[slug], right[slug], wrong[slug])
            for slug, label, title in pages if totals.get(slug)]


@dataclass(frozen=True)
class StudyLink:
    slug: str
    anchor: str
    title: str
    reason: str


def study_next(course: Course, banks: Banks, answered: list[dict], limit: int = 6) -> list[StudyLink]:
    """Weakest sections first (share of their questions last answered right), then chapters not practised yet."""
    by_key = banks.by_key()
    latest = {row["question_key"]: bool(row["correct"]) for row in answered}   # oldest first: the last one wins
    stats = defaultdict(lambda: [0, 0])
    for key, right in latest.items():
        q = by_key.get(key)
        if q and q.section:
            stats[(q.bank, q.section)][0] += 1
            stats[(q.bank, q.section)][1] += int(right)
    titles = {(c.slug, e.anchor): e.title for c in course.chapters for e in c.rendered.toc}
    weak = sorted(((r / n, n, r, key) for key, (n, r) in stats.items() if r / n < WEAK and key in titles),
                  key=lambda t: (t[0], -t[1]))
    links = [StudyLink(slug, anchor, titles[(slug, anchor)], f"做过 {n} 道题，答对 {r} 道")
             for _, n, r, (slug, anchor) in weak]
    seen = defaultdict(set)
    for row in answered:
        seen[row["question_key"].split("/")[0]].add(row["question_key"])
    totals = banks.counts()
    chapters = [c for c in course.chapters if c.kind == "chapter" and totals.get(c.slug)]
    for chapter in chapters:
        if not seen[chapter.slug]:
            links.append(StudyLink(chapter.slug, "", f"{chapter.label} {chapter.title}", "还没有练习过"))
    # Then the least-covered chapters: there is always a next step until every question is done.
    for chapter in sorted(chapters, key=lambda c: len(seen[c.slug]) / totals[c.slug]):
        left = totals[chapter.slug] - len(seen[chapter.slug])
        if seen[chapter.slug] and left:
            links.append(StudyLink(chapter.slug, "", f"{chapter.label} {chapter.title}", f"还有 {left} 题没做过"))
    return links[:limit]


@dataclass(frozen=True)
class KnowledgePoint:
    """A textbook section with questions on it: what 按知识点 practice and 背题 choose from."""
    chapter: str
    anchor: str
    title: str
    count: int

    @property
    def value(self) -> str:
        return f"{self.chapter}:{self.anchor}"


def knowledge_points(course: Course, banks: Banks) -> list[tuple[str, list[KnowledgePoint]]]:
    """(chapter heading, its sections with questions) in the book's order."""
    counts = defaultdict(int)
    for q in banks.questions():
        if q.section:
            counts[(q.bank, q.section)] += 1
    groups = []
    for chapter in course.chapters:
        points = [KnowledgePoint(chapter.slug, e.anchor, e.title, counts[(chapter.slug, e.anchor)])
                  for e in chapter.rendered.toc if counts.get((chapter.slug, e.anchor))]
        if points:
            groups.append((f"{chapter.label} {chapter.title}", points))
    return groups


def split_point(value: str) -> tuple[str, str] | None:
    """'chapter:anchor' from a form or link, or None when malformed."""
    chapter, sep, anchor = (value or "").partition(":")
    return (chapter, anchor) if sep and chapter and anchor else None


@dataclass(frozen=True)
class ExamRecord:
    """One submitted mock exam as the history lists it."""
    id: int
    submitted_at: dt.datetime
    score: float
    max_score: float
    used: dt.timedelta            # from start to 交卷, never more than the time allowed
    answered: int
    total: int

    @property
    def at(self) -> str:
        return self.submitted_at.isoformat()

    @property
    def used_text(self) -> str:
        minutes, seconds = divmod(int(self.used.total_seconds()), 60)
        return f"{minutes} 分 {seconds:02d} 秒"


def exam_records(rows: list[dict]) -> list[ExamRecord]:
    records = []
    for r in rows:
        started, done = dt.datetime.fromisoformat(r["started_at"]), dt.datetime.fromisoformat(r["submitted_at"])
        end = min(done, dt.datetime.fromisoformat(r["deadline"])) if r["deadline"] else done
        records.append(ExamRecord(r["id"], done, r["score"] or 0.0, r["max_score"] or 0.0, max(end - started, dt.timedelta()),
                                  r["answered"], r["total"]))
    return records


@dataclass(frozen=True)
class ResultSection:
    """A section of a marked paper: its score and its items as (position, review)."""
    number: int
    label: str
    points: float
    score: float
    max_score: float
    items: tuple[tuple[int, int, ReviewItem], ...]    # (position in the paper, number in the section, review)


SHOW = {"all": "全部", "wrong": "只看错题", "unanswered": "只看未作答"}


def item_state(r: ReviewItem) -> str:
    """unanswered, wrong or right: unanswered is never counted as wrong."""
    return "unanswered" if not r.answered else ("right" if r.correct else "wrong")


def result_sections(rows: list[ReviewItem], show: str = "all") -> list[ResultSection]:
    """The paper's sections in order with their scores; items filtered by `show` (scores never are)."""
    grouped: dict[str, list[tuple[int, ReviewItem]]] = {}
    for pos, r in enumerate(rows):
        grouped.setdefault(r.item.section, []).append((pos, r))
    return [ResultSection(n, TYPES[section].label if section in TYPES else section, items[0][1].item.points,
                          round(sum(r.score or 0 for _, r in items), 1), sum(r.item.points for _, r in items),
                          tuple((p, k, r) for k, (p, r) in enumerate(items, 1) if show == "all" or item_state(r) == show))
            for n, (section, items) in enumerate(grouped.items(), 1)]
