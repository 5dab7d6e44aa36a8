"""SIGKILL the production server in the middle of a stream of saves and submits: nothing acknowledged is lost."""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import FIXTURES
from tests.production import ProductionServer, get

pytestmark = pytest.mark.slow
TEXT_POSITION = 4          # the fixture exam's 名词解释 question: a free-text answer


class Student(threading.Thread):
    """Starts exams, autosaves a new text each time, submits; remembers what the server acknowledged."""

    def __init__(self, base: str, number: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.number, self.stop = base, number, stop
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.sent: dict[int, list[str]] = {}          # attempt -> texts sent, in order
        self.acked_save: dict[int, int] = {}          # attempt -> index of the last acknowledged text
        self.acked_submit: set[int] = set()
        self.error: str | None = None

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base + path, data=body, timeout=20) as response:
            return response.status, response.geturl(), response.read().decode()

    def run(self) -> None:
        try:
            page = self.opener.open(self.base + "/exam", timeout=20).read().decode()
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            while not self.stop.is_set():
                _, url, _ = self.post("/exam", {"csrf_token": token})
                attempt = int(re.search(r"/exam/(\d+)$", url).group(1))
                texts = self.sent.setdefault(attempt, [])
                for n in range(4):
                    texts.append(f"学生{self.number}-卷{attempt}-第{n}稿")
                    status, _, body = self.post(f"/exam/{attempt}/save",
                                                {"csrf_token": token, f"q{TEXT_POSITION}": texts[-1]})
                    assert status == 200 and TEXT_POSITION in json.loads(body)["saved"]
                    self.acked_save[attempt] = len(texts) - 1
                texts.append(f"学生{self.number}-卷{attempt}-交卷稿")
                _, url, _ = self.post(f"/exam/{attempt}/submit", {"csrf_token": token, f"q{TEXT_POSITION}": texts[-1]})
                assert url.endswith(f"/exam/{attempt}/result")
                self.acked_save[attempt] = len(texts) - 1
                self.acked_submit.add(attempt)
        except (OSError, urllib.error.URLError, ConnectionError, http.client.HTTPException):
            return   # the server was killed: whatever was in flight is unacknowledged
        except Exception as exc:  # noqa: BLE001 — a wrong answer from the live server fails the test below
            self.error = repr(exc)


def test_sigkill_mid_stream_loses_no_acknowledged_write(tmp_path):
    database = tmp_path / "crash.sqlite3"
    server = ProductionServer(database, workers=2, CRM_CONTENT_DIR=str(FIXTURES / "content"),
                              CRM_LIMIT_ATTEMPTS_PER_HOUR="100000").start()
    stop = threading.Event()
    students = [Student(f"http://127.0.0.1:{server.port}", n, stop) for n in range(6)]
    try:
        for s in students:
            s.start()
        deadline = time.monotonic() + 60
        while sum(len(s.acked_submit) for s in students) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()                                  # SIGKILL launcher and workers, mid-stream
        stop.set()
        for s in students:
            s.join(timeout=30)
        server.start()                                 # same database, fresh processes
        assert get(server.port, "/").status == 200
    finally:
        server.stop()

    assert [s.error for s in students] == [None] * len(students)
    acked_saves = sum(len(s.acked_save) for s in students)
    acked_submits = sum(len(s.acked_submit) for s in students)
    assert acked_submits >= 12 and acked_saves > acked_submits
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for student in students:
            for attempt, index in student.acked_save.items():
                row = conn.execute("SELECT response FROM responses WHERE attempt_id = ? AND position = ?",
                                   [attempt, TEXT_POSITION]).fetchone()
                assert row is not None, (attempt, index)
                stored = json.loads(row[0])
                # the last acknowledged text, or one sent after it whose answer the kill cut off
                assert stored in student.sent[attempt][index:], (attempt, stored)
            for attempt in student.acked_submit:
                submitted, score = conn.execute("SELECT submitted_at, score FROM attempts WHERE id = ?",
                                                [attempt]).fetchone()
                assert submitted is not None and score is not None
                assert json.loads(conn.execute("SELECT response FROM responses WHERE attempt_id = ? AND position = ?",
                                               [attempt, TEXT_POSITION]).fetchone()[0]) == student.sent[attempt][-1]
