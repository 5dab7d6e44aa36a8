"""Persistence of learners, attempts, responses and the 错题本. Every function takes `db` first.

Writes that belong together run in one `BEGIN IMMEDIATE` transaction, so concurrent submissions
serialise cleanly and a failure leaves no half-written rows.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, NamedTuple

import sqlite_utils

from db import truncate_wal

from .model import Attempt, Item, items_json

REDO_STREAK = 2   # an item leaves the 错题本 after this many correct answers in a row


class Draft(NamedTuple):
    """An autosaved answer's grade, kept for 交卷: valid while `version` is the question's version then."""
    score: float
    correct: bool
    version: str


class Conflict(Exception):
    """The write contradicts stored state (already answered, already submitted, past the deadline)."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


@contextmanager
def immediate(db: sqlite_utils.Database, durable: bool = False) -> Iterator[None]:
    """One read-then-write transaction. Every commit is in the WAL (safe from a crashed or killed
    process) before this returns; `durable` also waits for the disk (fsync), safe from power loss, for
    what must outlive the machine: a submission and its grades. The fsync (~11 ms here) runs after the
    lock is released and is shared by the transactions that commit meanwhile (db.WalSync, group commit);
    autosaves (also kept in the student's browser) do without it.
    Writers queue at the database's gate (db.WriteGate) first: promptly woken, none overtaken by SQLite's
    sleeping busy handler."""
    with db.write_gate.held():
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    if durable:
        db.wal_sync.sync()


def ensure_learner(db: sqlite_utils.Database, learner_id: str) -> None:
    db.execute("INSERT OR IGNORE INTO learners (id, created_at) VALUES (?, ?)", [learner_id, iso(now())])


def learner(db: sqlite_utils.Database, learner_id: str) -> dict | None:
    return next(db.query("SELECT * FROM learners WHERE id = ?", [learner_id]), None)


def set_display_name(db: sqlite_utils.Database, learner_id: str, name: str) -> None:
    ensure_learner(db, learner_id)
    db.execute("UPDATE learners SET display_name = ? WHERE id = ?", [name, learner_id])


def create_attempt(db: sqlite_utils.Database, learner_id: str, kind: str, seed: int, config: dict,
                   items: list[Item], deadline: dt.datetime | None = None) -> int:
    with immediate(db):
        ensure_learner(db, learner_id)
        cursor = db.execute(
            "INSERT INTO attempts (learner_id, kind, seed, config, items, started_at, deadline) VALUES (?,?,?,?,?,?,?)",
            [learner_id, kind, seed, json.dumps(config, ensure_ascii=False),
             items_json(items), iso(now()), iso(deadline) if deadline else None],
        )
    return cursor.lastrowid


def _items(raw: str) -> tuple[Item, ...]:
    return tuple(Item(**i) for i in json.loads(raw))


def get_attempt(db: sqlite_utils.Database, attempt_id: int, learner_id: str) -> Attempt | None:
    """An attempt only for its owner: another learner's id reads as 'not found'."""
    row = next(db.query("SELECT * FROM attempts WHERE id = ? AND learner_id = ?", [attempt_id, learner_id]), None)
    if row is None:
        return None
    return Attempt(row["id"], row["learner_id"], row["kind"], row["seed"], _items(row["items"]), row["started_at"],
                   json.loads(row["config"]), dt.datetime.fromisoformat(row["deadline"]) if row["deadline"] else None,
                   row["submitted_at"], row["score"], row["max_score"])


def submitted_at(db: sqlite_utils.Database, attempt_id: int) -> str | None:
    """Read inside the caller's transaction: the attempt object a view loaded may be stale."""
    return next(db.query("SELECT submitted_at FROM attempts WHERE id = ?", [attempt_id]))["submitted_at"]


def responses(db: sqlite_utils.Database, attempt_id: int) -> dict[int, dict]:
    rows = db.query("SELECT * FROM responses WHERE attempt_id = ? ORDER BY position", [attempt_id])
    return {r["position"]: {**r, "response": json.loads(r["response"]), "text": r["response"]} for r in rows}


