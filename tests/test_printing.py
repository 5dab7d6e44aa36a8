"""Printable papers: sections and headings as on a Chinese exam paper, seeds, and the print routes."""
import re

import pytest

from printing.paper import paper_from_items, paper_from_variants
from quizzes.engine import make_variant
from quizzes.model import Item, KeyPoint, Question
from quizzes.selection import item


def q(qid: str, qtype: str = "single", **fields) -> Question:
    base = {"bank": "alpha", "id": qid, "type": qtype, "stem": f"题{qid}", "explanation": "解", "source": "editor"}
    if qtype == "single":
        base.update(options=("甲", "乙", "丙", "丁"), answer="A")
    return Question(**{**base, **fields})


QUESTIONS = [q("t1", "true_false", answer="true"), q("s1"), q("c1", "case", reference_answer="答",
             key_points=(KeyPoint("要点", 6),)), q("s2"), q("c2", "case", reference_answer="答", key_points=(KeyPoint("要点", 7),))]


def test_sections_follow_exam_order_with_chinese_numerals_and_points():
    paper = paper_from_items("卷", [item(x, 13 if x.type == "case" else 1) for x in QUESTIONS], 5,
                             {x.key: x for x in QUESTIONS})
    assert [s.heading for s in paper.sections] == [
        "一、单项选择题（每题1分，共2分）", "二、判断题（每题1分，共1分）", "三、案例分析题（每题13分，共26分）"]
    assert [[i.number for i in s.items] for s in paper.sections] == [[1, 2], [1], [1, 2]]
    assert (paper.total, paper.count) == (29, 5)


def test_mixed_points_in_a_section_show_only_the_total():
    paper = paper_from_variants("卷", [(make_variant(x, 1), 6 if x.id == "c1" else 7, "") for x in QUESTIONS[2::2]])
    assert [s.heading for s in paper.sections] == ["一、案例分析题（共13分）"]


def test_the_same_seed_prints_the_same_option_order_and_another_seed_may_not():
    items = [item(x, 1) for x in QUESTIONS]
    by_key = {x.key: x for x in QUESTIONS}
    orders = {seed: [i.variant.option_order for i in paper_from_items("卷", items, seed, by_key).sections[0].items]
              for seed in range(20)}
    assert paper_from_items("卷", items, 3, by_key) == paper_from_items("卷", items, 3, by_key)
    assert len({tuple(o) for o in orders.values()}) > 1


def test_unshuffled_items_keep_the_bank_order_and_missing_questions_are_left_out():
    items = [Item("alpha/s1", "v", 1, shuffle=False), Item("alpha/gone", "v", 1)]
    paper = paper_from_items("卷", items, 9, {x.key: x for x in QUESTIONS})
    assert [i.variant.option_order for s in paper.sections for i in s.items] == [(0, 1, 2, 3)]


def test_chapter_print_gets_a_stored_seed_then_prints_questions_only(client):
    response = client.get("/print/chapter/satisfaction-loyalty")
    assert re.fullmatch(r"/print/chapter/satisfaction-loyalty\?seed=\d+", response.headers["Location"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "一、单项选择题（每题1分" in page and "参考答案与解析" not in page and "姓名：" in page


def test_answers_flag_survives_the_seed_redirect(client):
    location = client.get("/print/exam?answers=1").headers["Location"]
    assert re.fullmatch(r"/print/exam\?seed=\d+&answers=1", location)
    assert "参考答案与解析" in client.get(location).get_data(as_text=True)


@pytest.mark.parametrize("url, status", [("/print/chapter/nope?seed=1", 404), ("/print/exam?seed=-1", 400),
                                         ("/print/exam?seed=99999999999", 400), ("/print/chapter/cases?seed=x", 400)])
def test_bad_print_requests(client, url, status):
    assert client.get(url).status_code == status


def test_empty_notebook_prints_a_friendly_page(client):
    page = client.get("/print/notebook").get_data(as_text=True)
    assert "错题集" in page and "这里还没有题目。" in page
