"""Which questions an export holds: the public banks, by chapter in course order."""
from __future__ import annotations

from course.loader import Course
from quizzes.bank import CASES_BANK, Banks

from .common import Group


def chapter_titles(course: Course) -> dict[str, str]:
    titles = {c.slug: f"{c.label} {c.title}" for c in course.chapters if c.kind == "chapter"}
    titles[CASES_BANK] = "案例分析"
    return titles


def public_groups(course: Course, banks: Banks, chapter: str | None = None) -> list[Group]:
    """`banks.banks` holds only public banks: banks marked `visibility: assignment` never appear here."""
    titles = chapter_titles(course)
    by_chapter: dict[str, list] = {}
    for bank in banks.banks:
        by_chapter.setdefault(bank.chapter, []).extend(bank.questions)
    return [Group(slug, title, tuple(by_chapter[slug])) for slug, title in titles.items()
            if by_chapter.get(slug) and chapter in (None, slug)]
