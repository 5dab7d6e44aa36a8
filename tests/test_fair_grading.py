"""Fill-in blanks and 得分点 accept what a fair teacher accepts (issue 9)."""
import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.engine import grade, make_variant
from quizzes.grading import any_order_groups, best_pairing, check_any_order, difference, number_value
from quizzes.model import KeyPoint, Question


def q(**fields) -> Question:
    base = {"bank": "alpha", "id": "x", "type": "fill_blank", "stem": "题", "explanation": "解", "source": "editor"}
    return Question(**{**base, **fields})


def marks(question, response):
    result = grade(make_variant(question, 1), response, 1)
    return [m.credit for m in result.blank_marks], result.score


LOYALTY = q(stem="客户忠诚可分为____、____和____三种类型，其中企业最为关心的是____。",
            blanks=(("行为忠诚",), ("意识忠诚",), ("情感忠诚",), ("行为忠诚",)), any_order=((0, 1, 2),))
SOURCES = q(stem="资料查询法所用的资料包括：____资料、____资料和____资料。",
            blanks=(("统计",), ("名录类", "名录"), ("报章类", "报章")), any_order=((0, 1, 2),))
RATE = q(stem="客户保持率加客户流失率等于____；利润增加____。", blanks=(("1", "100%"), ("50%", "百分之五十")))
WAREHOUSE = q(stem="数据仓库的类型有：____、____和____。",
              blanks=(("企业数据仓库",), ("操作型数据存储",), ("数据集市",)), any_order=True)
MARKETING = q(stem="____营销与____营销", blanks=(("直接营销",), ("间接营销",)))


@pytest.mark.parametrize(
    "given, expected",
    [
        (["行为忠诚", "意识忠诚", "情感忠诚", "行为忠诚"], [1, 1, 1, 1]),
        (["情感忠诚", "行为忠诚", "意识忠诚", "行为忠诚"], [1, 1, 1, 1]),   # the three types in any order
        (["行为忠诚", "意识忠诚", "行为忠诚", "情感忠诚"], [1, 1, 0, 0]),   # blank 4 is not one of the group
    ],
)
def test_any_order_applies_only_to_its_group(given, expected):
    assert marks(LOYALTY, given)[0] == expected


@pytest.mark.parametrize(
    "given",
    [["统计资料", "名录类资料", "报章"], ["统计\u3000", "名录的", "报章类资料。"], [" 统 计 ", "名 录", "报章之"]],
)
def test_blank_normalises_width_spaces_function_words_and_the_stems_own_words(given):
    assert marks(SOURCES, given) == ([1, 1, 1], 1)


@pytest.mark.parametrize(
    "given, credit",
    [(["100%", "0.5"], [1, 1]), (["1", "百分之五十"], [1, 1]), (["１００％", "50％"], [1, 1]),
     (["0.1", "5%"], [0, 0]), (["一", "五"], [1, 0])],
)
def test_numeric_blanks_accept_equivalent_forms_the_key_allows(given, credit):
    assert marks(RATE, given)[0] == credit


@pytest.mark.parametrize(
    "text, value",
    [("20%", 0.2), ("0.2", 0.2), ("百分之二十", 0.2), ("二十", 20), ("五成", 0.5), ("一百二十三", 123),
     ("两万零五", 20005), ("客户", None), ("", None)],
)
def test_number_value(text, value):
    assert number_value(text) == value


def test_one_character_off_in_a_long_answer_earns_half_and_shows_the_difference():
    result = grade(make_variant(WAREHOUSE, 1), ["企业数据仓库", "操作数据存储", "数据仓"], 3)
    assert [m.status for m in result.blank_marks] == ["right", "close", "wrong"]
    assert result.score == 1.5 and not result.correct
    assert difference("操作数据存储", "操作型数据存储") == [("操作", False), ("型", True), ("数据存储", False)]


def test_another_blanks_answer_is_never_a_near_miss():
    assert marks(MARKETING, ["间接营销", "直接营销"])[0] == [0, 0]


