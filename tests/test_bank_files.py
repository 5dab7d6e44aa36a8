"""Bank files: the `chapter:` key decides where a bank belongs; imported banks warn about what is missing."""
from pathlib import Path

import yaml

from quizzes.bank import load_bank, load_banks

CHAPTERS = {"alpha": {"formula", "loyalty"}, "cases": set()}


def write(path: Path, chapter: str, questions: list[dict], **extra) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"chapter": chapter, **extra, "questions": questions}, allow_unicode=True),
                    encoding="utf-8")
    return path


def single(qid: str, **fields) -> dict:
    return {"id": qid, "type": "single", "stem": "题干", "options": ["甲", "乙"], "answer": "A",
            "explanation": "解析", "source": "editor", **fields}


def test_a_chapter_may_have_several_banks_with_any_file_names(tmp_path):
    write(tmp_path / "questions" / "alpha.yaml", "alpha", [single("a-1")])
    write(tmp_path / "questions" / "alpha-imported-2024.yaml", "alpha", [single("a-2"), single("a-3")])
    banks = load_banks(tmp_path, CHAPTERS)
    assert banks.problems == ()
    assert [(b.chapter, len(b.questions)) for b in banks.banks] == [("alpha", 2), ("alpha", 1)]
    assert banks.counts() == {"alpha": 3}
    assert sorted(banks.by_key()) == ["alpha/a-1", "alpha/a-2", "alpha/a-3"]


def test_imported_bank_warns_about_what_to_complete_but_loads(tmp_path):
    term = {"id": "t-1", "type": "term", "stem": "客户关系管理", "reference_answer": "一种管理理念", "source": "import"}
    path = write(tmp_path / "from-word.yaml", "alpha", [term, single("s-1", section="formula")],
                 imported_from="期中试卷.docx")
    bank, problems = load_bank(path, CHAPTERS)
    assert [q.id for q in bank.questions] == ["t-1", "s-1"]
    assert [(p.level, p.message) for p in problems] == [
        ("warning", "[t-1] 缺少 explanation（解析）"), ("warning", "[t-1] 缺少 key_points（得分点）"),
        ("warning", "[t-1] 缺少 section（对应的教材小节）")]
    assert str(problems[0]) == f"{path}:4: 警告：[t-1] 缺少 explanation（解析）"


def test_an_authored_bank_still_requires_explanation(tmp_path):
    path = write(tmp_path / "alpha.yaml", "alpha", [single("s-1", explanation="")])
    bank, problems = load_bank(path, CHAPTERS)
    assert bank.questions == () and [(p.level, p.message) for p in problems] == [("error", "[s-1] 缺少 explanation（解析）")]


def test_check_passes_with_warnings_and_lists_them(fixture_app, tmp_path):
    import shutil

    from tests.conftest import FIXTURES

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    term = {"id": "t-9", "type": "term", "stem": "客户", "reference_answer": "购买产品的人", "source": "import"}
    write(content / "questions" / "imported.yaml", "alpha", [term], imported_from="a.xlsx")
    result = fixture_app.test_cli_runner().invoke(args=["check", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert "警告：[t-9] 缺少 key_points（得分点）" in result.output
    assert "3 条警告" in result.output
