"""Persistence of transfer codes, the wrong-code counter, moving and importing records. `db` first.

Moving records is generic: every table with a `learner_id` column follows (tables added later by
other packages included); a table whose rows must be combined rather than kept side by side gets a
merge step in MERGES. A table's primary-key clash keeps the destination's row.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, NamedTuple

import sqlite_utils

from quizzes.store import ensure_learner, immediate, iso, now

from . import transfer
from .importer import Export

NOT_MOVED = {"learners", "transfer_codes"}   # the learner row itself; codes of the old id just end


class WrongCode(Exception):
    """The code does not exist, has expired or was used already."""


class TooManyTries(Exception):
    """This client has entered too many wrong codes in the current window."""


def _merge_notebook(db: sqlite_utils.Database, source: str, target: str) -> None:
    """Both devices had the same question in the 错题本: add the mistakes, keep the newer state."""
    db.execute(
        "UPDATE notebook AS t SET wrong_count = t.wrong_count + s.wrong_count, added_at = MIN(t.added_at, s.added_at), "
        "streak = CASE WHEN s.updated_at > t.updated_at THEN s.streak ELSE t.streak END, "
        "last_attempt_id = CASE WHEN s.updated_at > t.updated_at THEN s.last_attempt_id ELSE t.last_attempt_id END, "
        "last_position = CASE WHEN s.updated_at > t.updated_at THEN s.last_position ELSE t.last_position END, "
        "resolved_at = CASE WHEN s.updated_at > t.updated_at THEN s.resolved_at ELSE t.resolved_at END, "
        "updated_at = MAX(t.updated_at, s.updated_at) "
        "FROM notebook AS s WHERE t.learner_id = ? AND s.learner_id = ? AND s.question_key = t.question_key",
        [target, source],
    )


# Other packages add their own merge steps here (flashcards: the newer card state wins; teacher: a device
# stays one 学号 per class, see teacher.store.merge_enrolments).
MERGES: dict[str, Callable[[sqlite_utils.Database, str, str], None]] = {"notebook": _merge_notebook}


class Section(NamedTuple):
    """Another package's part of an export (/me/export.json), brought back by 导入."""

    parse: Callable[[Any], Any]                                     # raw JSON -> rows; raises importer.BadExport
    add: Callable[[sqlite_utils.Database, str, str, Any], int]     # (db, staging, target, parsed) -> rows added
    label: str                                                      # what the import's message counts, e.g. "记忆卡 {n} 张"


# Registered by other packages (flashcards: card memory, review log and settings); parsed before anything
# is written, added inside the import's transaction as the staging learner's rows, then moved with the rest.
SECTIONS: dict[str, Section] = {}