def test_short_answers_need_every_character():
    assert marks(q(stem="____", blanks=(("考察期",),)), ["考查期"])[0] == [0]


@pytest.mark.parametrize(
    "value, count, groups, problems",
    [
        (True, 3, ((0, 1, 2),), []),
        ([[1, 2, 3]], 4, ((0, 1, 2),), []),
        ([[1, 2], [3, 4]], 4, ((0, 1), (2, 3)), []),
        ([[1, 5]], 4, None, ["any_order 中的空序号 [5] 超出范围（本题共 4 个空）"]),
        ([[1]], 4, None, ["any_order 须为 true 或分组列表，如 [[1, 2, 3]]（空的序号，从 1 数起）；每组至少两个空"]),
        ([[1, 2], [2, 3]], 4, None, ["any_order 中的空 [2] 出现在多个分组中"]),
        ("yes", 4, None, ["any_order 须为 true 或分组列表，如 [[1, 2, 3]]（空的序号，从 1 数起）"]),
    ],
)
def test_any_order_groups_are_checked(value, count, groups, problems):
    assert check_any_order(value, count) == problems
    if groups is not None:
        assert any_order_groups(value, count) == groups


TERM = Question(bank="alpha", id="t", type="term", stem="扣钩战略", explanation="", source="editor",
                reference_answer="", key_points=(KeyPoint("安排一系列接触机会", 1), KeyPoint("维系企业与客户的关系", 1)))


def test_key_point_words_in_another_order_are_found():
    answer = "企业依据需要与客户之间安排接触机会的一系列做法，以维系与客户的关系"
    result = grade(make_variant(TERM, 1), answer, 2)
    assert [p.found for p in result.points] == [True, True]


def test_key_point_is_not_found_from_one_shared_word():
    result = grade(make_variant(TERM, 1), "企业安排促销活动", 2)
    assert [p.found for p in result.points] == [False, False]


# ---- calculation generators speak the chapter's language ------------------------------------------

from quizzes.generators import RFM_WEIGHTS, generate, satisfaction_verdict  # noqa: E402


def test_satisfaction_difference_reads_like_the_chapter_and_the_simulation():
    from simulations.satisfaction import verdict

    assert [satisfaction_verdict(d) for d in (-3, 0, 4)] == ["不满意", "满意", "很满意"]
    assert all(satisfaction_verdict(b - 5) == verdict(5, b) for b in (3, 5, 8))
    solutions = {generate("satisfaction-difference", s).answer > 0: generate("satisfaction-difference", s).solution
                 for s in range(40)}
    assert "客户很满意" in solutions[True] and "客户不满意" in solutions[False]
    assert any(generate("satisfaction-difference", s).answer == 0 for s in range(200))


def test_nps_is_a_number_between_minus_100_and_100_not_a_percentage():
    for seed in range(30):
        g = generate("nps-score", seed)
        assert g.unit == "" and -100 <= g.answer <= 100 and "−100 到 +100" in g.stem and "%）" not in g.stem


def test_rfm_weights_sum_to_one_as_in_the_chapter():
    assert all(abs(sum(w) - 1) < 1e-9 for w in RFM_WEIGHTS)
    g = generate("rfm-score", 7)
    wr, wf, wm = (float(x) for x in __import__("re").findall(r"w_[RFM] = ([\d.]+)", g.stem))
    assert abs(wr + wf + wm - 1) < 1e-9 and 1 <= g.answer <= 5


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.integers(1, 7).flatmap(lambda n: st.lists(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=n, max_size=n),
                                                    min_size=n, max_size=n)))
def test_any_order_pairing_is_the_best_and_the_first_of_the_best(credit):
    """best_pairing gives what trying every permutation in order gives (the rule before it was made fast)."""
    n = len(credit)
    brute = max(itertools.permutations(range(n)), key=lambda p: sum(credit[i][p[i]] for i in range(n)))
    assert best_pairing(credit) == list(brute)
