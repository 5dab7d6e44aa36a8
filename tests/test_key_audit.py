"""The automatic check of issue 9 on the real content: keys accept the chapter's own words."""
import pytest

from app import ROOT
from course.loader import load_course
from quizzes import chapter_anchors
from quizzes.bank import load_banks
from quizzes.cli import try_answer
from quizzes.keycheck import audit, chapter_wordings, defining_text, section_of, term_core

CONTENT = ROOT / "content"
COURSE = load_course(CONTENT)
BANKS = load_banks(CONTENT, chapter_anchors(COURSE))
Q = BANKS.by_id()


def test_every_key_accepts_the_chapters_words_and_rejects_a_neighbours_definition():
    """term: chapter definition ≥ 80%; fill_blank: chapter wording accepted; reference = full marks;
    another term's definition from the same chapter ≤ 50%. No exemptions."""
    assert audit(COURSE, BANKS.questions()) == []


def test_the_audit_covers_every_term_and_fill_in():
    terms = [q for q in BANKS.questions() if q.type == "term"]
    assert len(terms) >= 80 and all(defining_text(q.stem, section_of(COURSE, q).text, q.reference_answer)
                                    for q in terms)


def test_definition_is_extracted_from_the_section_not_the_key():
    q = Q["term-customer-pyramid"]
    definition = defining_text(q.stem, section_of(COURSE, q).text, q.reference_answer)
    assert "为了进行客户分级" in definition and "放在顶部" in definition and "放在底部" in definition
    assert definition != q.reference_answer


def test_chapter_wording_finder_sees_the_stems_own_words():
    found = chapter_wordings(Q["document-search-sources-fill"], "资料查询法查阅的资料：统计资料、名录类资料和报章类资料。")
    assert (0, "统计资料") in found


def score(qid, *answers):
    return try_answer(Q[qid], answers)


def test_customer_pyramid_chapter_definition_scores_full():
    out = score("term-customer-pyramid", "为了进行客户分级，企业可以根据客户为企业创造的利润和价值的大小排序，"
                "把给企业创造利润最大的客户放在顶部，给企业创造利润最小的客户放在底部，从而得到一个金字塔形的模型。")
    assert (out["score"], out["max"]) == (5.0, 5.0)


def test_supply_chain_points_are_all_taught_in_the_chapter():
    q = Q["term-supply-chain-management"]
    text = section_of(COURSE, q).text
    assert [kp.text for kp in q.key_points if kp.text not in text and not any(a in text for a in kp.aliases)] == []


@pytest.mark.parametrize(
    "qid, blank, answer",
    [
        ("document-search-sources-fill", 0, "统计资料"),
        ("data-warehouse-types-fill", 1, "操作型数据存储"),
        ("database-marketing-cycle-fill", 1, "寻找理想消费者"),
        ("database-marketing-cycle-fill", 1, "寻找理想客户"),
        ("loyalty-six-indicators-fill", 5, "产品瑕疵"),
        ("loyalty-six-indicators-fill", 5, "质量事故"),
    ],
)
def test_named_fill_ins_accept_the_chapters_wording(qid, blank, answer):
    answers = [""] * len(Q[qid].blanks)
    answers[blank] = answer
    assert score(qid, *answers)["blanks"][blank]["status"] == "right"


@pytest.mark.parametrize(
    "qid, answer",
    [
        ("term-return-on-investment-method", "投资回报法是一种基于财务分析的绩效评价方法，主要从财务角度对企业运营的整个流程做出评价"),
        ("term-partner-marketing", "伙伴营销是完全建立在因特网技术基础之上的新型商业模式，克服了许可营销的缺陷，把消费者作为平等的合伙人"),
    ],
)
def test_terms_accept_the_chapters_wording(qid, answer):
    out = score(qid, answer)
    assert out["score"] == out["max"]


def test_loyalty_types_fourth_blank_is_not_interchangeable():
    assert score("loyalty-three-types-fill", "意识忠诚", "情感忠诚", "行为忠诚", "情感忠诚")["score"] == 0.75
    assert score("loyalty-three-types-fill", "意识忠诚", "情感忠诚", "行为忠诚", "行为忠诚")["correct"] is True


