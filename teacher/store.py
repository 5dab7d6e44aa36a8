"""Persistence of the teacher area: accounts, login limits, classes, rosters, enrolments, assignments,
their attempts, manual grades. Every SQL statement of the package is here; every function takes `db` first.
Read-then-write runs in one `BEGIN IMMEDIATE` transaction (quizzes.store.immediate)."""
from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from typing import Callable, Iterable

import sqlite_utils

from quizzes.model import Item, items_json
from quizzes.store import Conflict, immediate, iso, now

from .roster import same_name

__all__ = ["Conflict", "now"]


def _one(db: sqlite_utils.Database, sql: str, params: Iterable = ()) -> dict | None:
    return next(db.query(sql, list(params)), None)


# ---- accounts -------------------------------------------------------------------------------------

def create_teacher(db: sqlite_utils.Database, username: str, password_hash: str) -> int:
    try:
        with immediate(db):
            cursor = db.execute("INSERT INTO teachers (username, password_hash, created_at) VALUES (?,?,?)",
                                [username, password_hash, iso(now())])
    except sqlite3.IntegrityError:
        raise Conflict(f"用户名 {username} 已存在。") from None
    return cursor.lastrowid


def set_password(db: sqlite_utils.Database, teacher_id: int, password_hash: str) -> int:
    """A new password ends every open session of the teacher, in the same transaction; returns how many."""
    with immediate(db, durable=True):
        db.execute("UPDATE teachers SET password_hash = ? WHERE id = ?", [password_hash, teacher_id])
        return db.execute("UPDATE teacher_sessions SET ended_at = ? WHERE teacher_id = ? AND ended_at IS NULL",
                          [iso(now()), teacher_id]).rowcount


def teacher_by_username(db: sqlite_utils.Database, username: str) -> dict | None:
    return _one(db, "SELECT * FROM teachers WHERE username = ? COLLATE NOCASE", [username.strip()])


def teacher(db: sqlite_utils.Database, teacher_id: int) -> dict | None:
    return _one(db, "SELECT id, username FROM teachers WHERE id = ?", [teacher_id])


def start_session(db: sqlite_utils.Database, teacher_id: int, token_hash: str, forget_before: dt.datetime) -> None:
    """Record a new login; drop sessions that started before `forget_before` (long dead either way)."""
    stamp = iso(now())
    with immediate(db):
        db.execute("DELETE FROM teacher_sessions WHERE created_at < ?", [iso(forget_before)])
        db.execute("INSERT INTO teacher_sessions (token_hash, teacher_id, created_at, last_seen_at) VALUES (?,?,?,?)",
                   [token_hash, teacher_id, stamp, stamp])


def live_session(db: sqlite_utils.Database, token_hash: str, started_after: dt.datetime) -> dict | None:
    """The teacher (id, username, session_id, last_seen_at) of a session not ended and not too old, else None."""
    return _one(db, "SELECT t.id, t.username, s.id AS session_id, s.last_seen_at FROM teacher_sessions s "
                    "JOIN teachers t ON t.id = s.teacher_id "
                    "WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.created_at >= ?",
                [token_hash, iso(started_after)])


def touch_session(db: sqlite_utils.Database, session_id: int) -> None:
    with immediate(db):
        db.execute("UPDATE teacher_sessions SET last_seen_at = ? WHERE id = ?", [iso(now()), session_id])


