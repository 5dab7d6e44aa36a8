"""Learner-facing pages never show a document's file name or an editor's note (issue 9)."""
import re

import pytest
from flask import get_template_attribute

from quizzes import current_banks
from quizzes.engine import make_variant
from quizzes.model import Item
from quizzes.origin import EDITOR_NOTE, SOURCE_TITLES
from quizzes.review import review_item
from quizzes.views import MAX_SET
from tests.conftest import make_app
from tests.test_practice_views import csrf

NOTE_PHRASES = re.compile(EDITOR_NOTE.pattern + r"|editor_note|source:")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("learner"))


def wrong_response(question):
    return {"single": 0, "multiple": [0, 1], "true_false": question.answer != "true",
            "fill_blank": ["不知道"] * len(question.blanks), "calculation": -1.0}.get(question.type, "不知道")


def leaks(html: str) -> list[str]:
    """Note phrases and file names on a page; the readable origins (编者自拟, …答案册) are allowed."""
    for title in SOURCE_TITLES.values():
        html = html.replace(f"来源：{title}", "")
    return sorted({m.group(0) for m in NOTE_PHRASES.finditer(html)})


def test_every_questions_review_shows_a_readable_origin_and_no_editor_note(app):
    """The review block is what practice feedback, the exam review and 错题本 show for a question."""
    with app.test_request_context("/"):
        review = get_template_attribute("quizzes/_question.html", "review")
        found = {}
        for q in current_banks().questions():
            item = Item(q.key, q.version, 1.0)
            html = str(review(review_item(make_variant(q, 3), {"response": wrong_response(q)}, item)))
            if leaks(html) or f"来源：{q.origin}" not in html:
                found[q.id] = leaks(html)
    assert found == {}


def test_bank_notes_are_kept_for_authors(app):
    with app.app_context():
        questions = current_banks().questions()
    noted = [q for q in questions if q.editor_note]
    assert len(noted) > 100 and all(not EDITOR_NOTE.search(q.explanation) for q in questions)
    assert {q.origin for q in questions} >= {"编者自拟", "课程标准与课后习题答案册", "期末复习题集"}


def answer_all(client, location, questions):
    base = location.rsplit("/", 1)[0]
    pages = []
    for position, q in enumerate(questions):
        url = f"{base}/{position}"
        name = f"q{position}"
        if q.type == "fill_blank":
            data = {f"{name}_{k}": "不知道" for k in range(len(q.blanks))}
        elif q.type in ("single", "multiple"):
            data = {name: "A"}
        else:
            data = {name: {"true_false": "true", "calculation": "0"}.get(q.type, "不知道")}
        client.post(url, data={"csrf_token": csrf(client, url), **data})
        pages.append(client.get(url).get_data(as_text=True))
    return pages


def test_real_pages_for_edited_questions_show_no_file_name_or_note(app):
    """Practice feedback and 错题本 through the site, for the questions whose notes were moved out."""
    client = app.test_client()
    with app.app_context():
        questions = [q for q in current_banks().questions() if q.editor_note][:MAX_SET]
    response = client.post("/practice", data={"csrf_token": csrf(client), "question": [q.id for q in questions]})
    pages = answer_all(client, response.headers["Location"], questions)
    pages.append(client.get("/notebook").get_data(as_text=True))
    for query in ("客户", "数据仓库", "满意度"):
        pages.append(client.get("/search", query_string={"q": query}).get_data(as_text=True))
    assert [leaks(page) for page in pages] == [[] for _ in pages]
    assert all("来源：" in page for page in pages[:len(questions)])


def test_practice_feedback_shows_a_near_miss_and_the_differing_character(app):
    client = app.test_client()
    response = client.post("/practice", data={"csrf_token": csrf(client), "question": ["data-warehouse-types-fill"]})
    url = response.headers["Location"]
    client.post(url, data={"csrf_token": csrf(client, url), "q0_0": "企业数据仓库", "q0_1": "操作型数据仓储", "q0_2": "数据仓"})
    html = client.get(url).get_data(as_text=True)
    marks = re.findall(r'<li class="blank-mark--(\w+)">', html)
    assert marks == ["right", "close", "wrong"]
    assert "≈ 接近，得该空一半的分：你写的是“操作型数据仓储”，应为“操作型数据<mark>存</mark>储”" in html
