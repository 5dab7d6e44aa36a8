"""Writers queue at the database's gate, and durable commits share fsyncs (db.WriteGate, db.WalSync)."""
from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

import db as dbmod
from quizzes.store import immediate


@pytest.fixture()
def database(tmp_path):
    path = tmp_path / "gate.sqlite3"
    conn = dbmod.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)")
    conn.conn.close()
    return path


def _hold_in_child(path, ready, seconds):
    conn = dbmod.connect(path)
    with immediate(conn):
        conn.execute("INSERT INTO t (who) VALUES ('child')")
        ready.set()
        time.sleep(seconds)


def holding_child(database, seconds):
    """A forked process inside a write transaction for `seconds`, returned once it holds the gate."""
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    child = ctx.Process(target=_hold_in_child, args=(database, ready, seconds))
    child.start()
    assert ready.wait(10)
    return child


def test_a_writer_waits_for_another_process_at_the_gate_not_in_sqlites_busy_handler(database):
    """SQLite alone would give up after its busy timeout; at the gate the writer waits its turn."""
    child = holding_child(database, 0.6)
    conn = dbmod.connect(database)
    conn.execute("PRAGMA busy_timeout = 50")   # SQLite's own wait would end long before the child's 0.6 s
    started = time.monotonic()
    with immediate(conn):
        conn.execute("INSERT INTO t (who) VALUES ('parent')")
    waited = time.monotonic() - started
    child.join(10)
    assert child.exitcode == 0
    assert [r["who"] for r in conn.query("SELECT who FROM t ORDER BY id")] == ["child", "parent"]
    assert waited >= 0.3   # it did wait for the child's transaction


def test_a_killed_writer_never_leaves_the_gate_shut(database):
    child = holding_child(database, 60)
    child.kill()
    child.join(10)
    conn = dbmod.connect(database)
    with immediate(conn):
        conn.execute("INSERT INTO t (who) VALUES ('after')")
    assert [r["who"] for r in conn.query("SELECT who FROM t")] == ["after"]   # the child's insert rolled back


def test_threads_and_processes_writing_at_once_all_land(database):
    def writer(tag):
        conn = dbmod.connect(database)
        for n in range(25):
            with immediate(conn, durable=n % 5 == 0):
                count = next(conn.query("SELECT count(*) AS c FROM t"))["c"]
                conn.execute("INSERT INTO t (who) VALUES (?)", [f"{tag}-{n}-{count}"])
        conn.conn.close()

    def threads(prefix):
        ts = [threading.Thread(target=writer, args=(f"{prefix}{i}",)) for i in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=threads, args=("c",))
    child.start()
    threads("p")
    child.join(60)
    assert child.exitcode == 0
    conn = dbmod.connect(database)
    rows = [r["who"] for r in conn.query("SELECT who FROM t ORDER BY id")]
    assert len(rows) == 200
    # each writer saw every earlier row: the count read inside its transaction is its row's position
    assert [int(who.rsplit("-", 1)[1]) for who in rows] == list(range(200))


def test_durable_commits_made_while_an_fsync_runs_share_the_next_one(database, monkeypatch):
    sync = dbmod.WalSync(database)
    starts, lock = [], threading.Lock()

    def slow_fsync():
        with lock:
            starts.append(time.monotonic())
        time.sleep(0.05)

    monkeypatch.setattr(sync, "_fsync", slow_fsync)
    asked, returned = {}, {}

    def commit(n):
        asked[n] = time.monotonic()
        sync.sync()
        returned[n] = time.monotonic()

    ts = [threading.Thread(target=commit, args=(n,)) for n in range(40)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(starts) < 10   # 40 commits, a handful of fsyncs
    for n in range(40):       # and none returned before an fsync that began after it asked had finished
        assert any(asked[n] <= s and s + 0.05 <= returned[n] + 1e-3 for s in starts), n


def test_only_durable_transactions_wait_for_the_disk(database, monkeypatch):
    conn = dbmod.connect(database)
    calls = []
    monkeypatch.setattr(conn.wal_sync, "_fsync", lambda: calls.append(1))
    with immediate(conn):
        conn.execute("INSERT INTO t (who) VALUES ('autosave')")
    assert calls == []
    with immediate(conn, durable=True):
        conn.execute("INSERT INTO t (who) VALUES ('submission')")
    assert calls == [1]


def test_the_wal_fsync_reaches_the_wal_file(database, monkeypatch):
    conn = dbmod.connect(database)
    synced = []
    real = dbmod.os.fsync

    def spy(fd):
        synced.append(dbmod.os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(dbmod.os, "fsync", spy)
    with immediate(conn, durable=True):
        conn.execute("INSERT INTO t (who) VALUES ('submission')")
    assert synced == [str(database.resolve()) + "-wal"]


# ---- a SELECT is one statement (db.Database.query) ------------------------------------------------

def test_a_select_inside_a_write_transaction_is_one_statement(database):
    conn = dbmod.connect(database)
    conn.execute("INSERT INTO t (who) VALUES ('a'), ('b')")
    statements = []
    conn.conn.set_trace_callback(statements.append)
    with immediate(conn):
        rows = list(conn.query("SELECT id, who, who FROM t WHERE id > ? ORDER BY id", [0]))
    assert statements == ["BEGIN IMMEDIATE", "SELECT id, who, who FROM t WHERE id > 0 ORDER BY id", "COMMIT"]
    assert rows == [{"id": 1, "who": "a", "who_2": "a"}, {"id": 2, "who": "b", "who_2": "b"}]   # as sqlite-utils names them


def test_a_half_read_select_keeps_no_old_snapshot(database):
    """The rows are read at once: a later write transaction on the same connection sees the newest data."""
    mine, other = dbmod.connect(database), dbmod.connect(database)
    mine.execute("INSERT INTO t (who) VALUES ('a'), ('b')")
    rows = mine.query("SELECT who FROM t ORDER BY id")
    first = next(rows)                                  # and `rows` still alive, not finished
    other.execute("INSERT INTO t (who) VALUES ('c')")
    with immediate(mine):   # a pending statement would hold the old snapshot: SQLITE_BUSY_SNAPSHOT here
        mine.execute("INSERT INTO t (who) VALUES ('d')")
    assert first == {"who": "a"} and next(rows) == {"who": "b"}
    assert [r["who"] for r in other.query("SELECT who FROM t ORDER BY id")] == ["a", "b", "c", "d"]


def test_statements_other_than_select_keep_the_sqlite_utils_guard(database):
    conn = dbmod.connect(database)
    with pytest.raises(ValueError):
        list(conn.query("UPDATE t SET who = 'x'"))
    assert list(conn.query("INSERT INTO t (who) VALUES ('r') RETURNING who")) == [{"who": "r"}]
