"""Teachers upload question files in the teacher area: a bank is written and every unread question reported."""
import io

import pytest
import yaml

from db import close_thread_connections
from tests.conftest import FIXTURES, make_app
from tests.teacher.conftest import login, token
from tests.teacher.editable import app, content  # noqa: F401  (fixtures)

HERE = FIXTURES / "interop"


@pytest.fixture
def teacher(app):
    client = app.test_client()
    login(client, "alice")
    yield client
    close_thread_connections()


def post(client, filename: str, data: bytes, **form):
    fields = {"csrf_token": token(client, "/teacher/import"), "chapter": "alpha", "name": "alpha-from-word",
              "visibility": "assignment", **form, "file": (io.BytesIO(data), filename)}
    return client.post("/teacher/import", data=fields, content_type="multipart/form-data")


def test_anonymous_visitors_are_sent_to_the_login(tmp_path, content):
    client = make_app(tmp_path, CONTENT_DIR=str(content)).test_client()
    assert client.get("/teacher/import").headers["Location"] == "/teacher/login?next=/teacher/import"
    close_thread_connections()


def test_word_paper_becomes_an_assignment_bank_with_a_report(teacher, content):
    response = post(teacher, "期末试卷.docx", (HERE / "paper.docx").read_bytes())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已导入 10 道题" in page and "alpha-from-word.yaml" in page and "仅用于布置作业" in page
    assert "一、单项选择题 第 3 题</strong>：缺少答案" in page
    bank = yaml.safe_load((content / "questions" / "alpha-from-word.yaml").read_text(encoding="utf-8"))
    assert (bank["chapter"], bank["visibility"], bank["imported_from"]) == ("alpha", "assignment", "期末试卷.docx")
    assert [q["id"] for q in bank["questions"]][:2] == ["alpha-from-word-001", "alpha-from-word-002"]
    # assignment-only: not in practice, but a teacher can put it in an assignment
    assert teacher.get("/practice/set?q=alpha-from-word-001").status_code == 404


def test_a_public_upload_is_practised_at_once(teacher):
    assert post(teacher, "题库.xlsx", (HERE / "xuexitong.xlsx").read_bytes(), visibility="public").status_code == 200
    page = teacher.get("/practice/set?q=alpha-from-word-001")
    assert page.status_code == 200 and "在客户满意度公式 C=b/a 中" in page.get_data(as_text=True)


@pytest.mark.parametrize("filename, form, reason", [
    ("a.pdf", {}, "只能导入"),
    ("a.xlsx", {"chapter": "nope"}, "请选择题目所属的章节"),
    ("a.xlsx", {"name": "../../etc/passwd"}, "题库名只能用小写字母"),
    ("a.xlsx", {"name": "alpha"}, "已有名为 alpha 的题库"),
    ("a.xlsx", {"visibility": "secret"}, "请选择题库用途"),
])
def test_bad_uploads_say_why_and_write_nothing(teacher, content, filename, form, reason):
    before = sorted(p.name for p in (content / "questions").iterdir())
    response = post(teacher, filename, (HERE / "xuexitong.xlsx").read_bytes(), **form)
    assert response.status_code == 400 and reason in response.get_data(as_text=True)
    assert sorted(p.name for p in (content / "questions").iterdir()) == before


def test_a_file_with_nothing_readable_writes_nothing(teacher, content):
    response = post(teacher, "broken.xml", (HERE / "broken.xml").read_bytes())
    assert response.status_code == 422 and "没有读到任何题目" in response.get_data(as_text=True)
    assert not (content / "questions" / "alpha-from-word.yaml").exists()
