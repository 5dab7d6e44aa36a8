"""Persistence of flashcard memory, the review log and deck settings. Every function takes `db` first.

A review reads the learner's cards, decides with the scheduler and writes the card and its log row in
one `BEGIN IMMEDIATE` transaction, so a double click or two tabs cannot record one answer twice.
Every table is keyed by learner_id (see LEARNER_TABLES).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable

import sqlite_utils

from quizzes.store import Conflict, ensure_learner, immediate

from .scheduler import DEFAULT_CAP, CardState, day_start, local_day

LEARNER_TABLES = ("flashcard_cards", "flashcard_reviews", "flashcard_settings")


@dataclass(frozen=True)
class Settings:
    exam_date: dt.date | None = None     # the learner's own; None = the course's
    daily_cap: int = DEFAULT_CAP
    buttons: int = 2                      # 2: 忘了/记得; 4: 重来/困难/良好/简单
    type_first: bool = False
    chapters: tuple[str, ...] = ()        # empty = every chapter


MAX_TYPED = 2000   # characters of a typed definition (先写释义再看答案) a review keeps


@dataclass(frozen=True)
class Graded:
    """What a review stores besides the new state: the form it came from."""

    rating: int
    buttons: int
    version: str
    duration_ms: int | None = None
    typed: str | None = None
    suggested: int | None = None


def _state(row: dict) -> CardState:
    return CardState(row["card_key"], row["state"], row["step"], row["stability"], row["difficulty"],
                     dt.datetime.fromisoformat(row["due"]),
                     dt.datetime.fromisoformat(row["last_review"]) if row["last_review"] else None,
                     row["reps"], row["lapses"])


def _stamp(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None   # microseconds: two devices may review in one second


def settings(db: sqlite_utils.Database, learner_id: str | None) -> Settings:
    row = next(db.query("SELECT * FROM flashcard_settings WHERE learner_id = ?", [learner_id]), None) if learner_id else None
    if row is None:
        return Settings()
    return Settings(dt.date.fromisoformat(row["exam_date"]) if row["exam_date"] else None,
                    row["daily_cap"] or DEFAULT_CAP, row["buttons"], bool(row["type_first"]),
                    tuple(json.loads(row["chapters"])))


def save_settings(db: sqlite_utils.Database, learner_id: str, value: Settings, now: dt.datetime) -> None:
    with immediate(db):
        ensure_learner(db, learner_id)
        db.execute(
            "INSERT INTO flashcard_settings (learner_id, exam_date, daily_cap, buttons, type_first, chapters, updated_at) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT (learner_id) DO UPDATE SET exam_date = excluded.exam_date, "
            "daily_cap = excluded.daily_cap, buttons = excluded.buttons, type_first = excluded.type_first, "
            "chapters = excluded.chapters, updated_at = excluded.updated_at",
            [learner_id, value.exam_date.isoformat() if value.exam_date else None, value.daily_cap, value.buttons,
             int(value.type_first), json.dumps(list(value.chapters)), _stamp(now)],
        )


def card_states(db: sqlite_utils.Database, learner_id: str | None) -> dict[str, CardState]:
    if not learner_id:
        return {}
    return {r["card_key"]: _state(r) for r in db.query("SELECT * FROM flashcard_cards WHERE learner_id = ?", [learner_id])}


def touched_on(db: sqlite_utils.Database, learner_id: str | None, day: dt.date) -> dict[str, bool]:
    """Cards studied on a local day, each mapped to whether it was new that day (its first review)."""
    if not learner_id:
        return {}
    start, end = _stamp(day_start(day)), _stamp(day_start(day + dt.timedelta(days=1)))
    rows = db.query("SELECT card_key, MAX(state_before IS NULL) AS was_new "
                    "FROM flashcard_reviews WHERE learner_id = ? AND reviewed_at >= ? AND reviewed_at < ? "
                    "GROUP BY card_key", [learner_id, start, end])
    return {r["card_key"]: bool(r["was_new"]) for r in rows}


def record_review(db: sqlite_utils.Database, learner_id: str, key: str, expected_reps: int, graded: Graded,
                  now: dt.datetime, decide: Callable[[CardState | None, list[CardState]], CardState]) -> CardState:
    """Store one review: `decide(current, other_cards_states)` gives the new state; refused if the card moved on."""
    with immediate(db):
        ensure_learner(db, learner_id)
        states = card_states(db, learner_id)
        current = states.get(key)
        if (current.reps if current else 0) != expected_reps:
            raise Conflict("这张卡片已经评过分了（可能在另一个标签页）。")
        after = decide(current, [s for k, s in states.items() if k != key])
        db.execute(
            "INSERT INTO flashcard_cards (learner_id, card_key, state, step, stability, difficulty, due, last_review, "
            "reps, lapses, introduced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (learner_id, card_key) DO UPDATE "
            "SET state = excluded.state, step = excluded.step, stability = excluded.stability, difficulty = "
            "excluded.difficulty, due = excluded.due, last_review = excluded.last_review, reps = excluded.reps, "
            "lapses = excluded.lapses",
            [learner_id, key, after.state, after.step, after.stability, after.difficulty, _stamp(after.due),
             _stamp(after.last_review), after.reps, after.lapses, _stamp(now)],
        )
        db.execute(
            "INSERT INTO flashcard_reviews (learner_id, card_key, version, rating, buttons, reviewed_at, duration_ms, "
            "state_before, due_before, state, step, stability, difficulty, due, typed, suggested) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [learner_id, key, graded.version, graded.rating, graded.buttons, _stamp(now), graded.duration_ms,
             current.state if current else None, _stamp(current.due) if current else None, after.state, after.step,
             after.stability, after.difficulty, _stamp(after.due), graded.typed, graded.suggested],
        )
    return after


def review_count(db: sqlite_utils.Database, learner_id: str | None) -> int:
    if not learner_id:
        return 0
    return next(db.query("SELECT COUNT(*) AS n FROM flashcard_reviews WHERE learner_id = ?", [learner_id]))["n"]


def reviews_per_day(db: sqlite_utils.Database, learner_id: str) -> dict[dt.date, int]:
    """Distinct cards studied on each local day (what the daily cap limits)."""
    seen: dict[dt.date, set[str]] = {}
    for r in db.query("SELECT card_key, reviewed_at FROM flashcard_reviews WHERE learner_id = ?", [learner_id]):
        seen.setdefault(local_day(dt.datetime.fromisoformat(r["reviewed_at"])), set()).add(r["card_key"])
    return {day: len(keys) for day, keys in seen.items()}


def export(db: sqlite_utils.Database, learner_id: str) -> dict:
    """The learner's flashcard records for 我的数据 → 导出."""
    return {
        "settings": next(db.query("SELECT * FROM flashcard_settings WHERE learner_id = ?", [learner_id]), None),
        "cards": list(db.query("SELECT * FROM flashcard_cards WHERE learner_id = ? ORDER BY card_key", [learner_id])),
        "reviews": list(db.query("SELECT * FROM flashcard_reviews WHERE learner_id = ? ORDER BY id", [learner_id])),
    }


