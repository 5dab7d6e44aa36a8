"""Every URL of the teacher blueprint as anonymous, as a student, as its teacher and as another teacher;
and the student's paper as other people. Each gets what it should and no more."""
import re

import pytest

from tests.teacher.conftest import create_assignment, create_class, join, login, make_teacher, token
from tests.teacher.test_taking import start


@pytest.fixture
def world(fixture_app):
    make_teacher(fixture_app, "alice")
    make_teacher(fixture_app, "bob")
    alice, bob, anonymous = (fixture_app.test_client() for _ in range(3))
    login(alice, "alice")
    login(bob, "bob")
    create_class(bob, "bob's class")
    class_id = create_class(alice, "市场2301")
    assignment_id, code = create_assignment(alice, class_id, **{"rule0-count": ""},
                                            picked_ids="fx-secret-single fx-secret-short")
    student = fixture_app.test_client()
    join(student, code, "张三", "2023001")
    exam = start(student, code)
    student.post(exam + "/submit", data={"csrf_token": token(student, exam), "q1": "提升实际体验"})
    values = {"class_id": class_id, "assignment_id": assignment_id, "attempt_id": int(exam.rsplit("/", 1)[1]),
              "position": 1, "code": code, "student_no": "2023001", "what": "results", "fmt": "csv"}
    return fixture_app, {"anonymous": anonymous, "student": student, "alice": alice, "bob": bob}, values, exam


def teacher_urls(app, values) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("teacher.") and rule.rule.startswith("/teacher/") and rule.endpoint != "teacher.login":
            path = rule.rule
            for arg in rule.arguments:
                path = re.sub(rf"<(?:\w+:)?{arg}>", str(values[arg]), path)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                urls.append((method, path))
    return urls


def call(client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": token(client, "/teacher/login")})


def test_the_walk_covers_every_teacher_route(world):
    app, _, values, _ = world
    walked = {app.url_map.bind("localhost").match(path, method=method)[0] for method, path in teacher_urls(app, values)}
    others = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("teacher.")} - walked
    assert others == {"teacher.login", "teacher.join", "teacher.enrol", "teacher.resume", "teacher.switch",
                      "teacher.start", "teacher.review"}


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_strangers_are_sent_to_login(world, who):
    app, clients, values, _ = world
    for method, path in teacher_urls(app, values):
        response = call(clients[who], method, path)
        if path == "/teacher/logout":
            continue
        assert response.status_code == 302 and response.headers["Location"].startswith("/teacher/login"), (method, path)


def test_another_teacher_gets_not_found(world):
    app, clients, values, _ = world
    own = {"/teacher/", "/teacher/logout", "/teacher/classes", "/teacher/assignments", "/teacher/assignments/new"}
    for method, path in teacher_urls(app, values):
        if path in own:
            continue
        assert clients["bob"].get(path).status_code == 404 if method == "GET" else \
            call(clients["bob"], method, path).status_code in (400, 404), (method, path)


def test_the_teacher_reaches_every_page(world):
    app, clients, values, _ = world
    for method, path in teacher_urls(app, values):
        if method != "GET":
            continue
        response = clients["alice"].get(path)
        assert response.status_code == 200, (path, response.status_code)


def test_the_paper_is_the_students_alone(world):
    app, clients, values, exam = world
    for who in ("anonymous", "alice", "bob"):
        assert clients[who].get(exam + "/result").status_code == 404, who
        assert clients[who].get(exam).status_code == 404, who
    assert clients["student"].get(exam + "/result").status_code == 200


def test_join_pages_are_public_but_reveal_no_paper(world):
    app, clients, values, _ = world
    html = clients["anonymous"].get(f"/join/{values['code']}").get_data(as_text=True)
    assert "加入作业" in html and "随堂测验专用" not in html
    response = clients["anonymous"].post(f"/join/{values['code']}/start",
                                         data={"csrf_token": token(clients["anonymous"], f"/join/{values['code']}")})
    assert response.headers["Location"] == f"/join/{values['code']}"


def test_forms_without_csrf_are_refused(world):
    app, clients, values, _ = world
    for method, path in teacher_urls(app, values):
        if method == "POST":
            assert clients["alice"].post(path).status_code == 400, path