def learner_tables(db: sqlite_utils.Database) -> list[str]:
    """Every table holding a learner's rows: those with a `learner_id` column."""
    names = [r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return [n for n in names if n not in NOT_MOVED
            and any(c["name"] == "learner_id" for c in db.query(f"PRAGMA table_info([{n}])"))]


def _move(db: sqlite_utils.Database, source: str, target: str) -> None:
    """Inside a transaction: every row of `source` becomes `target`'s, then `source` is gone."""
    for table in learner_tables(db):
        if table in MERGES:
            MERGES[table](db, source, target)
        db.execute(f"UPDATE OR IGNORE [{table}] SET learner_id = ? WHERE learner_id = ?", [target, source])
        db.execute(f"DELETE FROM [{table}] WHERE learner_id = ?", [source])
    db.execute("UPDATE learners SET display_name = (SELECT display_name FROM learners WHERE id = ?) "
               "WHERE id = ? AND display_name = ''", [source, target])
    db.execute("DELETE FROM learners WHERE id = ?", [source])


def create_code(db: sqlite_utils.Database, learner_id: str) -> dict:
    """A fresh code for this learner; any earlier unused code of theirs stops working."""
    moment = now()
    with immediate(db):
        ensure_learner(db, learner_id)
        db.execute("DELETE FROM transfer_codes WHERE learner_id = ? AND used_at IS NULL", [learner_id])
        db.execute("DELETE FROM transfer_codes WHERE expires_at < ?", [iso(moment - dt.timedelta(days=1))])
        while True:
            code = transfer.new_code()
            if not next(db.query("SELECT 1 FROM transfer_codes WHERE code = ?", [code]), None):
                break
        db.execute("INSERT INTO transfer_codes (code, learner_id, created_at, expires_at) VALUES (?,?,?,?)",
                   [code, learner_id, iso(moment), iso(moment + transfer.TTL)])
    return {"code": code, "expires_at": moment + transfer.TTL}


def active_code(db: sqlite_utils.Database, learner_id: str) -> dict | None:
    row = next(db.query("SELECT code, expires_at FROM transfer_codes WHERE learner_id = ? AND used_at IS NULL "
                        "AND expires_at > ? ORDER BY created_at DESC LIMIT 1", [learner_id, iso(now())]), None)
    return {"code": row["code"], "expires_at": dt.datetime.fromisoformat(row["expires_at"])} if row else None


def redeem(db: sqlite_utils.Database, code: str | None, client: str, device_learner: str | None) -> str:
    """Use a code: the device's records (if any) join the code's learner, whose id is returned.

    A wrong, expired or used code changes nothing but this client's wrong-code counter.
    """
    moment = now()
    window = transfer.window_of(moment)
    with immediate(db):
        tries = next(db.query("SELECT failures FROM transfer_failures WHERE client = ? AND window = ?",
                              [client, window]), {"failures": 0})["failures"]
        if tries >= transfer.MAX_FAILURES:
            raise TooManyTries()
        row = next(db.query("SELECT * FROM transfer_codes WHERE code = ?", [code]), None) if code else None
        valid = row is not None and row["used_at"] is None and dt.datetime.fromisoformat(row["expires_at"]) > moment
        if not valid:
            db.execute("DELETE FROM transfer_failures WHERE window < ?", [window])
            db.execute("INSERT INTO transfer_failures (client, window, failures) VALUES (?, ?, 1) "
                       "ON CONFLICT (client, window) DO UPDATE SET failures = failures + 1", [client, window])
        else:
            db.execute("UPDATE transfer_codes SET used_at = ?, used_by = ? WHERE code = ?",
                       [iso(moment), device_learner, code])
            if device_learner and device_learner != row["learner_id"]:
                _move(db, device_learner, row["learner_id"])
    if not valid:
        raise WrongCode()
    return row["learner_id"]


def import_export(db: sqlite_utils.Database, learner_id: str, data: Export) -> dict[str, int]:
    """Add an export's records to this learner; attempts already here (same kind, seed, start) are skipped."""
    staging = f"import-{learner_id}"
    with immediate(db):
        ensure_learner(db, learner_id)
        existing = {(r["kind"], r["seed"], r["started_at"]) for r in db.query(
            "SELECT kind, seed, started_at FROM attempts WHERE learner_id = ?", [learner_id])}
        db.execute("INSERT INTO learners (id, display_name, created_at) VALUES (?, ?, ?)",
                   [staging, data.display_name, iso(now())])
        known = {(r["question_key"], r["added_at"]) for r in db.query(
            "SELECT question_key, added_at FROM notebook WHERE learner_id = ?", [learner_id])}
        new_ids, added = {}, 0
        for a in data.attempts:
            if (a.kind, a.seed, a.started_at) in existing:
                continue
            new_ids[a.old_id] = _insert_attempt(db, staging, a)
            added += 1
        for e in data.notebook:
            if (e.question_key, e.added_at) in known:     # this very entry was imported before
                continue
            db.execute("INSERT OR IGNORE INTO notebook (learner_id, question_key, streak, wrong_count, last_attempt_id, "
                       "last_position, added_at, updated_at, resolved_at) VALUES (?,?,?,?,?,?,?,?,?)",
                       [staging, e.question_key, e.streak, e.wrong_count, new_ids.get(e.last_attempt_id),
                        e.last_position if e.last_attempt_id in new_ids else None, e.added_at, e.updated_at,
                        e.resolved_at])
        for key, created in data.bookmarks:
            db.execute("INSERT OR IGNORE INTO bookmarks (learner_id, question_key, created_at) VALUES (?,?,?)",
                       [staging, key, created])
        sections = {name: SECTIONS[name].add(db, staging, learner_id, parsed) for name, parsed in data.sections}
        _move(db, staging, learner_id)
    return {"attempts": added, "skipped": len(data.attempts) - added, **sections}


def _insert_attempt(db: sqlite_utils.Database, learner_id: str, a) -> int:
    cursor = db.execute(
        "INSERT INTO attempts (learner_id, kind, seed, config, items, started_at, deadline, submitted_at, score, "
        "max_score) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [learner_id, a.kind, a.seed, json.dumps(a.config, ensure_ascii=False), json.dumps(list(a.items), ensure_ascii=False),
         a.started_at, a.deadline, a.submitted_at, a.score, a.max_score])
    for r in a.responses:
        db.execute(
            "INSERT INTO responses (attempt_id, position, question_key, version, response, score, max_score, correct, "
            "self_score, answered_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [cursor.lastrowid, r.position, r.question_key, r.version, json.dumps(r.response, ensure_ascii=False),
             r.score, r.max_score, r.correct, r.self_score, r.answered_at])
    return cursor.lastrowid
