"""名词解释 flashcards: a deck from the question banks, scheduled with FSRS for the exam date."""
from __future__ import annotations

from flask import Flask

from course import CONTENT_CHECKS, content_cached, current_course

from .deck import FlashCard, build_deck, check_content


def current_deck() -> tuple[FlashCard, ...]:
    """The deck, rebuilt when content changes (see course.content_cached)."""
    from quizzes import current_banks

    banks = current_banks()
    course = current_course()
    return content_cached("flashcard_deck", lambda _dir: build_deck(banks, course))


def _export(db, learner_id: str) -> dict:
    from . import store

    return store.export(db, learner_id)


def _read_import(raw):
    """The flashcard section of an uploaded export, checked against today's deck and date."""
    from .deck import deck_chapters
    from .imports import parse
    from .scheduler import local_day
    from quizzes.store import now

    return parse(raw, {c.slug for c in deck_chapters(current_deck(), current_course())}, local_day(now()))


def init_app(app: Flask) -> None:
    from . import store, views

    if check_content not in CONTENT_CHECKS:
        CONTENT_CHECKS.append(check_content)
    app.register_blueprint(views.bp)
    app.extensions.setdefault("preload", []).append(current_deck)
    # 我的数据: the export includes the flashcard records.
    app.extensions.setdefault("learner_exports", {})["flashcards"] = _export
    try:
        from records.store import MERGES, SECTIONS, Section   # records moving to another device: keep the newer card state
    except ImportError:
        return
    MERGES["flashcard_cards"] = store.merge_cards
    SECTIONS["flashcards"] = Section(_read_import, store.add_imported, "记忆卡 {n} 张的进度")