def _note(db: sqlite_utils.Database, learner_id: str, key: str, correct: bool, attempt_id: int, position: int,
          stamp: str) -> None:
    """Wrong → into the 错题本 (streak reset); right → streak +1, leaving after REDO_STREAK in a row."""
    row = next(db.query("SELECT * FROM notebook WHERE learner_id = ? AND question_key = ?", [learner_id, key]), None)
    if not correct:
        db.execute(
            "INSERT INTO notebook (learner_id, question_key, streak, wrong_count, last_attempt_id, last_position, "
            "added_at, updated_at) VALUES (?,?,0,1,?,?,?,?) ON CONFLICT (learner_id, question_key) DO UPDATE SET "
            "streak = 0, wrong_count = wrong_count + 1, last_attempt_id = excluded.last_attempt_id, "
            "last_position = excluded.last_position, updated_at = excluded.updated_at, resolved_at = NULL",
            [learner_id, key, attempt_id, position, stamp, stamp],
        )
    elif row and row["resolved_at"] is None:
        streak = row["streak"] + 1
        db.execute(
            "UPDATE notebook SET streak = ?, updated_at = ?, resolved_at = ? WHERE learner_id = ? AND question_key = ?",
            [streak, stamp, stamp if streak >= REDO_STREAK else None, learner_id, key],
        )


def record_answer(db: sqlite_utils.Database, attempt: Attempt, position: int, item: Item, response: Any,
                  score: float | None, correct: bool | None) -> None:
    """Practice: store a graded answer once and update the 错题本, in one transaction."""
    stamp = iso(now())
    with immediate(db):
        if next(db.query("SELECT 1 FROM responses WHERE attempt_id = ? AND position = ?", [attempt.id, position]), None):
            raise Conflict("这道题已经作答过了。")
        db.execute(
            "INSERT INTO responses (attempt_id, position, question_key, version, response, score, max_score, correct, "
            "answered_at) VALUES (?,?,?,?,?,?,?,?,?)",
            [attempt.id, position, item.key, item.version, json.dumps(response, ensure_ascii=False), score,
             item.points, None if correct is None else int(correct), stamp],
        )
        if correct is not None:
            _note(db, attempt.learner_id, item.key, correct, attempt.id, position, stamp)


def record_self_score(db: sqlite_utils.Database, attempt: Attempt, position: int, self_score: float,
                      passed: bool) -> None:
    """Subjective practice: the learner confirms a score; that decides the 错题本."""
    stamp = iso(now())
    with immediate(db):
        row = next(db.query("SELECT * FROM responses WHERE attempt_id = ? AND position = ?", [attempt.id, position]), None)
        if row is None:
            raise Conflict("请先提交作答。")
        if row["self_score"] is not None:
            raise Conflict("已经确认过得分了。")
        db.execute("UPDATE responses SET self_score = ?, correct = ? WHERE attempt_id = ? AND position = ?",
                   [self_score, int(passed), attempt.id, position])
        _note(db, attempt.learner_id, row["question_key"], passed, attempt.id, position, stamp)


