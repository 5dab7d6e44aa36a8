"""Append-only schema migrations. Never edit a shipped migration: add a new one."""
from __future__ import annotations

import datetime as dt
from typing import Callable

import sqlite_utils

MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = []


def migration(name: str):
    def register(fn: Callable[[sqlite_utils.Database], None]):
        MIGRATIONS.append((name, fn))
        return fn
    return register


@migration("001_search_index")
def search_index(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute(
        "CREATE TABLE search_sections (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, slug TEXT NOT NULL, "
        "anchor TEXT NOT NULL, page_title TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL)"
    )
    db.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_sections', "
        "content_rowid='id', tokenize='trigram')"
    )


@migration("002_learners_attempts")
def learners_attempts(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE learners (id TEXT PRIMARY KEY, display_name TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY, learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE, "
        "kind TEXT NOT NULL, seed INTEGER NOT NULL, config TEXT NOT NULL, items TEXT NOT NULL, "
        "started_at TEXT NOT NULL, deadline TEXT, submitted_at TEXT, score REAL, max_score REAL)"
    )
    db.execute("CREATE INDEX attempts_learner ON attempts(learner_id, kind)")
    db.execute(
        "CREATE TABLE responses (attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE, "
        "position INTEGER NOT NULL, question_key TEXT NOT NULL, version TEXT NOT NULL, response TEXT NOT NULL, "
        "score REAL, max_score REAL NOT NULL, correct INTEGER, self_score REAL, answered_at TEXT NOT NULL, "
        "PRIMARY KEY (attempt_id, position))"
    )
    db.execute("CREATE INDEX responses_question ON responses(question_key)")
    db.execute(
        "CREATE TABLE notebook (learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE, "
        "question_key TEXT NOT NULL, streak INTEGER NOT NULL DEFAULT 0, wrong_count INTEGER NOT NULL DEFAULT 0, "
        "last_attempt_id INTEGER, last_position INTEGER, added_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
        "resolved_at TEXT, PRIMARY KEY (learner_id, question_key))"
    )


@migration("005a_teacher_classes")
def teacher_classes(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE teachers (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, "
               "password_hash TEXT NOT NULL, created_at TEXT NOT NULL)")
    db.execute("CREATE TABLE login_failures (key TEXT NOT NULL, at TEXT NOT NULL)")
    db.execute("CREATE INDEX login_failures_key ON login_failures(key, at)")
    db.execute("CREATE TABLE classes (id INTEGER PRIMARY KEY, teacher_id INTEGER NOT NULL REFERENCES teachers(id), "
               "name TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (teacher_id, name))")
    db.execute("CREATE TABLE roster (class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE, "
               "student_no TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (class_id, student_no))")
    db.execute("CREATE TABLE enrolments (class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE, "
               "student_no TEXT NOT NULL, name TEXT NOT NULL, learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE, "
               "resume_hash TEXT NOT NULL, joined_at TEXT NOT NULL, PRIMARY KEY (class_id, student_no))")
    db.execute("CREATE INDEX enrolments_learner ON enrolments(learner_id)")
    db.execute("CREATE TABLE assignments (id INTEGER PRIMARY KEY, class_id INTEGER NOT NULL REFERENCES classes(id), "
               "title TEXT NOT NULL, code TEXT NOT NULL UNIQUE, spec TEXT NOT NULL, seed INTEGER NOT NULL, "
               "opens_at TEXT NOT NULL, closes_at TEXT NOT NULL, minutes INTEGER NOT NULL, "
               "attempts_allowed INTEGER NOT NULL, release TEXT NOT NULL, released_at TEXT, created_at TEXT NOT NULL)")
    db.execute("CREATE TABLE assignment_attempts (attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE, "
               "assignment_id INTEGER NOT NULL REFERENCES assignments(id), student_no TEXT NOT NULL, "
               "number INTEGER NOT NULL, UNIQUE (assignment_id, student_no, number))")
    db.execute("CREATE TABLE manual_grades (attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE, "
               "position INTEGER NOT NULL, score REAL NOT NULL, ticked TEXT NOT NULL, comment TEXT NOT NULL, "
               "teacher_id INTEGER NOT NULL REFERENCES teachers(id), graded_at TEXT NOT NULL, "
               "PRIMARY KEY (attempt_id, position))")


@migration("006_bookmarks_transfer")
def bookmarks_transfer(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE bookmarks (learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE, "
        "question_key TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (learner_id, question_key))"
    )
    db.execute(
        "CREATE TABLE transfer_codes (code TEXT PRIMARY KEY, learner_id TEXT NOT NULL REFERENCES learners(id) "
        "ON DELETE CASCADE, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, used_by TEXT)"
    )
    db.execute("CREATE INDEX transfer_codes_learner ON transfer_codes(learner_id)")
    # Wrong transfer codes per client and time window: a brute-force guard that survives restarts.
    db.execute(
        "CREATE TABLE transfer_failures (client TEXT NOT NULL, window TEXT NOT NULL, failures INTEGER NOT NULL, "
        "PRIMARY KEY (client, window))"
    )
    db.execute(
        "CREATE TABLE exam_flags (attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE, "
        "position INTEGER NOT NULL, PRIMARY KEY (attempt_id, position))"
    )


@migration("003_rate_events")
def rate_events(db: sqlite_utils.Database) -> None:
    # Abuse limits shared by every worker process (limits/): one row per counted event, pruned as they age.
    db.execute("CREATE TABLE rate_events (scope TEXT NOT NULL, key TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', "
               "at REAL NOT NULL)")
    db.execute("CREATE INDEX rate_events_key ON rate_events(scope, key, at)")


@migration("007_flashcards")
def flashcards(db: sqlite_utils.Database) -> None:
    """Flashcard memory per learner (FSRS state), the full review log and each learner's deck settings.

    Every table is keyed by learner_id (ON UPDATE/DELETE CASCADE), so records follow a learner whose id
    moves to another device and go when the learner deletes their data.
    """
    learner = "learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE ON UPDATE CASCADE"
    db.execute(
        f"CREATE TABLE flashcard_cards ({learner}, card_key TEXT NOT NULL, state INTEGER NOT NULL, step INTEGER, "
        "stability REAL, difficulty REAL, due TEXT NOT NULL, last_review TEXT, reps INTEGER NOT NULL DEFAULT 0, "
        "lapses INTEGER NOT NULL DEFAULT 0, introduced_at TEXT NOT NULL, PRIMARY KEY (learner_id, card_key))"
    )
    db.execute(
        f"CREATE TABLE flashcard_reviews (id INTEGER PRIMARY KEY, {learner}, card_key TEXT NOT NULL, "
        "version TEXT NOT NULL, rating INTEGER NOT NULL, buttons INTEGER NOT NULL, reviewed_at TEXT NOT NULL, "
        "duration_ms INTEGER, state_before INTEGER, due_before TEXT, state INTEGER NOT NULL, step INTEGER, "
        "stability REAL, difficulty REAL, due TEXT NOT NULL, typed TEXT, suggested INTEGER)"
    )
    db.execute("CREATE INDEX flashcard_reviews_learner ON flashcard_reviews(learner_id, reviewed_at)")
    db.execute(
        f"CREATE TABLE flashcard_settings ({learner} PRIMARY KEY, exam_date TEXT, daily_cap INTEGER, "
        "buttons INTEGER NOT NULL DEFAULT 2, type_first INTEGER NOT NULL DEFAULT 0, chapters TEXT NOT NULL DEFAULT '[]', "
        "updated_at TEXT NOT NULL)"
    )


@migration("008_teacher_sessions")
def teacher_sessions(db: sqlite_utils.Database) -> None:
    """Server-side teacher sessions: the cookie carries a random id, the table only its SHA-256, so logout
    (and a new password) ends a session even where a copy of the cookie survives."""
    db.execute("CREATE TABLE teacher_sessions (id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, "
               "teacher_id INTEGER NOT NULL REFERENCES teachers(id) ON DELETE CASCADE, created_at TEXT NOT NULL, "
               "last_seen_at TEXT NOT NULL, ended_at TEXT)")
    db.execute("CREATE INDEX teacher_sessions_teacher ON teacher_sessions(teacher_id, ended_at)")


@migration("009_draft_grades")
def draft_grades(db: sqlite_utils.Database) -> None:
    """An exam answer is graded when it is autosaved (score, correct, and the question version that graded
    it), so 交卷 — a whole class at the deadline — only grades what changed since. Not a result: `score`
    and `correct` stay empty until the paper is submitted, and nothing here is shown to the student."""
    for column in ("draft_score REAL", "draft_correct INTEGER", "draft_version TEXT"):
        db.execute(f"ALTER TABLE responses ADD COLUMN {column}")


@migration("010_response_clears")
def response_clears(db: sqlite_utils.Database) -> None:
    """When an exam answer was cleared (its response row is deleted): an older copy from another tab or
    device must not bring it back, and without a row there was no time to compare with."""
    db.execute("CREATE TABLE response_clears (attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE, "
               "position INTEGER NOT NULL, cleared_at TEXT NOT NULL, PRIMARY KEY (attempt_id, position))")


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row["name"] for row in db.query("SELECT name FROM _migrations")}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            fn(db)
            db.execute("INSERT INTO _migrations VALUES (?, ?)", [name, dt.datetime.now(dt.UTC).isoformat()])
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
