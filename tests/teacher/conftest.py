"""Fixtures for the teacher area: teachers, logged-in clients, students joining by code."""
from __future__ import annotations

import re

import pytest

from db import connect
from teacher import store
from teacher.accounts import hash_password
from tests.test_practice_views import csrf

PASSWORD = "correct-horse-1"


def make_teacher(app, username: str) -> int:
    db = connect(app.config["DATABASE"])
    try:
        return store.create_teacher(db, username, hash_password(PASSWORD))
    finally:
        db.conn.close()


def login(client, username: str, password: str = PASSWORD):
    return client.post("/teacher/login", data={"csrf_token": csrf(client, "/teacher/login"), "username": username,
                                               "password": password})


def token(client, url: str) -> str:
    return csrf(client, url)


def create_class(client, name: str) -> int:
    response = client.post("/teacher/classes", data={"csrf_token": token(client, "/teacher/"), "name": name})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def assignment_form(class_id: int, **overrides) -> dict:
    form = {"class_id": str(class_id), "title": "随堂测验", "rule0-count": "4", "opens_at": "2020-01-01T08:00",
            "closes_at": "2099-01-01T08:00", "minutes": "30", "attempts_allowed": "1", "release": "immediately",
            "shuffle_questions": "on", "shuffle_options": "on"}
    form.update(overrides)
    return form


def create_assignment(client, class_id: int, **overrides) -> tuple[int, str]:
    data = {"csrf_token": token(client, "/teacher/assignments/new"), **assignment_form(class_id, **overrides)}
    response = client.post("/teacher/assignments", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assignment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    html = client.get(f"/teacher/assignments/{assignment_id}").get_data(as_text=True)
    return assignment_id, re.search(r'id="join-code">(\w{6})<', html).group(1)


def join(client, code: str, name: str, student_no: str):
    return client.post(f"/join/{code}", data={"csrf_token": token(client, f"/join/{code}"), "name": name,
                                              "student_no": student_no})


def personal_code(response) -> str:
    return re.search(r'id="personal-code">(\w+)<', response.get_data(as_text=True)).group(1)


@pytest.fixture
def teacher_client(fixture_app):
    make_teacher(fixture_app, "alice")
    client = fixture_app.test_client()
    assert login(client, "alice").status_code == 302
    return client


@pytest.fixture
def other_teacher(fixture_app):
    make_teacher(fixture_app, "bob")
    client = fixture_app.test_client()
    assert login(client, "bob").status_code == 302
    return client