def write_drafts(db: sqlite_utils.Database, attempt: Attempt, answers: dict[int, Any], stamp: str,
                 stored: dict[int, dict] | None = None, grades: Mapping[tuple[int, str], Draft] | None = None) -> None:
    """Exam: upsert ungraded answers (None clears one). Call inside `immediate`, after checking the attempt is open.

    `stored`: the attempt's responses as read in this transaction; answers equal to them are not written again.
    `grades`: the draft grade of an answer, by `graded_key`; an answer written without one has none."""
    for position, response in answers.items():
        if response is None:
            if stored is None or position in stored:
                db.execute("DELETE FROM responses WHERE attempt_id = ? AND position = ?", [attempt.id, position])
                db.execute("INSERT OR REPLACE INTO response_clears (attempt_id, position, cleared_at) VALUES (?, ?, ?)",
                           [attempt.id, position, stamp])
            continue
        text = json.dumps(response, ensure_ascii=False)
        if stored and position in stored and stored_key(position, stored[position])[1] == text:
            continue
        item = attempt.items[position]
        draft = (grades or {}).get((position, text))   # `graded_key`, already encoded
        score, correct, version = (draft.score, int(draft.correct), draft.version) if draft else (None, None, None)
        db.execute(
            "INSERT INTO responses (attempt_id, position, question_key, version, response, max_score, answered_at, "
            "draft_score, draft_correct, draft_version) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (attempt_id, position) "
            "DO UPDATE SET response = excluded.response, answered_at = excluded.answered_at, "
            "draft_score = excluded.draft_score, draft_correct = excluded.draft_correct, draft_version = excluded.draft_version",
            [attempt.id, position, item.key, item.version, text, item.points, stamp, score, correct, version],
        )


def clears(db: sqlite_utils.Database, attempt_id: int) -> dict[int, str]:
    """When each exam answer that is now empty was last cleared, by position."""
    return {r["position"]: r["cleared_at"] for r in db.query(
        "SELECT position, cleared_at FROM response_clears WHERE attempt_id = ?", [attempt_id])}


def draft_grades(attempt: Attempt, stored: dict[int, dict]) -> dict[tuple[int, str], Draft]:
    """The grades stored with autosaved answers (by `graded_key`), for the points the paper gives now."""
    out = {}
    for position, row in stored.items():
        fits = position < len(attempt.items) and row["max_score"] == attempt.items[position].points
        if fits and row.get("draft_version") is not None:
            out[stored_key(position, row)] = Draft(row["draft_score"], bool(row["draft_correct"]), row["draft_version"])
    return out


def graded_key(position: int, response: Any) -> tuple[int, str]:
    """An answer as stored (its JSON text), so a response parsed from a form meets its stored copy."""
    return position, json.dumps(response, ensure_ascii=False)


def stored_key(position: int, row: dict) -> tuple[int, str]:
    """`graded_key` of a response row, from the text as read (`responses`) when there is one."""
    return (position, row["text"]) if "text" in row else graded_key(position, row["response"])


def graded_items(attempt: Attempt, versions: dict[int, str]) -> str:
    """The paper's items as `write_grades` stores them: each with the question version that graded it."""
    return items_json([replace(item, version=versions.get(pos, item.version)) for pos, item in enumerate(attempt.items)])


def write_grades(db: sqlite_utils.Database, attempt: Attempt, graded: dict[int, tuple[float, bool]], stamp: str,
                 notebook: bool = True, versions: dict[int, str] | None = None, saved: set[int] | None = None,
                 items: str | None = None) -> None:
    """Exam: every score, the total, the 错题本 (unless `notebook` is off) and `submitted_at`; `versions`
    (position -> the question version that graded it) goes on each answer and into the paper's items.
    Call inside `immediate` with the grading. `saved` (the positions with a stored answer, as this
    transaction left them) and `items` (`graded_items`, prepared before the transaction) spare work there."""
    versions = versions or {}
    if saved is None:
        saved = {r["position"] for r in db.query("SELECT position FROM responses WHERE attempt_id = ?", [attempt.id])}
    db.conn.executemany(
        "UPDATE responses SET score = ?, correct = ?, version = coalesce(?, version) WHERE attempt_id = ? AND position = ?",
        [(*graded.get(position, (0.0, False)), versions.get(position), attempt.id, position)
         for position in sorted(saved)])
    if notebook:   # unanswered is not wrong: it stays out of the 错题本
        for position in sorted(saved):
            item = attempt.items[position]
            _note(db, attempt.learner_id, item.key, graded.get(position, (0.0, False))[1], attempt.id, position, stamp)
    total = sum(score for score, _ in graded.values())
    db.execute("UPDATE attempts SET submitted_at = ?, score = ?, max_score = ?, items = ? WHERE id = ?",
               [stamp, round(total, 1), sum(i.points for i in attempt.items), items or graded_items(attempt, versions),
                attempt.id])