def end_session(db: sqlite_utils.Database, token_hash: str) -> None:
    with immediate(db):
        db.execute("UPDATE teacher_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                   [iso(now()), token_hash])


def failures_since(db: sqlite_utils.Database, key: str, since: dt.datetime) -> int:
    return _one(db, "SELECT count(*) AS n FROM login_failures WHERE key = ? AND at >= ?", [key, iso(since)])["n"]


def oldest_failure_since(db: sqlite_utils.Database, key: str, since: dt.datetime) -> dt.datetime | None:
    row = _one(db, "SELECT min(at) AS at FROM login_failures WHERE key = ? AND at >= ?", [key, iso(since)])
    return dt.datetime.fromisoformat(row["at"]) if row["at"] else None


def record_failure(db: sqlite_utils.Database, keys: list[str], forget_before: dt.datetime) -> None:
    """Count a failed login or code entry under each key (shared by every worker process); prune old ones."""
    stamp = iso(now())
    with immediate(db):
        db.execute("DELETE FROM login_failures WHERE at < ?", [iso(forget_before)])
        for key in keys:
            db.execute("INSERT INTO login_failures (key, at) VALUES (?, ?)", [key, stamp])


def clear_failures(db: sqlite_utils.Database, key: str) -> None:
    with immediate(db):
        db.execute("DELETE FROM login_failures WHERE key = ?", [key])


# ---- classes and rosters --------------------------------------------------------------------------

def create_class(db: sqlite_utils.Database, teacher_id: int, name: str) -> int:
    try:
        with immediate(db):
            cursor = db.execute("INSERT INTO classes (teacher_id, name, created_at) VALUES (?,?,?)",
                                [teacher_id, name, iso(now())])
    except sqlite3.IntegrityError:
        raise Conflict(f"已经有名为“{name}”的班级。") from None
    return cursor.lastrowid


def classes(db: sqlite_utils.Database, teacher_id: int) -> list[dict]:
    return list(db.query(
        "SELECT c.*, (SELECT count(*) FROM roster r WHERE r.class_id = c.id) AS roster_size, "
        "(SELECT count(*) FROM enrolments e WHERE e.class_id = c.id) AS joined, "
        "(SELECT count(*) FROM assignments a WHERE a.class_id = c.id) AS assignment_count "
        "FROM classes c WHERE c.teacher_id = ? ORDER BY c.created_at DESC, c.id DESC", [teacher_id]))


def get_class(db: sqlite_utils.Database, class_id: int, teacher_id: int) -> dict | None:
    """A class only for the teacher who owns it: another teacher's reads as 'not found'."""
    return _one(db, "SELECT * FROM classes WHERE id = ? AND teacher_id = ?", [class_id, teacher_id])


def class_by_name(db: sqlite_utils.Database, teacher_id: int, name: str) -> dict | None:
    return _one(db, "SELECT * FROM classes WHERE teacher_id = ? AND name = ?", [teacher_id, name])


def import_roster(db: sqlite_utils.Database, class_id: int, students: list) -> tuple[int, int]:
    """Add or rename uploaded students (students who joined stay); returns (added, updated)."""
    added = updated = 0
    with immediate(db):
        for s in students:
            old = _one(db, "SELECT name FROM roster WHERE class_id = ? AND student_no = ?", [class_id, s.student_no])
            db.execute("INSERT INTO roster (class_id, student_no, name, source) VALUES (?,?,?, 'upload') "
                       "ON CONFLICT (class_id, student_no) DO UPDATE SET name = excluded.name, source = 'upload'",
                       [class_id, s.student_no, s.name])
            added += old is None
            updated += old is not None and old["name"] != s.name
    return added, updated


def roster(db: sqlite_utils.Database, class_id: int) -> list[dict]:
    return list(db.query(
        "SELECT r.student_no, r.name, r.source, e.joined_at, e.name AS joined_name FROM roster r "
        "LEFT JOIN enrolments e ON e.class_id = r.class_id AND e.student_no = r.student_no "
        "WHERE r.class_id = ? ORDER BY r.student_no", [class_id]))


# ---- enrolments -----------------------------------------------------------------------------------

def enrol(db: sqlite_utils.Database, class_id: int, student_no: str, name: str, learner_id: str,
          resume_hash: str) -> bool:
    """Join a class; True when newly enrolled, False when this device had already joined as this student.

    With an uploaded roster the 学号 must be on it and the name must match; without one, the roster is
    built from the students who join. A 学号 already joined from another device needs its personal code."""
    with immediate(db):
        mine = _one(db, "SELECT student_no FROM enrolments WHERE class_id = ? AND learner_id = ?", [class_id, learner_id])
        if mine and mine["student_no"] != student_no:
            raise Conflict(f"这台设备已经以学号 {mine['student_no']} 加入本班。如果换了同学使用，请先点“换一位同学”。")
        taken = _one(db, "SELECT learner_id FROM enrolments WHERE class_id = ? AND student_no = ?", [class_id, student_no])
        if taken:
            if taken["learner_id"] == learner_id:
                return False
            raise Conflict("这个学号已经在另一台设备上加入。请在下方用“学号 + 个人码”继续作答，或请老师重置个人码。")
        uploaded = _one(db, "SELECT 1 FROM roster WHERE class_id = ? AND source = 'upload'", [class_id]) is not None
        listed = _one(db, "SELECT name FROM roster WHERE class_id = ? AND student_no = ?", [class_id, student_no])
        if uploaded and listed is None:
            raise Conflict("名单上没有这个学号，请核对后再输入，或联系老师。")
        if uploaded and not same_name(listed["name"], name):
            raise Conflict("姓名与班级名单上的不一致，请核对后重新输入（须与名单上的姓名一致）。")
        stamp = iso(now())
        db.execute("INSERT OR IGNORE INTO learners (id, created_at) VALUES (?, ?)", [learner_id, stamp])
        db.execute("INSERT INTO enrolments (class_id, student_no, name, learner_id, resume_hash, joined_at) "
                   "VALUES (?,?,?,?,?,?)", [class_id, student_no, name, learner_id, resume_hash, stamp])
        if listed is None:
            db.execute("INSERT INTO roster (class_id, student_no, name, source) VALUES (?,?,?, 'joined')",
                       [class_id, student_no, name])
    return True


def merge_enrolments(db: sqlite_utils.Database, source: str, target: str) -> None:
    """Records moving to another device (records.store.MERGES): a device is one 学号 per class.

    An enrolment is a roster entry, keyed by (class, 学号), so two devices can never both hold one 学号 (the
    second resumes with the personal code and becomes the same learner). Two devices joined under two
    学号 in one class (a typo, a borrowed phone) are two roster entries to the teacher: both stay, with
    every attempt and grade. The device entering the code goes on as the code owner's 学号 (`target`);
    the source's entry in that class keeps its own learner id, with that 学号's assignment attempts, and
    is reached as before with 学号 + personal code. Enrolments in other classes follow the learner."""
    clashes = list(db.query(
        "SELECT s.class_id, s.student_no FROM enrolments s WHERE s.learner_id = ? AND EXISTS "
        "(SELECT 1 FROM enrolments t WHERE t.class_id = s.class_id AND t.learner_id = ?)", [source, target]))
    for clash in clashes:
        keeper = secrets.token_urlsafe(16)
        params = [keeper, clash["class_id"], clash["student_no"]]
        db.execute("INSERT INTO learners (id, created_at) VALUES (?, ?)", [keeper, iso(now())])
        db.execute("UPDATE enrolments SET learner_id = ? WHERE class_id = ? AND student_no = ?", params)
        db.execute("UPDATE attempts SET learner_id = ? WHERE id IN (SELECT aa.attempt_id FROM assignment_attempts aa "
                   "JOIN assignments a ON a.id = aa.assignment_id WHERE a.class_id = ? AND aa.student_no = ?)", params)


def enrolment_of(db: sqlite_utils.Database, class_id: int, learner_id: str) -> dict | None:
    return _one(db, "SELECT * FROM enrolments WHERE class_id = ? AND learner_id = ?", [class_id, learner_id])


def enrolment(db: sqlite_utils.Database, class_id: int, student_no: str) -> dict | None:
    return _one(db, "SELECT * FROM enrolments WHERE class_id = ? AND student_no = ?", [class_id, student_no])


def reset_resume(db: sqlite_utils.Database, class_id: int, student_no: str, resume_hash: str) -> bool:
    with immediate(db):
        return db.execute("UPDATE enrolments SET resume_hash = ? WHERE class_id = ? AND student_no = ?",
                          [resume_hash, class_id, student_no]).rowcount == 1


def remove_student(db: sqlite_utils.Database, class_id: int, student_no: str) -> bool:
    """Take a student off a class (a wrong 学号, a dropped course): False when absent. Refuses (Conflict) once
    they have a paper in one of its assignments, whose score would go with them."""
    with immediate(db):
        if _one(db, "SELECT 1 FROM assignment_attempts aa JOIN assignments a ON a.id = aa.assignment_id "
                    "WHERE a.class_id = ? AND aa.student_no = ?", [class_id, student_no]):
            raise Conflict(f"学号 {student_no} 已有作答记录，不能移出本班（成绩会随之丢失）。")
        gone = db.execute("DELETE FROM enrolments WHERE class_id = ? AND student_no = ?", [class_id, student_no]).rowcount
        gone += db.execute("DELETE FROM roster WHERE class_id = ? AND student_no = ?", [class_id, student_no]).rowcount
    return gone > 0


# ---- assignments ----------------------------------------------------------------------------------

def delete_assignment(db: sqlite_utils.Database, assignment_id: int) -> None:
    """Only before anyone has started it (Conflict after): papers and scores are never thrown away."""
    with immediate(db):
        if _one(db, "SELECT 1 FROM assignment_attempts WHERE assignment_id = ?", [assignment_id]):
            raise Conflict("已有学生开始作答，不能删除这份作业；可以在“修改标题、时间与规则”里把截止时间提前。")
        db.execute("DELETE FROM assignments WHERE id = ?", [assignment_id])


def create_assignment(db: sqlite_utils.Database, class_id: int, title: str, code: str, spec_json: str, seed: int,
                      opens_at: dt.datetime, closes_at: dt.datetime, minutes: int, attempts_allowed: int,
                      release: str) -> int | None:
    """The new id, or None when the code is already taken (the caller draws another)."""
    try:
        with immediate(db):
            cursor = db.execute(
                "INSERT INTO assignments (class_id, title, code, spec, seed, opens_at, closes_at, minutes, "
                "attempts_allowed, release, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [class_id, title, code, spec_json, seed, iso(opens_at), iso(closes_at), minutes, attempts_allowed,
                 release, iso(now())])
    except sqlite3.IntegrityError:
        return None
    return cursor.lastrowid


