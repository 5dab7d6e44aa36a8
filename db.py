"""One sqlite-utils Database per worker thread (WAL mode); schema through migrations.py."""
from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click
from flask.cli import with_appcontext
import sqlite_utils
from flask import Flask, current_app, g
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

_local = threading.local()
SQLITE_MAX_INT = 2**63 - 1


class RowIdConverter(IntegerConverter):
    """`<int:…>` in every URL: ASCII digits that fit a SQLite INTEGER. The default let `/exam/１`
    through and made 2**63 an OverflowError (a 500); a number no row can have names nothing (404)."""

    regex = r"[0-9]{1,19}"   # 2**63 - 1 has 19 digits; longer never matches (never an int-string limit)

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > SQLITE_MAX_INT:   # NotFound, not ValidationError: werkzeug would answer a POST with 405
            raise NotFound()
        return number


class WriteGate:
    """Where this app's writers wait for each other, instead of in SQLite's busy handler.

    SQLite lets one writer in at a time; a writer that finds the lock taken sleeps 1, 2, 5 … up to 100 ms
    and tries again, and whoever happens to try at the right moment overtakes it. Under a class's burst
    (60 students autosaving in the same second, bench/classroom.py) a 3 ms autosave waited up to 2.6 s.
    Here a writer waits on a mutex (threads of this process) and then on flock(2) of a lock file beside
    the database (the other worker processes): the kernel wakes it the moment the previous writer is done.
    SQLite's own lock and busy timeout still guard against writers that do not use the gate (a CLI).
    The kernel drops a dead process's flock, so a killed worker never leaves the gate shut.
    """

    def __init__(self, database: Path):
        self.path = database.with_name(database.name + "-writer")
        self._mutex = threading.RLock()
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._mutex:
            if self._pid != os.getpid():   # a forked worker needs its own open file: flock belongs to it
                self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600), os.getpid()
            if not self._depth:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if not self._depth:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)


class WalSync:
    """Group commit: make committed transactions survive a power cut with as few fsyncs as possible.

    With synchronous=FULL SQLite fsyncs the WAL inside every commit, while the writer still holds the
    lock: at a deadline, 60 automatic 交卷 waited for 60 fsyncs in a row (~11 ms each here). Instead a
    durable transaction commits with synchronous=NORMAL (its frames are written to the WAL, safe from a
    crashed process), releases the lock, and then calls sync(): one fsync of the WAL file covers every
    commit made before it started, so the transactions that finished while an fsync ran share the next.
    If the WAL file is gone, a checkpoint has already copied it into the database file and synced that.
    """

    def __init__(self, database: Path):
        self.wal = database.with_name(database.name + "-wal")
        self._cond = threading.Condition()
        self._asked = 0      # sync() calls so far (this process)
        self._covered = 0    # calls whose commits the last finished fsync covers
        self._running = False

    def sync(self) -> None:
        with self._cond:
            self._asked += 1
            mine = self._asked
            while self._covered < mine:
                if self._running:
                    self._cond.wait()
                    continue
                self._running, upto = True, self._asked   # every commit asked so far was made before this fsync
                self._cond.release()
                try:
                    self._fsync()
                finally:
                    self._cond.acquire()
                    self._running = False
                    self._cond.notify_all()
                self._covered = max(self._covered, upto)

    def _fsync(self) -> None:
        try:
            fd = os.open(self.wal, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_gates: dict[Path, WriteGate] = {}
_syncs: dict[Path, WalSync] = {}
_gates_lock = threading.Lock()


def _one_per_file(kind, table: dict, path: str | Path):
    key = Path(path).resolve()
    with _gates_lock:
        if key not in table:
            table[key] = kind(key)
        return table[key]


class Database(sqlite_utils.Database):
    """sqlite-utils' Database, with a plain SELECT run as one statement.

    sqlite-utils wraps every query() in SAVEPOINT … RELEASE, so that a statement which turns out to return
    no rows can be undone; a SELECT needs no such guard. Inside a write transaction each statement
    hands Python's lock (the GIL) over and waits to get it back, up to 5 ms on a busy worker, while every
    other writer waits at the gate: three statements per read made an autosave hold it three times as long.
    The rows are read at once, so no half-read statement keeps an old snapshot open."""

    def query(self, sql: str, params=None):
        if sql.lstrip()[:6].upper() != "SELECT":
            return super().query(sql, params)
        cursor = self.conn.execute(sql, params if params is not None else ())
        keys = sqlite_utils.utils.dedupe_keys(d[0] for d in cursor.description)   # as sqlite-utils names them
        return (dict(zip(keys, row)) for row in cursor.fetchall())


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database file with WAL and a busy timeout suited to a class of concurrent writers.

    `db.write_gate` is the file's WriteGate (quizzes.store.immediate queues there before BEGIN IMMEDIATE),
    `db.wal_sync` its WalSync (a durable transaction waits there after COMMIT)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=True)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA secure_delete = ON")   # deleted rows are overwritten, not left in free space (/me/delete)
    conn.execute("PRAGMA synchronous = NORMAL")   # WAL: a commit survives a crashed process; see store.immediate
    db = Database(conn)
    db.enable_wal()
    db.write_gate = _one_per_file(WriteGate, _gates, path)
    db.wal_sync = _one_per_file(WalSync, _syncs, path)
    return db


def truncate_wal(db: sqlite_utils.Database, attempts: int = 50) -> bool:
    """Copy the WAL into the database file and empty it, so no earlier page version survives in it.

    A reader in the middle of a transaction holds old frames; retried briefly. True when it truncated.
    """
    for _ in range(attempts):
        busy, _log, _done = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return True
        time.sleep(0.02)
    return False


def get_db() -> sqlite_utils.Database:
    """The calling thread's connection, reused across requests (a new one per request pays a WAL checkpoint)."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        cache = getattr(_local, "dbs", None)
        if cache is None:
            cache = _local.dbs = {}
        if path not in cache:
            cache[path] = connect(path)
        g.db = cache[path]
    return g.db


def close_thread_connections() -> None:
    for db in getattr(_local, "dbs", {}).values():
        db.conn.close()
    _local.dbs = {}


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Create the database file if needed and apply pending migrations."""
    from migrations import migrate

    applied = migrate(connect(current_app.config["DATABASE"]))
    click.echo(f"数据库已就绪：{current_app.config['DATABASE']}（新应用迁移 {len(applied)} 个）")


def init_app(app: Flask) -> None:
    """Register `flask migrate`, and create/upgrade the database file on start-up (first run included)."""
    from migrations import migrate

    app.url_map.converters["int"] = RowIdConverter   # before any blueprint adds its rules
    app.cli.add_command(migrate_command)
    if app.config.get("AUTO_MIGRATE", True):
        database = connect(app.config["DATABASE"])
        migrate(database)
        database.conn.close()
