import pytest

from quizzes.engine import BadResponse, correct_letters, grade, key_text, make_variant, parse_response, response_text
from quizzes.generators import GENERATORS, generate
from quizzes.model import KeyPoint, Question
from quizzes.textmatch import normalise, phrase_found, same_answer


def q(**fields) -> Question:
    base = {"bank": "alpha", "id": "x", "type": "single", "stem": "题", "explanation": "解", "source": "editor"}
    return Question(**{**base, **fields})


SINGLE = q(options=("甲", "乙", "丙", "丁"), answer="B")
MULTIPLE = q(type="multiple", options=("甲", "乙", "丙", "丁"), answer="ACD")
TF = q(type="true_false", answer="false")
FILL = q(type="fill_blank", stem="____和____", blanks=(("考察期",), ("形成期", "形成阶段")))
FILL_ANY = q(type="fill_blank", stem="____和____", blanks=(("考察期",), ("形成期",)), any_order=True)
TERM = q(type="term", stem="客户终身价值", reference_answer="……", key_points=(
    KeyPoint("整个生命周期", 1), KeyPoint("考虑资金的时间价值", 1, ("折现",)), KeyPoint("所有收益之和", 2)))


@pytest.mark.parametrize(
    "question, response, score, correct",
    [
        (SINGLE, 1, 1, True), (SINGLE, 0, 0, False),
        (MULTIPLE, [0, 2, 3], 1, True), (MULTIPLE, [0, 2], 0, False), (MULTIPLE, [0, 1, 2, 3], 0, False),
        (TF, False, 1, True), (TF, True, 0, False),
        (FILL, ["考察期", "形成阶段"], 1, True), (FILL, ["考察期", "稳定期"], 0.5, False),
        (FILL, ["形成期", "考察期"], 0, False), (FILL_ANY, ["形成期", "考察期"], 1, True),
        (FILL, [" 考察期。", "ＦＯＲＭ"], 0.5, False),
    ],
)
def test_objective_graders(question, response, score, correct):
    result = grade(make_variant(question, 1), response, 1)
    assert (result.score, result.correct) == (score, correct)


def test_subjective_grader_marks_each_key_point():
    answer = "客户终身价值是客户在整个生命周期中，扣除成本并折现后，为企业带来的全部收益。"
    result = grade(make_variant(TERM, 1), answer, 4)
    assert [p.found for p in result.points] == [True, True, False]
    assert (result.score, result.correct) == (2.0, False)


def test_subjective_grader_full_marks():
    answer = "在整个生命周期里考虑资金的时间价值，企业获得的所有收益之和"
    assert grade(make_variant(TERM, 1), answer, 4).score == 4.0


@pytest.mark.parametrize(
    "given, expected",
    [("ＣＲＭ，客户 关系！", "crm客户关系"), ("  A-B  ", "ab"), ("客户“满意”度", "客户满意度")],
)
def test_normalise_width_case_space_punctuation(given, expected):
    assert normalise(given) == expected


@pytest.mark.parametrize(
    "phrase, answer, found",
    [
        ("考虑资金的时间价值", "要考虑资金时间价值", True),     # bigram coverage
        ("客户满意", "这是客户忠诚", False),
        ("以客户为中心", "企业要以顾客为中心开展经营", False),
        ("以客户为中心", "坚持以 客户 为中心", True),
    ],
)
def test_phrase_matching(phrase, answer, found):
    assert phrase_found(phrase, answer) is found


def test_same_answer_needs_whole_blank():
    assert same_answer("考察期", ("考察期",)) and not same_answer("考察", ("考察期",))


def test_shuffle_is_reproducible_and_key_follows_it():
    first, again, other = make_variant(SINGLE, 5), make_variant(SINGLE, 5), make_variant(SINGLE, 6)
    assert first.option_order == again.option_order
    assert sorted(first.option_order) == [0, 1, 2, 3]
    shown = "ABCD"[first.option_order.index(1)]
    assert correct_letters(first) == key_text(first) == shown
    assert response_text(first, 1) == shown
    assert any(make_variant(SINGLE, s).option_order != other.option_order for s in range(10))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generators_reproduce_from_seed(name):
    assert generate(name, 123) == generate(name, 123)
    assert len({generate(name, s).stem for s in range(20)}) > 5


def test_clv_model_one_matches_textbook_example():
    from quizzes.generators import _annuity

    assert round(3000 - 500 + _annuity([1000] * 10, 0.08), 2) == 9210.08
    assert round(3000 - 500 + _annuity([900] * 10, 0.08), 2) == 8539.07


def test_calculation_variant_grades_with_tolerance():
    calc = make_variant(q(type="calculation", stem="", generator="clv-model3"), 9)
    assert grade(calc, calc.expected + calc.tolerance / 2, 1).correct
    assert not grade(calc, calc.expected + 10 * calc.tolerance + 1, 1).correct
    assert make_variant(q(type="calculation", stem="", generator="clv-model3"), 9).stem == calc.stem


@pytest.mark.parametrize(
    "question, values",
    [
        (SINGLE, ["9"]), (SINGLE, ["-1"]), (SINGLE, ["a"]), (SINGLE, []), (SINGLE, ["0", "1"]),
        (MULTIPLE, []), (MULTIPLE, ["4"]), (TF, ["yes"]), (FILL, ["一"]), (FILL, ["一", "长" * 300]),
        (TERM, ["字" * 6000]), (q(type="calculation", stem="", generator="nps-score"), ["九千"]),
        (q(type="calculation", stem="", generator="nps-score"), ["nan"]),
        (q(type="calculation", stem="", generator="nps-score"), ["-inf"]),
        (q(type="calculation", stem="", generator="nps-score"), ["1", "2"]),
    ],
)
def test_bad_responses_are_rejected(question, values):
    with pytest.raises(BadResponse):
        parse_response(make_variant(question, 1), values)
