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


def init_app(app: Flask) -> None:
    from . import store, views

    if check_content not in CONTENT_CHECKS:
        CONTENT_CHECKS.append(check_content)
    app.register_blueprint(views.bp)
    app.extensions.setdefault("preload", []).append(current_deck)
    # 我的数据: the export includes the flashcard records.
    app.extensions.setdefault("learner_exports", {})["flashcards"] = _export
    try:
        from records.store import MERGES          # records moving to another device: keep the newer card state
    except ImportError:
        return
    MERGES["flashcard_cards"] = store.merge_cards
