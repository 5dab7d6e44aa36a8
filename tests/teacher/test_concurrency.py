"""A class at once against a real threaded server: joins and double submits from parallel connections."""
import http.client
import re
import threading
import urllib.parse

import pytest
from werkzeug.serving import make_server

from db import connect
from tests.teacher.conftest import create_assignment, create_class, login, make_teacher


class Browser:
    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), text

    def token(self, path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.request("GET", path)[2]).group(1)


@pytest.fixture
def server(fixture_app):
    make_teacher(fixture_app, "alice")
    teacher = fixture_app.test_client()
    login(teacher, "alice")
    _, code = create_assignment(teacher, create_class(teacher, "c"), **{"rule0-count": ""},
                                picked_ids="fx-secret-single fx-tf-feeling fx-secret-short")
    httpd = make_server("127.0.0.1", 0, fixture_app, threaded=True)
    httpd.socket.listen(256)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port, code, fixture_app
    httpd.shutdown()


def in_parallel(jobs) -> list:
    barrier, results = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(n, job):
        barrier.wait()
        results[n] = job()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_hundred_students_join_in_the_same_second(server):
    port, code, app = server
    browsers = [Browser(port) for _ in range(100)]
    tokens = [b.token(f"/join/{code}") for b in browsers]
    statuses = in_parallel([lambda b=b, t=t, n=n: b.request("POST", f"/join/{code}", {
        "csrf_token": t, "name": f"学生{n}", "student_no": f"2023{n:03d}"})[0] for n, (b, t) in enumerate(zip(browsers, tokens))])
    assert statuses == [200] * 100
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*), count(DISTINCT learner_id) FROM enrolments").fetchone() == (100, 100)
    assert db.execute("SELECT count(*) FROM roster").fetchone() == (100,)


def test_double_submits_give_one_result(server):
    port, code, app = server
    student = Browser(port)
    token = student.token(f"/join/{code}")
    student.request("POST", f"/join/{code}", {"csrf_token": token, "name": "张三", "student_no": "2023001"})
    exam = urllib.parse.urlparse(student.request("POST", f"/join/{code}/start", {"csrf_token": token})[1]["Location"]).path
    student.request("POST", exam + "/save", {"csrf_token": token, "q1": "true"})
    results = in_parallel([lambda: student.request("POST", exam + "/submit", {"csrf_token": token, "q1": "true",
                                                                              "q2": "提升实际体验"})[:2]
                           for _ in range(10)])
    assert {(status, urllib.parse.urlparse(headers["Location"]).path) for status, headers in results} == {(302, exam + "/result")}
    db = connect(app.config["DATABASE"])
    attempts = list(db.query("SELECT submitted_at, score FROM attempts WHERE kind = 'assignment'"))
    assert len(attempts) == 1 and attempts[0]["submitted_at"] and attempts[0]["score"] == sum(
        r["score"] for r in db.query("SELECT score FROM responses"))


def test_starting_twice_at_once_opens_one_attempt(server):
    port, code, app = server
    student = Browser(port)
    token = student.token(f"/join/{code}")
    student.request("POST", f"/join/{code}", {"csrf_token": token, "name": "张三", "student_no": "2023001"})
    results = in_parallel([lambda: student.request("POST", f"/join/{code}/start", {"csrf_token": token})[1]["Location"]
                           for _ in range(8)])
    assert len(set(results)) == 1
    assert connect(app.config["DATABASE"]).execute("SELECT count(*) FROM assignment_attempts").fetchone() == (1,)