def assignments(db: sqlite_utils.Database, teacher_id: int, class_id: int | None = None) -> list[dict]:
    sql = ("SELECT a.*, c.name AS class_name, "
           "(SELECT count(DISTINCT aa.student_no) FROM assignment_attempts aa JOIN attempts t ON t.id = aa.attempt_id "
           " WHERE aa.assignment_id = a.id AND t.submitted_at IS NOT NULL) AS submitted "
           "FROM assignments a JOIN classes c ON c.id = a.class_id WHERE c.teacher_id = ?")
    params = [teacher_id]
    if class_id is not None:
        sql += " AND c.id = ?"
        params.append(class_id)
    return list(db.query(sql + " ORDER BY a.created_at DESC, a.id DESC", params))


def get_assignment(db: sqlite_utils.Database, assignment_id: int, teacher_id: int) -> dict | None:
    return _one(db, "SELECT a.*, c.name AS class_name FROM assignments a JOIN classes c ON c.id = a.class_id "
                    "WHERE a.id = ? AND c.teacher_id = ?", [assignment_id, teacher_id])


def assignment_by_code(db: sqlite_utils.Database, code: str) -> dict | None:
    return _one(db, "SELECT a.*, c.name AS class_name FROM assignments a JOIN classes c ON c.id = a.class_id "
                    "WHERE a.code = ?", [code])


