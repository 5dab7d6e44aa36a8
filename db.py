"""One sqlite-utils Database per worker thread (WAL mode); schema through migrations.py."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

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


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database file with WAL and a busy timeout suited to a class of concurrent writers."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=True)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA secure_delete = ON")   # deleted rows are overwritten, not left in free space (/me/delete)
    conn.execute("PRAGMA synchronous = NORMAL")   # WAL: a commit survives a crashed process; see store.immediate
    db = sqlite_utils.Database(conn)
    db.enable_wal()
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
