from pathlib import Path

import pytest
import yaml

from quizzes.bank import load_bank, load_banks

CHAPTERS = {"alpha": {"formula", "loyalty"}, "cases": set()}

GOOD = {
    "single": {"type": "single", "stem": "题干", "options": ["甲", "乙", "丙"], "answer": "B"},
    "multiple": {"type": "multiple", "stem": "题干", "options": ["甲", "乙", "丙"], "answer": "AC"},
    "true_false": {"type": "true_false", "stem": "题干", "answer": True},
    "fill_blank": {"type": "fill_blank", "stem": "甲____乙____", "blanks": [["一"], ["二", "贰"]]},
    "term": {"type": "term", "stem": "客户", "reference_answer": "答", "key_points": [{"text": "要点", "points": 2}]},
    "calculation": {"type": "calculation", "generator": "clv-model1"},
}


def write_bank(tmp_path: Path, questions: list[dict], chapter: str = "alpha") -> Path:
    for i, q in enumerate(questions):
        q.setdefault("id", f"q-{i}")
        q.setdefault("explanation", "解析")
        q.setdefault("source", "editor")
    path = tmp_path / f"{chapter}.yaml"
    path.write_text(yaml.safe_dump({"chapter": chapter, "questions": questions}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("qtype", GOOD)
def test_every_type_loads(tmp_path, qtype):
    bank, problems = load_bank(write_bank(tmp_path, [dict(GOOD[qtype])]), CHAPTERS)
    assert problems == []
    assert [q.type for q in bank.questions] == [qtype]


def test_question_fields_are_normalised(tmp_path):
    bank, _ = load_bank(write_bank(tmp_path, [dict(GOOD["true_false"]), dict(GOOD["fill_blank"])]), CHAPTERS)
    tf, fill = bank.questions
    assert (tf.answer, tf.key, tf.line) == ("true", "alpha/q-0", 3)
    assert fill.blanks == (("一",), ("二", "贰"))


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"type": "essay"}, "未知题型"),
        ({"stem": ""}, "缺少 stem"),
        ({"answer": None}, "缺少 answer"),
        ({"answer": "E"}, "超出选项范围"),
        ({"answer": "AB"}, "单选题只能有一个答案"),
        ({"options": ["甲"]}, "选项须为 2–6 个"),
        ({"explanation": ""}, "缺少 explanation"),
        ({"source": ""}, "缺少 source"),
        ({"id": "Bad_Id"}, "kebab-case"),
        ({"section": "nowhere"}, "section #nowhere"),
        ({"difficulty": 5}, "difficulty"),
    ],
)
def test_single_choice_problems_name_file_line_and_id(tmp_path, change, reason):
    question = {**GOOD["single"], **change}
    path = write_bank(tmp_path, [dict(GOOD["true_false"]), question])
    _, problems = load_bank(path, CHAPTERS)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line) == (str(path), problems[0].line)
    assert problem.line > 3 and reason in problem.message
    if change.get("id") != "Bad_Id":
        assert "[q-1]" in problem.message


@pytest.mark.parametrize(
    "qtype, change, reason",
    [
        ("multiple", {"answer": "A"}, "两个及以上"),
        ("true_false", {"answer": "对"}, "true 或 false"),
        ("fill_blank", {"blanks": [["一"]]}, "2 个空"),
        ("fill_blank", {"blanks": "一"}, "缺少 blanks"),
        ("term", {"key_points": []}, "缺少 key_points"),
        ("term", {"reference_answer": ""}, "缺少 reference_answer"),
        ("term", {"key_points": [{"text": "点", "points": -1}]}, "points 须为正数"),
        ("calculation", {"generator": "nope"}, "未知的 generator"),
    ],
)
def test_type_specific_problems(tmp_path, qtype, change, reason):
    _, problems = load_bank(write_bank(tmp_path, [{**GOOD[qtype], **change}]), CHAPTERS)
    assert [reason in p.message for p in problems] == [True]


def test_duplicate_id_in_a_bank(tmp_path):
    path = write_bank(tmp_path, [{**GOOD["true_false"], "id": "same"}, {**GOOD["true_false"], "id": "same"}])
    _, problems = load_bank(path, CHAPTERS)
    assert [(p.line, p.message) for p in problems] == [(9, "[same] id 重复（第 3 行已用）")]


def test_duplicate_id_across_banks(tmp_path):
    (tmp_path / "questions").mkdir()
    write_bank(tmp_path / "questions", [{**GOOD["true_false"], "id": "same"}], "alpha")
    write_bank(tmp_path / "questions", [{**GOOD["true_false"], "id": "same"}], "cases")
    banks = load_banks(tmp_path, CHAPTERS)
    assert len(banks.questions()) == 1
    assert "全课程唯一" in banks.problems[0].message


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("chapter: alpha\nquestions:\n  - id: a\n    stem: [unclosed\n", 5, "YAML 语法错误"),
        ("chapter: omega\nquestions: []\n", 1, "未知的 chapter"),
        ("just text\n", 1, "须包含 chapter 与 questions"),
    ],
)
def test_broken_files_are_reported(tmp_path, text, line, reason):
    path = tmp_path / "alpha.yaml"
    path.write_text(text, encoding="utf-8")
    bank, problems = load_bank(path, CHAPTERS)
    assert bank is None
    assert (problems[0].line, reason in problems[0].message) == (line, True)


def test_changed_question_gets_new_version(tmp_path):
    first, _ = load_bank(write_bank(tmp_path, [dict(GOOD["single"])]), CHAPTERS)
    second, _ = load_bank(write_bank(tmp_path, [{**GOOD["single"], "stem": "新题干"}]), CHAPTERS)
    assert first.questions[0].version != second.questions[0].version