def merge_cards(db: sqlite_utils.Database, source: str, target: str) -> None:
    """Records moving to another device (records.store.MERGES): a card studied on both keeps the state
    reviewed last. The review log and the rest then move as they are."""
    db.execute(
        "UPDATE flashcard_cards AS t SET state = s.state, step = s.step, stability = s.stability, "
        "difficulty = s.difficulty, due = s.due, last_review = s.last_review, reps = s.reps, lapses = s.lapses, "
        "introduced_at = MIN(t.introduced_at, s.introduced_at) "
        "FROM flashcard_cards AS s WHERE t.learner_id = ? AND s.learner_id = ? AND s.card_key = t.card_key "
        "AND COALESCE(s.last_review, '') > COALESCE(t.last_review, '')",
        [target, source],
    )


def add_imported(db: sqlite_utils.Database, staging: str, target: str, imported) -> int:
    """Inside records' import transaction: a file's flashcard rows (flashcards.imports.Imported) as `staging`'s,
    before records.store moves them to `target`, where merge_cards keeps the newer state of a card studied on
    both and the target's own settings win. A review already in the target's log (same card, same moment)
    is left out, so importing one file twice changes nothing. Returns how many cards the file had."""
    logged = {(r["card_key"], r["reviewed_at"]) for r in db.query(
        "SELECT card_key, reviewed_at FROM flashcard_reviews WHERE learner_id = ?", [target])}
    fresh = [r for r in imported.reviews if (r["card_key"], r["reviewed_at"]) not in logged]
    for table, rows in (("flashcard_cards", imported.cards), ("flashcard_reviews", fresh),
                        ("flashcard_settings", [imported.settings] if imported.settings else [])):
        if rows:   # every row of a table has the same columns (flashcards.imports builds them)
            db.conn.executemany(f"INSERT INTO [{table}] (learner_id, {', '.join(rows[0])}) VALUES (?{', ?' * len(rows[0])})",
                                [[staging, *row.values()] for row in rows])
    return len(imported.cards)
