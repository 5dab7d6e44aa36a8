"""Abuse limits: over a rate limit a 429 with a Chinese reason and Retry-After, too large a 413; nothing written."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.conftest import FIXTURES, make_app
from tests.test_exam_views import start_exam
from tests.test_practice_views import csrf, start


def fixture_app(tmp_path, **limits):
    return make_app(tmp_path, CONTENT_DIR=str(FIXTURES / "content"), **limits)


def count(app, sql: str) -> int:
    with sqlite3.connect(app.config["DATABASE"]) as conn:
        return conn.execute(sql).fetchone()[0]


def start_response(client, token=None):
    return client.post("/practice", data={"csrf_token": token or csrf(client), "size": "5", "type": "true_false"})


def test_new_attempts_per_learner_per_hour(tmp_path):
    app = fixture_app(tmp_path, LIMIT_ATTEMPTS_PER_HOUR=3)
    client = app.test_client()
    token = csrf(client)
    assert [start_response(client, token).status_code for _ in range(3)] == [302, 302, 302]
    refused = start_response(client, token)
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "一小时内最多开始 3 次练习或考试" in refused.get_data(as_text=True)
    assert client.post("/exam", data={"csrf_token": csrf(client, "/exam")}).status_code == 429
    assert count(app, "SELECT count(*) FROM attempts") == 3
    other = app.test_client()                        # another learner is not affected
    assert start_response(other).status_code == 302


def test_attempt_limit_holds_across_worker_processes(tmp_path):
    """Two apps on one database (as two worker processes) racing from 8 threads: exactly the limit passes."""
    first, second = fixture_app(tmp_path, LIMIT_ATTEMPTS_PER_HOUR=5), fixture_app(tmp_path, LIMIT_ATTEMPTS_PER_HOUR=5)
    client = first.test_client()
    token = csrf(client)
    cookies = {c.key: c.value for c in client._cookies.values()}
    start_response(client, token)                    # the learner exists now
    learner = client.get_cookie("crm_learner").value
    statuses = []

    def worker(app):
        from db import close_thread_connections
        c = app.test_client()
        for key, value in cookies.items():
            c.set_cookie(key, value)
        c.set_cookie("crm_learner", learner)
        statuses.append(start_response(c, token).status_code)
        close_thread_connections()

    threads = [threading.Thread(target=worker, args=(first if i % 2 else second,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [302] * 4 + [429] * 4
    assert count(first, "SELECT count(*) FROM attempts") == 5


def test_new_learners_per_address_per_minute(tmp_path):
    app = fixture_app(tmp_path, LIMIT_NEW_LEARNERS_PER_MINUTE=2)

    def newcomer(address):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        token = csrf(client)
        return client, client.post("/practice", data={"csrf_token": token, "size": "5", "type": "true_false"})

    assert [newcomer("198.51.100.7")[1].status_code for _ in range(2)] == [302, 302]
    client, refused = newcomer("198.51.100.7")
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "一分钟内新来的学习者太多" in refused.get_data(as_text=True)
    assert count(app, "SELECT count(*) FROM learners") == 2
    assert newcomer("203.0.113.5")[1].status_code == 302         # another address is not affected


def test_a_known_learner_is_never_counted_as_new(tmp_path):
    app = fixture_app(tmp_path, LIMIT_NEW_LEARNERS_PER_MINUTE=1)
    client = app.test_client()
    token = csrf(client)
    assert [start_response(client, token).status_code for _ in range(3)] == [302, 302, 302]


def test_one_answer_longer_than_the_limit_is_refused_and_not_stored(tmp_path):
    app = fixture_app(tmp_path, LIMIT_ANSWER_CHARS=50)
    client = app.test_client()
    location = start(client, type="term")
    token = csrf(client, location)
    refused = client.post(location, data={"csrf_token": token, "q0": "长" * 51})
    assert refused.status_code == 413
    assert "一个答案最多 50 个字（这次有 51 个字）" in refused.get_data(as_text=True)
    assert count(app, "SELECT count(*) FROM responses") == 0
    assert client.post(location, data={"csrf_token": token, "q0": "长" * 50}).status_code == 302
    assert count(app, "SELECT count(*) FROM responses") == 1


def test_an_autosave_larger_than_the_limit_is_refused_as_json_and_not_stored(tmp_path):
    app = fixture_app(tmp_path, LIMIT_AUTOSAVE_BYTES=1024)
    client = app.test_client()
    url = start_exam(client)
    token = csrf(client, url)
    refused = client.post(url + "/save", data={"csrf_token": token, "q4": "字" * 200, "q5": "字" * 200})
    assert refused.status_code == 413
    assert "超过了 1 KB 的上限" in refused.get_json()["message"]
    assert count(app, "SELECT count(*) FROM responses") == 0
    assert client.post(url + "/save", data={"csrf_token": token, "q4": "字" * 200}).status_code == 200


def test_oldest_practice_sets_beyond_the_kept_limit_are_deleted(tmp_path):
    app = fixture_app(tmp_path, LIMIT_ATTEMPTS_KEPT=3)
    client = app.test_client()
    exam = start_exam(client)
    first = start(client, type="true_false")
    # a wrong answer in the first set: the 错题本 points at it, so it is kept
    html = client.get(first).get_data(as_text=True)
    truth = "false" if "客户满意是客户的一种心理感受。" in html else "true"
    client.post(first, data={"csrf_token": csrf(client, first), "q0": truth})
    sets = [start(client, type="true_false") for _ in range(4)]
    kept = {row for row, in sqlite3.connect(app.config["DATABASE"]).execute("SELECT id FROM attempts ORDER BY id")}
    ids = [int(u.split("/")[2]) for u in (exam.replace("/exam/", "/x/"), first, *sets)]
    assert kept == {ids[0], ids[1], *ids[-3:]}       # the exam, the set the notebook needs, the newest three
    assert client.get(first).status_code == 200
    assert client.get("/notebook").status_code == 200


@pytest.mark.parametrize("name", ["LIMIT_ATTEMPTS_PER_HOUR", "LIMIT_NEW_LEARNERS_PER_MINUTE", "LIMIT_ANSWER_CHARS",
                                  "LIMIT_AUTOSAVE_BYTES", "LIMIT_ATTEMPTS_KEPT"])
def test_every_limit_is_documented_in_the_readme_with_its_default(app, name):
    from app import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| `{name}` | `CRM_{name}` | `{app.config[name]}` |" in readme


def test_a_refused_request_is_not_counted_and_leaves_no_row(tmp_path):
    app = fixture_app(tmp_path, LIMIT_ATTEMPTS_PER_HOUR=1)
    client = app.test_client()
    token = csrf(client)
    bad = client.post("/practice", data={"csrf_token": token, "size": "7", "type": "true_false"})
    assert bad.status_code == 400
    assert count(app, "SELECT count(*) FROM rate_events") == 0 and count(app, "SELECT count(*) FROM learners") == 0
    assert start_response(client, token).status_code == 302          # the one allowed start is still there


def test_line_breaks_count_once_as_the_text_box_counted_them(tmp_path):
    app = fixture_app(tmp_path, LIMIT_ANSWER_CHARS=50)
    client = app.test_client()
    location = start(client, type="term")
    text = "\r\n".join(["长" * 9] * 5)          # 45 characters and 4 line breaks: 49 in the box, 53 sent
    response = client.post(location, data={"csrf_token": csrf(client, location), "q0": text})
    assert response.status_code == 302 and count(app, "SELECT count(*) FROM responses") == 1