def notebook(db: sqlite_utils.Database, learner_id: str, open_only: bool = True) -> list[dict]:
    sql = "SELECT * FROM notebook WHERE learner_id = ?" + (" AND resolved_at IS NULL" if open_only else "")
    return list(db.query(sql + " ORDER BY updated_at DESC", [learner_id]))


def last_wrong_response(db: sqlite_utils.Database, entry: dict) -> dict | None:
    """The attempt seed and the wrong answer (None where the item was left unanswered in an exam)."""
    row = next(db.query("SELECT a.seed, a.items, r.response, r.score, r.self_score FROM attempts a "
                        "LEFT JOIN responses r ON r.attempt_id = a.id AND r.position = ? WHERE a.id = ?",
                        [entry["last_position"], entry["last_attempt_id"]]), None)
    if row is None:
        return None
    item = _items(row.pop("items"))[entry["last_position"]]
    saved = None if row["response"] is None else {**row, "response": json.loads(row["response"])}
    return {"seed": row["seed"], "item": item, "saved": saved}


def answered(db: sqlite_utils.Database, learner_id: str) -> list[dict]:
    """Every graded answer of a learner (for progress), oldest first."""
    return list(db.query(
        "SELECT r.question_key, r.correct, r.score, r.max_score, r.self_score, r.answered_at FROM responses r "
        "JOIN attempts a ON a.id = r.attempt_id WHERE a.learner_id = ? AND r.correct IS NOT NULL "
        "AND a.kind != 'assignment' ORDER BY r.answered_at", [learner_id]))   # self-study only: no teachers' questions


INTERNAL = {"text", "draft_score", "draft_correct", "draft_version"}   # bookkeeping, never in a learner's export


def export(db: sqlite_utils.Database, learner_id: str) -> dict:
    attempts = list(db.query("SELECT * FROM attempts WHERE learner_id = ? ORDER BY id", [learner_id]))
    for a in attempts:
        a["config"], a["items"] = json.loads(a["config"]), json.loads(a["items"])
        a["responses"] = [{k: v for k, v in r.items() if k not in INTERNAL} for r in responses(db, a["id"]).values()]
    return {"learner": learner(db, learner_id), "attempts": attempts, "notebook": notebook(db, learner_id, False),
            "bookmarks": list(db.query("SELECT question_key, created_at FROM bookmarks WHERE learner_id = ? "
                                       "ORDER BY created_at", [learner_id]))}


def delete_learner(db: sqlite_utils.Database, learner_id: str) -> None:
    """Delete every row of a learner and leave no copy: connections run with secure_delete (db.connect),
    which zeroes the deleted cells and freed pages; the checkpoint then empties the WAL, which still
    held the pages as they were before the delete."""
    with immediate(db):
        db.execute("DELETE FROM responses WHERE attempt_id IN (SELECT id FROM attempts WHERE learner_id = ?)", [learner_id])
        db.execute("DELETE FROM attempts WHERE learner_id = ?", [learner_id])
        db.execute("DELETE FROM notebook WHERE learner_id = ?", [learner_id])
        db.execute("DELETE FROM learners WHERE id = ?", [learner_id])
    truncate_wal(db)


# ---- drilling: bookmarks (收藏) and the sets practice modes draw from ---------------------------------

def toggle_bookmark(db: sqlite_utils.Database, learner_id: str, key: str) -> bool:
    """Bookmark a question, or remove its bookmark; True when it is bookmarked afterwards."""
    with immediate(db):
        ensure_learner(db, learner_id)
        removed = db.execute("DELETE FROM bookmarks WHERE learner_id = ? AND question_key = ?", [learner_id, key]).rowcount
        if not removed:
            db.execute("INSERT INTO bookmarks (learner_id, question_key, created_at) VALUES (?,?,?)",
                       [learner_id, key, iso(now())])
    return not removed