def assignment_of_attempt(db: sqlite_utils.Database, attempt_id: int) -> dict | None:
    return _one(db, "SELECT a.*, aa.student_no, aa.number FROM assignment_attempts aa "
                    "JOIN assignments a ON a.id = aa.assignment_id WHERE aa.attempt_id = ?", [attempt_id])


def release_results(db: sqlite_utils.Database, assignment_id: int) -> None:
    with immediate(db, durable=True):
        db.execute("UPDATE assignments SET released_at = coalesce(released_at, ?) WHERE id = ?",
                   [iso(now()), assignment_id])


def my_attempts(db: sqlite_utils.Database, assignment_id: int, student_no: str) -> list[dict]:
    return list(db.query(
        "SELECT t.id, t.started_at, t.deadline, t.submitted_at, t.score, t.max_score, aa.number "
        "FROM assignment_attempts aa JOIN attempts t ON t.id = aa.attempt_id "
        "WHERE aa.assignment_id = ? AND aa.student_no = ? ORDER BY aa.number", [assignment_id, student_no]))


def _attempt_rows(db: sqlite_utils.Database, assignment_id: int, student_no: str) -> list[dict]:
    return list(db.query(
        "SELECT t.id, t.submitted_at, t.deadline, aa.number FROM assignment_attempts aa "
        "JOIN attempts t ON t.id = aa.attempt_id WHERE aa.assignment_id = ? AND aa.student_no = ? "
        "ORDER BY aa.number", [assignment_id, student_no]))


