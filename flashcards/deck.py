"""The flashcard deck: one card per 名词解释 (`term`) question and per question tagged `key-concept`.

Pure: takes loaded banks and the course, returns frozen cards. A card's key is its question's
`bank/id`, so review records survive edits to the wording (the question's version is logged with
each review).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course.loader import Course, Problem
from quizzes.bank import CASES_BANK, Banks
from quizzes.model import KeyPoint, Question

KEY_CONCEPT_TAG = "key-concept"
CARD_TYPES = ("term",)                                   # every question of these types is a card
TAGGABLE_TYPES = ("term", "short_answer", "case")        # types with a reference answer and 得分点


@dataclass(frozen=True)
class FlashCard:
    key: str                      # the question's bank/id
    chapter: str                  # bank slug (a chapter slug, or "cases")
    front: str
    back: str
    key_points: tuple[KeyPoint, ...]
    section: str
    question: Question


@dataclass(frozen=True)
class DeckChapter:
    slug: str
    label: str
    title: str
    count: int


def is_card(question: Question) -> bool:
    return question.type in CARD_TYPES or (KEY_CONCEPT_TAG in question.tags and question.type in TAGGABLE_TYPES)


def card_of(question: Question) -> FlashCard:
    front = question.stem if question.type == "term" else (question.knowledge_point or question.stem)
    return FlashCard(question.key, question.bank, front, question.reference_answer, question.key_points,
                     question.section, question)


def build_deck(banks: Banks, course: Course) -> tuple[FlashCard, ...]:
    """Every card, in course order (chapters, then cases), each bank in its YAML order.

    Only public banks: `Banks.questions()` leaves `visibility: assignment` banks out.
    """
    order = {c.slug: i for i, c in enumerate(course.chapters)}
    order[CASES_BANK] = len(order)
    questions = [q for q in banks.questions() if is_card(q)]
    questions.sort(key=lambda q: order.get(q.bank, len(order) + 1))   # stable: YAML order within a bank
    return tuple(card_of(q) for q in questions)


def deck_chapters(deck: tuple[FlashCard, ...], course: Course) -> list[DeckChapter]:
    counts: dict[str, int] = {}
    for card in deck:
        counts[card.chapter] = counts.get(card.chapter, 0) + 1
    out = []
    for slug, count in counts.items():
        chapter = course.get(slug)
        label, title = (chapter.label, chapter.title) if chapter else ("案例", "案例分析")
        out.append(DeckChapter(slug, label, title, count))
    return out


def check_tags(banks: Banks) -> list[Problem]:
    """`flask check`: a `key-concept` tag on a type without a reference answer cannot make a card."""
    return [Problem(next(b.path for b in banks.banks if q in b.questions), q.line,
                    f"[{q.id}] 标签 {KEY_CONCEPT_TAG} 只适用于有参考答案的题型（{'、'.join(TAGGABLE_TYPES)}）")
            for q in banks.questions() if KEY_CONCEPT_TAG in q.tags and q.type not in TAGGABLE_TYPES]


def check_content(content_dir: Path) -> list[Problem]:
    from course.loader import load_course
    from quizzes import chapter_anchors
    from quizzes.bank import load_banks

    return check_tags(load_banks(content_dir, chapter_anchors(load_course(content_dir))))
