"""`flask try-answer QUESTION_ID ANSWER…` on the real content: JSON out, exit 2 with a reason on bad input."""
import json

import pytest

from tests.conftest import make_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the module: each command loads the real banks once."""
    return make_app(tmp_path_factory.mktemp("try"))


def run(app, *args):
    return app.test_cli_runner().invoke(args=["try-answer", *args])


def test_term_prints_score_max_correct_and_each_key_point(app):
    result = run(app, "term-customer-pyramid", "按客户创造的利润和价值大小排序，利润最大的放在顶部，利润最小的放在底部")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["max"], set(out)) == (5.0, {"id", "score", "max", "correct", "key_points"})
    assert [(p["text"], p["points"]) for p in out["key_points"]] == [
        ("为了进行客户分级", 1.0), ("按创造的利润和价值排列", 2.0), ("利润最大的客户置于顶部", 1.0), ("利润最小的客户置于底部", 1.0)]
    assert [p["found"] for p in out["key_points"]] == [False, True, True, True]
    assert (out["score"], out["correct"]) == (4.0, True)


def test_fill_blank_takes_one_answer_per_blank(app):
    result = run(app, "loyalty-three-types-fill", "情感忠诚", "行为忠诚", "意识忠诚", "情感忠诚")
    out = json.loads(result.output)
    assert (out["score"], out["max"], out["correct"]) == (0.75, 1.0, False)
    assert [b["status"] for b in out["blanks"]] == ["right", "right", "right", "wrong"]


@pytest.mark.parametrize("letters, correct", [("B", True), ("b", True), ("A", False)])
def test_choice_letters_follow_the_yaml_order(app, letters, correct):

    out = json.loads(run(app, "satisfaction-ratio-b-meaning", letters).output)
    assert out["correct"] is correct


@pytest.mark.parametrize(
    "args, reason",
    [
        (["no-such-question", "A"], "未知的题目 id：no-such-question"),
        (["satisfaction-ratio-b-meaning"], "缺少答案"),
        (["satisfaction-ratio-b-meaning", "Z"], "答案格式不对"),
        (["satisfaction-ratio-b-meaning", "AB"], "单选题只能给一个字母"),
        (["loyalty-three-types-fill", "行为忠诚"], "本题有 4 个空，提交了 1 个答案"),
        (["satisfied-means-loyal-tf", "也许"], "判断题的答案须为"),
    ],
)
def test_unknown_id_or_malformed_answer_exits_2_with_one_line(app, args, reason):
    result = run(app, *args)
    assert result.exit_code == 2
    assert reason in result.output and result.output.strip().count("\n") == 0
