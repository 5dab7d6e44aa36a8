"""/me/delete leaves no copy of the deleted rows in the database file, its free pages or the WAL."""
from __future__ import annotations

import secrets
from pathlib import Path

from tests.conftest import FIXTURES, make_app
from tests.test_practice_views import csrf, start


def _files(database: str) -> bytes:
    return b"".join(Path(database + suffix).read_bytes() for suffix in ("", "-wal", "-shm")
                    if Path(database + suffix).exists())


def test_deleted_name_and_answers_are_nowhere_in_the_files(tmp_path):
    app = make_app(tmp_path, CONTENT_DIR=str(FIXTURES / "content"))
    client, neighbour = app.test_client(), app.test_client()
    name, answer = f"删我{secrets.token_hex(4)}", f"答案标记{secrets.token_hex(6)}"
    client.post("/me", data={"csrf_token": csrf(client, "/me"), "display_name": name})
    location = start(client, type="term")
    client.post(location, data={"csrf_token": csrf(client, location), "q0": answer})
    kept = f"留下{secrets.token_hex(4)}"
    neighbour.post("/me", data={"csrf_token": csrf(neighbour, "/me"), "display_name": kept})
    database = app.config["DATABASE"]
    assert name.encode() in _files(database) and answer.encode() in _files(database)

    response = client.post("/me/delete", data={"csrf_token": csrf(client, "/me"), "confirm": "yes"})
    assert response.headers["Location"] == "/me"

    files = _files(database)
    assert name.encode() not in files and answer.encode() not in files
    assert kept.encode() in files                       # the other learner's rows are untouched
    assert Path(database + "-wal").stat().st_size == 0  # checkpointed and truncated


def test_every_connection_overwrites_deleted_content(tmp_path):
    """Explicit, because SQLite builds differ in their default (Debian's is on, the upstream default off)."""
    from db import connect
    database = connect(tmp_path / "x.sqlite3")
    assert database.conn.execute("PRAGMA secure_delete").fetchone() == (1,)
    database.conn.close()