def start_attempt(db: sqlite_utils.Database, assignment_id: int, attempts_allowed: int, student_no: str,
                  learner_id: str, make) -> int:
    """The student's open attempt, or a new one while attempts remain, decided in one transaction.

    `make(number)` returns (seed, items, deadline) for attempt `number` (pure). It is called before the
    transaction for the number the student will most likely get, so that drawing a paper does not hold
    every other writer up; inside, the number is checked again and the paper drawn anew if it changed."""
    moment = now()
    rows = _attempt_rows(db, assignment_id, student_no)
    guess = len(rows) + 1
    drawn = make(guess) if len(rows) < attempts_allowed else None
    with immediate(db):
        rows = _attempt_rows(db, assignment_id, student_no)
        working = [r for r in rows if not r["submitted_at"] and dt.datetime.fromisoformat(r["deadline"]) > moment]
        if working:
            return working[-1]["id"]
        if len(rows) >= attempts_allowed:
            raise Conflict(f"本作业最多作答 {attempts_allowed} 次，你已用完。")
        number = len(rows) + 1
        seed, items, deadline = drawn if drawn and number == guess else make(number)
        cursor = db.execute(
            "INSERT INTO attempts (learner_id, kind, seed, config, items, started_at, deadline) "
            "VALUES (?, 'assignment', ?, ?, ?, ?, ?)",
            [learner_id, seed, json.dumps({"assignment_id": assignment_id}),
             items_json(items),
             iso(moment), iso(deadline)])
        db.execute("INSERT INTO assignment_attempts (attempt_id, assignment_id, student_no, number) VALUES (?,?,?,?)",
                   [cursor.lastrowid, assignment_id, student_no, number])
    return cursor.lastrowid


def attempt_items(db: sqlite_utils.Database, attempt_id: int) -> list[Item]:
    return [Item(**i) for i in json.loads(_one(db, "SELECT items FROM attempts WHERE id = ?", [attempt_id])["items"])]


def comments(db: sqlite_utils.Database, attempt_id: int) -> dict[int, str]:
    return {r["position"]: r["comment"] for r in db.query(
        "SELECT position, comment FROM manual_grades WHERE attempt_id = ? AND comment != ''", [attempt_id])}


# ---- results, grading, regrading ------------------------------------------------------------------

