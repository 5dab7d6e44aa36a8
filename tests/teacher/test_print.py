"""A teacher prints an assignment as an A4 paper: questions only, or with the key and 解析."""
import re

from tests.teacher.conftest import create_assignment, create_class, login, make_teacher


def test_assignment_prints_with_and_without_the_key(app):
    make_teacher(app, "alice")
    teacher = app.test_client()
    login(teacher, "alice")
    assignment_id, _ = create_assignment(teacher, create_class(teacher, "市场2301"), title="第一章 随堂测验")
    page = teacher.get(f"/teacher/assignments/{assignment_id}").get_data(as_text=True)
    assert f'href="/teacher/assignments/{assignment_id}/print"' in page

    bare = teacher.get(f"/teacher/assignments/{assignment_id}/print")
    keyed = teacher.get(f"/teacher/assignments/{assignment_id}/print?answers=1")
    assert bare.status_code == keyed.status_code == 200
    bare_html, keyed_html = bare.get_data(as_text=True), keyed.get_data(as_text=True)
    assert "第一章 随堂测验" in bare_html and "共 4 题" in bare_html and "第 1 套" in bare_html
    assert re.search(r"一、\S+（每题", bare_html)
    assert "参考答案" not in bare_html and "参考答案" in keyed_html


def test_the_same_draw_prints_the_same_paper_and_another_draw_differs(app):
    make_teacher(app, "alice")
    teacher = app.test_client()
    login(teacher, "alice")
    assignment_id, _ = create_assignment(teacher, create_class(teacher, "市场2301"), **{"rule0-count": "8"})
    url = f"/teacher/assignments/{assignment_id}/print"
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*>', "", html)
    first, again = (strip(teacher.get(url + "?draw=3").get_data(as_text=True)) for _ in range(2))
    assert first == again
    assert any(strip(teacher.get(f"{url}?draw={d}").get_data(as_text=True)) != first for d in (4, 5, 6))


def test_only_the_owner_prints_an_assignment(app):
    make_teacher(app, "alice")
    make_teacher(app, "bob")
    alice, bob, anonymous = app.test_client(), app.test_client(), app.test_client()
    login(alice, "alice")
    login(bob, "bob")
    assignment_id, _ = create_assignment(alice, create_class(alice, "市场2301"))
    assert bob.get(f"/teacher/assignments/{assignment_id}/print").status_code == 404
    response = anonymous.get(f"/teacher/assignments/{assignment_id}/print")
    assert response.status_code == 302 and response.headers["Location"].startswith("/teacher/login")
