"""Counted events for the abuse limits, in SQLite so that every worker process sees the same counts."""
from __future__ import annotations

import math
import time

import sqlite_utils

from quizzes.store import immediate


def take(db: sqlite_utils.Database, scope: str, key: str, limit: int, window: float, subject: str = "",
         at: float | None = None) -> tuple[float, int | None]:
    """Count one event for (scope, key) unless `limit` are already counted within `window` seconds.

    Returns (0, row id) when counted, (0, None) when `subject` was already counted in the window (the same
    new learner posting twice counts once), else (seconds until the oldest counted event leaves the
    window, None) and nothing is written. One BEGIN IMMEDIATE transaction, so concurrent workers cannot
    overshoot.
    """
    at = time.time() if at is None else at
    since = at - window
    with immediate(db):
        db.execute("DELETE FROM rate_events WHERE scope = ? AND key = ? AND at <= ?", [scope, key, since])
        if subject and next(db.query("SELECT 1 FROM rate_events WHERE scope = ? AND key = ? AND subject = ?",
                                     [scope, key, subject]), None):
            return 0.0, None
        count, oldest = next(db.query("SELECT count(*), min(at) FROM rate_events WHERE scope = ? AND key = ?",
                                      [scope, key])).values()
        if count >= limit:
            return max(1.0, math.ceil(oldest + window - at)), None
        cursor = db.execute("INSERT INTO rate_events (scope, key, subject, at) VALUES (?, ?, ?, ?)",
                            [scope, key, subject, at])
    return 0.0, cursor.lastrowid


def release(db: sqlite_utils.Database, event_ids: list[int]) -> None:
    """Give back events counted for a request that was then refused, so a refusal leaves no trace."""
    with immediate(db):
        for event_id in event_ids:
            db.execute("DELETE FROM rate_events WHERE rowid = ?", [event_id])


def learner_exists(db: sqlite_utils.Database, learner_id: str) -> bool:
    return next(db.query("SELECT 1 FROM learners WHERE id = ?", [learner_id]), None) is not None