def attempt_rows(db: sqlite_utils.Database, assignment_id: int, attempt_id: int | None = None) -> list:
    """Every attempt at an assignment (or one of them) with its responses, as results.AttemptRow."""
    from .results import AttemptRow

    sql = ("SELECT t.*, aa.student_no, aa.number, coalesce(e.name, r.name, aa.student_no) AS name "
           "FROM assignment_attempts aa JOIN attempts t ON t.id = aa.attempt_id "
           "JOIN assignments a ON a.id = aa.assignment_id "
           "LEFT JOIN enrolments e ON e.class_id = a.class_id AND e.student_no = aa.student_no "
           "LEFT JOIN roster r ON r.class_id = a.class_id AND r.student_no = aa.student_no "
           "WHERE aa.assignment_id = ?")
    params: list = [assignment_id]
    if attempt_id is not None:
        sql += " AND t.id = ?"
        params.append(attempt_id)
    rows = list(db.query(sql + " ORDER BY aa.student_no, aa.number", params))
    responses: dict[int, dict] = {r["id"]: {} for r in rows}
    resp_sql = ("SELECT p.* FROM responses p JOIN assignment_attempts aa ON aa.attempt_id = p.attempt_id "
                "WHERE aa.assignment_id = ?" + (" AND p.attempt_id = ?" if attempt_id is not None else ""))
    for r in db.query(resp_sql, params):
        responses[r["attempt_id"]][r["position"]] = {**r, "response": json.loads(r["response"])}
    return [AttemptRow(r["id"], r["student_no"], r["name"], r["number"], r["seed"],
                       tuple(Item(**i) for i in json.loads(r["items"])), r["started_at"], r["deadline"],
                       r["submitted_at"], r["score"], r["max_score"], responses[r["id"]], r["learner_id"])
            for r in rows]


def attempt_for_teacher(db: sqlite_utils.Database, attempt_id: int, teacher_id: int) -> dict | None:
    """(assignment id) of an attempt, only when the assignment belongs to this teacher."""
    return _one(db, "SELECT aa.assignment_id FROM assignment_attempts aa JOIN assignments a ON a.id = aa.assignment_id "
                    "JOIN classes c ON c.id = a.class_id WHERE aa.attempt_id = ? AND c.teacher_id = ?",
                [attempt_id, teacher_id])


def manual_grades(db: sqlite_utils.Database, assignment_id: int) -> dict[tuple[int, int], dict]:
    rows = db.query("SELECT m.* FROM manual_grades m JOIN assignment_attempts aa ON aa.attempt_id = m.attempt_id "
                    "WHERE aa.assignment_id = ?", [assignment_id])
    return {(r["attempt_id"], r["position"]): {**r, "ticked": json.loads(r["ticked"])} for r in rows}


def _retotal(db: sqlite_utils.Database, attempt_id: int) -> None:
    db.execute("UPDATE attempts SET score = (SELECT round(coalesce(sum(score), 0), 1) FROM responses "
               "WHERE attempt_id = ?) WHERE id = ?", [attempt_id, attempt_id])


def save_grade(db: sqlite_utils.Database, attempt_id: int, position: int, score: float, correct: bool,
               ticked: list[int], comment: str, teacher_id: int) -> None:
    """A teacher's grade of one answer: stored, applied to the response and the attempt's total at once."""
    with immediate(db, durable=True):
        row = _one(db, "SELECT t.submitted_at, p.position FROM attempts t LEFT JOIN responses p "
                       "ON p.attempt_id = t.id AND p.position = ? WHERE t.id = ?", [position, attempt_id])
        if row is None or not row["submitted_at"]:
            raise Conflict("这份试卷还没有交卷，不能评分。")
        if row["position"] is None:
            raise Conflict("这道题没有作答，无需评分。")
        db.execute("INSERT INTO manual_grades (attempt_id, position, score, ticked, comment, teacher_id, graded_at) "
                   "VALUES (?,?,?,?,?,?,?) ON CONFLICT (attempt_id, position) DO UPDATE SET score = excluded.score, "
                   "ticked = excluded.ticked, comment = excluded.comment, teacher_id = excluded.teacher_id, "
                   "graded_at = excluded.graded_at",
                   [attempt_id, position, score, json.dumps(ticked), comment, teacher_id, iso(now())])
        db.execute("UPDATE responses SET score = ?, correct = ? WHERE attempt_id = ? AND position = ?",
                   [score, int(correct), attempt_id, position])
        _retotal(db, attempt_id)