def bookmarks(db: sqlite_utils.Database, learner_id: str) -> list[str]:
    """Bookmarked question keys, newest first."""
    return [r["question_key"] for r in db.query(
        "SELECT question_key FROM bookmarks WHERE learner_id = ? ORDER BY created_at DESC, rowid DESC", [learner_id])]


def seen_keys(db: sqlite_utils.Database, learner_id: str) -> set[str]:
    """Questions this learner has answered at least once (practice, redo or exam)."""
    return {r["question_key"] for r in db.query(
        "SELECT DISTINCT r.question_key FROM responses r JOIN attempts a ON a.id = r.attempt_id "
        "WHERE a.learner_id = ?", [learner_id])}


def prune_practice(db: sqlite_utils.Database, learner_id: str, keep: int) -> int:
    """Delete a learner's oldest practice sets beyond the newest `keep` (limits: attempts kept per learner).

    Exams, teacher assignments and the sets a 错题本 entry still points to are never deleted, so the
    notebook and progress lose nothing they show from them. Returns how many were deleted.
    """
    def beyond() -> list[int]:
        return [r["id"] for r in db.query(
            "SELECT id FROM attempts WHERE learner_id = ? AND kind IN ('practice', 'redo') "
            "AND id NOT IN (SELECT last_attempt_id FROM notebook WHERE learner_id = ? AND last_attempt_id IS NOT NULL) "
            "AND id NOT IN (SELECT attempt_id FROM assignment_attempts) "
            "ORDER BY id DESC LIMIT -1 OFFSET ?", [learner_id, learner_id, keep])]

    if not beyond():   # mostly nothing to delete: no writer is held up to find that out
        return 0
    with immediate(db):
        old = beyond()
        for attempt_id in old:
            db.execute("DELETE FROM responses WHERE attempt_id = ?", [attempt_id])
            db.execute("DELETE FROM attempts WHERE id = ?", [attempt_id])
    return len(old)


# ---- mock exam: answer-sheet flags (标记) and the history of submitted papers ----------------------

def flags(db: sqlite_utils.Database, attempt_id: int) -> set[int]:
    return {r["position"] for r in db.query("SELECT position FROM exam_flags WHERE attempt_id = ?", [attempt_id])}


def set_flag(db: sqlite_utils.Database, attempt: Attempt, position: int, on: bool) -> None:
    """Mark or unmark a question on the answer sheet while the paper is not yet submitted."""
    with immediate(db):
        if submitted_at(db, attempt.id):
            raise Conflict("试卷已经交过了。")
        if on:
            db.execute("INSERT OR IGNORE INTO exam_flags (attempt_id, position) VALUES (?, ?)", [attempt.id, position])
        else:
            db.execute("DELETE FROM exam_flags WHERE attempt_id = ? AND position = ?", [attempt.id, position])


def open_exams(db: sqlite_utils.Database, learner_id: str) -> list[dict]:
    """Mock exams started and not handed in, newest first, with how many questions have an answer."""
    return list(db.query(
        "SELECT a.id, a.deadline, (SELECT COUNT(*) FROM responses r WHERE r.attempt_id = a.id) AS answered, "
        "json_array_length(a.items) AS total FROM attempts a "
        "WHERE a.learner_id = ? AND a.kind = 'exam' AND a.submitted_at IS NULL ORDER BY a.id DESC", [learner_id]))


def exam_history(db: sqlite_utils.Database, learner_id: str) -> list[dict]:
    """Submitted mock exams, oldest first, with how many questions were answered."""
    return list(db.query(
        "SELECT a.id, a.started_at, a.deadline, a.submitted_at, a.score, a.max_score, a.config, "
        "(SELECT COUNT(*) FROM responses r WHERE r.attempt_id = a.id) AS answered, json_array_length(a.items) AS total "
        "FROM attempts a WHERE a.learner_id = ? AND a.kind = 'exam' AND a.submitted_at IS NOT NULL "
        "ORDER BY a.submitted_at, a.id", [learner_id]))