@pytest.mark.parametrize(
    "qid, key, gone",
    [
        ("customer-data-privacy-measures-multi", "ABC", "合并数据源"),
        ("customer-business-value-components-multi", "BCD", "客户的学习价值"),
    ],
)
def test_unsupported_keys_offer_no_defensible_wrong_option(qid, key, gone):
    q = Q[qid]
    assert q.answer == key and gone not in q.options
    assert "没有给出答案" in q.explanation and gone.replace("客户的", "") in q.explanation


def test_strategy_sequence_names_the_chapters_reading_and_says_the_source_gives_none():
    q = Q["crm-strategy-implementation-sequence-single"]
    assert q.stem.startswith("按本章") and q.answer == "D"
    assert "没有给出答案" in q.explanation and "不同教材" in q.explanation
    assert "客户信息获取→客户分析→战略活动实施→企业文化变革→流程重组" in section_of(COURSE, q).text


def test_check_warns_when_a_section_does_not_mention_the_questions_key_terms():
    from dataclasses import replace

    from quizzes import section_warnings
    from quizzes.bank import Banks
    from quizzes.model import Bank

    moved = replace(Q["term-customer-pyramid"], section="customer-objections")
    fill = replace(Q["questioning-techniques-fill"], section="complaint-value")
    banks = Banks((Bank("customer-identification", "x.yaml", (moved,)), Bank("interaction-complaints", "y.yaml", (fill,))), ())
    warnings = section_warnings(COURSE, banks)
    assert [(w.level, w.path, w.message) for w in warnings] == [
        ("warning", "x.yaml", "[term-customer-pyramid] 小节 #customer-objections 没有提到“客户金字塔模型”：section 可能指错了位置"),
        ("warning", "y.yaml", "[questioning-techniques-fill] 小节 #complaint-value 没有提到“开放式”“封闭式”：section 可能指错了位置"),
    ]


def test_real_content_has_no_section_warnings():
    assert section_warnings_for_real() == []


def section_warnings_for_real():
    from quizzes import section_warnings

    return [str(w) for w in section_warnings(COURSE, BANKS)]


@pytest.mark.parametrize(
    "qid, section",
    [
        ("term-customer-knowledge", "data-information-knowledge"), ("communication-three-elements-multi", "customer-communication"),
        ("communication-barriers-multi", "customer-communication"), ("questioning-techniques-fill", "customer-communication"),
        ("single-personality-color-yellow", "customer-communication"), ("term-cross-selling", "clv-components"),
        ("cross-selling-depth-single", "retention-methods"), ("cross-selling-understanding-multi", "retention-methods"),
        ("service-staff-abilities-qualities-sa", "service-staff-qualities"),
    ],
)
def test_audited_questions_point_where_the_topic_is_taught(qid, section):
    q = Q[qid]
    topic = {"communication-three-elements-multi": "沟通的三大要素", "communication-barriers-multi": "沟通的障碍",
             "questioning-techniques-fill": "开放式问题", "single-personality-color-yellow": "不择手段",
             "term-cross-selling": "借助客户关系管理来发现现有客户的多种需求", "cross-selling-depth-single": "“深度”",
             "cross-selling-understanding-multi": "品牌转换壁垒", "term-customer-knowledge": "客户知识",
             "service-staff-abilities-qualities-sa": "客户服务人员"}[qid]
    assert q.section == section and topic in section_of(COURSE, q).text


@pytest.mark.parametrize("qid", ["communication-barriers-multi", "crm-staff-potential-qualities-multi",
                                 "service-four-levels-fill", "single-personality-color-red"])
def test_no_stale_note_says_a_taught_topic_is_not_taught(qid):
    q = Q[qid]
    stale = ("未专门讲授", "未展开", "一章中讲授", "一章讲授", "在“客户识别与开发”一章")
    assert not any(s in q.explanation + q.editor_note for s in stale)


def test_personality_colours_restore_the_figures_and_yellows_ruthlessness():
    for slug in ("customer-identification", "interaction-complaints"):
        text = COURSE.get(slug).rendered.html
        assert all(name in text for name in ("周伯通", "梁朝伟", "希特勒", "周恩来", "不择手段")), slug