def apply_regrade(db: sqlite_utils.Database, changes: list) -> int:
    """Write a regrade's changes (each guarded by the score and version it was computed from); count applied.

    The version goes on the answer and into the paper's items, so both name the version that graded it."""
    applied = 0
    with immediate(db, durable=True):
        for c in changes:
            if c.answered and not db.execute(
                    "UPDATE responses SET score = ?, correct = ?, version = ? WHERE attempt_id = ? AND position = ? "
                    "AND version = ? AND coalesce(score, -1) = coalesce(?, -1)",
                    [c.new_score, int(c.correct), c.new_version, c.attempt_id, c.position, c.old_version, c.old_score],
                    ).rowcount:
                continue          # changed since the report was computed: left for the next run
            path = f"$[{int(c.position)}].version"
            moved = db.execute(
                "UPDATE attempts SET items = json_set(items, ?, ?) WHERE id = ? AND json_extract(items, ?) IS NOT ?",
                [path, c.new_version, c.attempt_id, path, c.new_version]).rowcount
            applied += c.answered or moved
        for attempt_id in {c.attempt_id for c in changes}:
            _retotal(db, attempt_id)
    return applied


def update_timing(db: sqlite_utils.Database, assignment_id: int, fields: dict,
                  deadline_of: Callable[[dt.datetime], dt.datetime]) -> int:
    """Change an assignment's title, times, attempts and release, and in the same transaction move the
    deadline of every paper still open to what the new times give it. Returns how many papers moved."""
    with immediate(db, durable=True):
        db.execute("UPDATE assignments SET title = ?, opens_at = ?, closes_at = ?, minutes = ?, attempts_allowed = ?, "
                   "release = ? WHERE id = ?", [fields["title"], iso(fields["opens_at"]), iso(fields["closes_at"]),
                                                fields["minutes"], fields["attempts_allowed"], fields["release"],
                                                assignment_id])
        moved = 0
        for row in db.query("SELECT t.id, t.started_at, t.deadline FROM assignment_attempts aa JOIN attempts t "
                            "ON t.id = aa.attempt_id WHERE aa.assignment_id = ? AND t.submitted_at IS NULL",
                            [assignment_id]):
            deadline = iso(deadline_of(dt.datetime.fromisoformat(row["started_at"])))
            if deadline != row["deadline"]:
                db.execute("UPDATE attempts SET deadline = ? WHERE id = ?", [deadline, row["id"]])
                moved += 1
    return moved


def expired_attempts(db: sqlite_utils.Database, assignment_id: int, before: dt.datetime,
                     student_no: str | None = None) -> list[int]:
    """Papers not handed in whose deadline is before `before`: the assignment's, or one student's."""
    return [r["id"] for r in db.query(
        "SELECT t.id FROM assignment_attempts aa JOIN attempts t ON t.id = aa.attempt_id "
        "WHERE aa.assignment_id = ? AND t.submitted_at IS NULL AND t.deadline < ? AND (? IS NULL OR aa.student_no = ?)",
        [assignment_id, iso(before), student_no, student_no])]


def learner_of_attempt(db: sqlite_utils.Database, attempt_id: int) -> str:
    return _one(db, "SELECT learner_id FROM attempts WHERE id = ?", [attempt_id])["learner_id"]
