"""One statement per idea across chapters, banks and simulations; general-knowledge material is labelled (issue 9)."""
import re

import pytest

from app import ROOT
from course.loader import load_course
from course.search import course_entries, ensure_index, search
from db import connect
from migrations import migrate
from quizzes import chapter_anchors
from quizzes.bank import load_banks
from simulations import SIMULATIONS

CONTENT = ROOT / "content"
COURSE = load_course(CONTENT)
BANKS = load_banks(CONTENT, chapter_anchors(COURSE))
Q = BANKS.by_id()


def all_text() -> str:
    chapters = " ".join(c.rendered.html for c in COURSE.chapters)
    questions = " ".join(" ".join((q.stem, q.explanation, q.reference_answer, *q.options)) for q in BANKS.questions())
    return chapters + questions


def test_crm_aim_is_one_statement_and_the_two_keys_agree():
    foundations = COURSE.get("crm-foundations").rendered.html
    assert "企业与客户的双赢" in foundations and "客户资源的价值最大化" in foundations
    assert "使客户的价值最大化" not in foundations
    win_win, ultimate = Q["crm-purpose-win-win-single"], Q["crm-ultimate-purpose-single"]
    wrong_in_one = {win_win.options[i] for i in range(len(win_win.options)) if i not in win_win.answer_indexes}
    right_in_other = ultimate.options[ultimate.answer_indexes[0]]
    assert "客户价值最大化" in wrong_in_one and "客户价值最大化" not in right_in_other
    assert "客户资源的价值最大化" in right_in_other


def test_one_name_for_the_ideal_customer_step():
    text = all_text()
    assert "寻找理想客户" in text
    assert text.count("寻找理想消费者") == text.count("（也称寻找理想消费者）") == 1


def test_strategy_definition_is_never_given_to_gartner():
    for row in re.findall(r"<tr>.*?</tr>", COURSE.get("crm-foundations").rendered.html, re.S):
        if "增进盈利" in row:
            assert "战略说" in row and "Gartner" not in row


def test_houtai_explains_both_meanings():
    html = COURSE.get("crm-systems").rendered.html
    assert "“后台”一词在本课程中有两种用法" in html and "ERP 是管理内部资源的“后台”系统" in html


def test_customer_lifetime_value_has_one_name():
    assert SIMULATIONS["clv"].title == "客户终身价值"
    assert "客户终生价值" not in re.sub(r"也称客户终生价值", "", all_text())


@pytest.fixture(scope="module")
def index_db(tmp_path_factory):
    db = connect(tmp_path_factory.mktemp("search") / "s.sqlite3")
    migrate(db)
    ensure_index(db, course_entries(COURSE))
    return db


@pytest.mark.parametrize("query", ["客户终身价值", "客户终生价值"])
def test_search_finds_lifetime_value_under_either_name(index_db, query):
    assert ("customer-lifecycle", "clv-definition") in [(h.slug, h.anchor) for h in search(index_db, query)]


@pytest.mark.parametrize(
    "slug, anchor, phrase",
    [
        ("customer-lifecycle", "clv-models", "没有写出公式"),
        ("crm-strategy", "one-plus-five", "不是课程资料原文"),
        ("crm-strategy", "eight-steps", "不是课程资料原文"),
        ("ecommerce-crm", "ecrm-architecture", "课程资料只写出了第一类"),
    ],
)
def test_general_knowledge_material_is_labelled(slug, anchor, phrase):
    section = next(s for s in COURSE.get(slug).rendered.sections if s.anchor == anchor)
    assert "说明：" in section.text and phrase in section.text
