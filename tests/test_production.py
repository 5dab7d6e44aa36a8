"""The server a class uses: warm before the first request, compressed pages, not frozen by idle sockets."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from app import create_production_app
from tests.conftest import FIXTURES
from tests.production import ROOT, ProductionServer, get


def test_production_app_loads_content_caches_and_search_index_before_any_request(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATABASE", str(tmp_path / "warm.sqlite3"))
    monkeypatch.setenv("CRM_SECRET_KEY", "warm")
    app = create_production_app()
    assert {"course", "banks", "search_entries"} <= set(app.extensions)
    banks = app.extensions["banks"]["value"]
    assert {"_all", "_by_key", "_by_id", "_counts"} <= set(vars(banks))      # lookups built, not lazy
    from simulations.views import _bundle_bytes
    assert _bundle_bytes.cache_info().currsize >= 1                          # plotly.js read and gzipped
    assert app.extensions["search_indexed"] == {str(tmp_path / "warm.sqlite3"): app.extensions["search_entries"]["value"]}
    import sqlite3
    with sqlite3.connect(tmp_path / "warm.sqlite3") as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM search_sections GROUP BY kind").fetchall())
    assert kinds["chapter"] > 100 and kinds["question"] > 100
    pages = [n for n in app.jinja_env.list_templates() if n.endswith(".html")]
    compiled = {key[1] for key in app.jinja_env.cache}                        # no worker compiles a page
    assert "quizzes/exam.html" in pages and set(pages) <= compiled


def test_pages_go_out_gzipped_when_the_browser_accepts_it(client):
    plain = client.get("/chapters/customer-lifecycle")
    packed = client.get("/chapters/customer-lifecycle", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    import gzip
    assert gzip.decompress(packed.data) == plain.data


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = tmp_path_factory.mktemp("production") / "class.sqlite3"
    running = ProductionServer(database, workers=2, CRM_CONTENT_DIR=str(FIXTURES / "content")).start()
    yield running
    running.stop()


def _children(pid: int) -> list[str]:
    return [c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


@pytest.mark.slow
def test_production_script_honours_workers_and_crm_settings(server):
    home = get(server.port, "/")
    assert "测试课程" in home.body.decode()      # CRM_CONTENT_DIR: the fixture course, not the real one
    assert server.database.exists()              # CRM_DATABASE
    assert len(_children(server.process.pid)) == 2   # WORKERS


@pytest.mark.slow
def test_idle_sockets_do_not_block_a_student(server):
    held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(150)]
    try:
        time.sleep(0.5)
        response = get(server.port, "/", timeout=20)
        assert response.status == 200 and "测试课程" in response.body.decode()
    finally:
        for s in held:
            s.close()


@pytest.mark.slow
def test_slow_senders_do_not_block_a_student(server):
    held = []
    for _ in range(60):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        held.append(s)
    try:
        response = get(server.port, "/chapters/alpha", timeout=20)
        assert response.status == 200
    finally:
        for s in held:
            s.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["CONNECTION_LIMIT", "GIL_SWITCH_US"])
def test_a_bad_worker_setting_stops_the_launcher_with_its_reason(tmp_path, name):
    """Read before the workers are forked: not every worker exiting at start and being replaced forever."""
    env = dict(os.environ, HOST="127.0.0.1", PORT="1", WORKERS="1", CRM_DATABASE=str(tmp_path / "db.sqlite3"),
               CRM_SECRET_KEY="production-test", **{name: "0.5"})
    done = subprocess.run([str(ROOT / "scripts" / "serve-production.sh")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert f"{name} 必须是正整数" in done.stderr
