"""Imports of the fixture files in every format: what is read, and every question left out reported
with where it is and why."""
import shutil
from pathlib import Path

import pytest
import yaml

from interop import FORMATS
from interop.importer import build_bank, id_prefix
from quizzes.bank import load_bank
from tests.conftest import FIXTURES

HERE = FIXTURES / "interop"


def read(name: str, fmt: str):
    parsed = FORMATS[fmt].parse((HERE / name).read_bytes())
    built = build_bank(parsed, "alpha", name, "imp", taken={"imp-001"}, anchors={"formula"})
    return built, [(q["type"], q["stem"], q.get("options"), q.get("answer"), q.get("blanks"), q.get("reference_answer"))
                   for q in built.bank["questions"]], [str(n) for n in built.notes]


def test_spreadsheet_rows_are_read_and_bad_rows_reported_by_excel_row_number():
    built, questions, notes = read("xuexitong.xlsx", "xlsx")
    assert questions == [
        ("single", "在客户满意度公式 C=b/a 中，b 代表（　）。", ["客户满意度", "客户感知的实际体验", "客户忠诚度", "客户的期望值"], "B", None, None),
        ("multiple", "卡诺模型把质量分为（　）。", ["当然质量", "期望质量", "迷人质量", "虚拟质量"], "ABC", None, None),
        ("true_false", "客户满意就一定会带来客户忠诚。", None, False, None, None),
        ("true_false", "忠诚客户的推荐可信度高、成本低。", None, True, None, None),
        ("fill_blank", "客户关系的发展分为____、____、稳定期和退化期。", None, None, [["考察期"], ["形成期"]], None),
        ("fill_blank", "RFM 中的 R 指最近一次消费（____）。", None, None, [["Recency"]], None),
        ("term", "客户终身价值", None, None, None, "客户在整个生命周期内为企业带来的收益之和的现值。"),
        ("short_answer", "简述客户满意与客户忠诚的关系。", None, None, None, "满意是忠诚的基础，但满意不一定忠诚。"),
    ]
    assert notes == [
        "第 13 行：判断题答案“可能”看不懂（应为 对/错、√/× 或 正确/错误）",
        "第 14 行：不支持的题型：计算题（请手工录入）",
        "第 15 行：题干中有 2 个空，答案却有 1 个",
        "第 16 行：缺少题干",
        "第 17 行：选项中间有空白",
        "第 12 行：答案 E 超出选项范围（共 4 个选项）",
    ]
    assert built.bank["questions"][6]["key_points"] == [
        {"text": "整个生命周期", "points": 2}, {"text": "现值", "points": 1, "aliases": ["折现"]}]
    assert [q["id"] for q in built.bank["questions"]][:2] == ["imp-002", "imp-003"]   # imp-001 is taken


def test_word_paper_sections_numbers_options_and_inline_answers():
    built, questions, notes = read("paper.docx", "docx")
    assert [(t, s, o, a) for t, s, o, a, *_ in questions[:3]] == [
        ("single", "在客户满意度公式 C=b/a 中，b 代表（ ）。", ["客户满意度", "客户感知的实际体验", "客户忠诚度", "客户的期望值"], "B"),
        ("single", "客户关系管理的核心是（　）。", ["产品", "客户", "价格", "渠道"], "B"),
        ("multiple", "卡诺模型把质量分为（ ）。", ["当然质量", "期望质量", "迷人质量", "虚拟质量"], "ABC"),
    ]
    assert [(t, a) for t, _, _, a, *_ in questions[3:6]] == [("true_false", False), ("true_false", True), ("true_false", True)]
    assert questions[6][4] == [["考察期"], ["形成期"]]
    assert questions[7][0] == "term" and questions[8][5] == "满意是忠诚的基础；\n但满意不一定忠诚。"
    assert built.bank["questions"][8]["explanation"] == "见第四章。"
    assert questions[9][:4] == ("single", "选项与题干在同一行的一道题（ ）", ["满意", "忠诚", "信任", "承诺"], "B")
    assert notes == ["一、单项选择题 第 3 题：缺少答案", "七、计算题 第 1 题：不支持的题型：计算题（请手工录入）",
                     "八、单项选择题 第 1 题：答案 D 超出选项范围（共 2 个选项）"]


def test_foreign_gift_file():
    _, questions, notes = read("foreign.gift", "gift")
    assert [(t, o, a, b) for t, _, o, a, b, _ in questions] == [
        ("single", ["客户感知的实际体验", "客户满意度", "客户忠诚度", "客户的期望值"], "A", None),
        ("multiple", ["当然质量", "期望质量", "迷人质量", "虚拟质量"], "ABC", None),
        ("true_false", None, False, None),
        ("fill_blank", None, None, [["考察期", "考察阶段"]]),
        ("short_answer", None, None, None),
    ]
    assert questions[0][1] == "在客户满意度公式 C=b/a 中，b 代表（ ）。"
    assert notes == [
        "第 19 行：数值题只有一组固定数据，本站的计算题须有生成器（generator），请手工改写",
        "第 21 行：不支持配对题（matching）",
        "第 23 行：找不到答案块 {…}",
        "第 25 行：花括号不配对：一道题只能有一个答案块 {…}（题目中的花括号请写成 \\{ \\}）",
    ]


def test_foreign_moodle_xml_file():
    _, questions, notes = read("foreign.xml", "moodle-xml")
    assert [(t, s, o, a, b) for t, s, o, a, b, _ in questions] == [
        ("single", "在客户满意度公式 C=b/a 中，b 代表（ ）。", ["客户满意度", "客户感知的实际体验", "客户的期望值"], "B", None),
        ("multiple", "卡诺模型把质量分为（ ）。", ["当然质量", "期望质量", "虚拟质量"], "AB", None),
        ("true_false", "客户满意就一定会带来客户忠诚。", None, False, None),
        ("fill_blank", "RFM 模型中的 F 指什么？____", None, None, [["消费频率", "Frequency"]]),
        ("short_answer", "简述客户满意与客户忠诚的关系。", None, None, None),
        ("fill_blank", "客户关系的发展分为____、____和稳定期。", None, None, [["考察期"], ["形成期"]]),
    ]
    assert notes == [
        "第 1 题“说明”：Moodle 的“描述”（description）不是题目，已跳过",
        "第 8 题“完形选择”：Cloze 中的 MULTICHOICE 子题不是填空，暂不支持",
        "第 9 题“配对题”：不支持的 Moodle 题型：matching",
        "第 10 题“数值”：数值题（numerical）只有一组固定数据，本站的计算题须有生成器（generator），请手工改写",
        "第 11 题“两个都对”：判断题没有唯一的正确答案",
    ]


@pytest.mark.parametrize("fmt, data, reason", [
    ("moodle-xml", (HERE / "broken.xml").read_bytes(), "不是有效的 Moodle XML"),
    ("moodle-xml", b"<html></html>", "根元素应为 <quiz>"),
    ("xlsx", b"not a zip", "无法作为 .xlsx 表格打开"),
    ("docx", b"not a zip", "无法作为 .docx 文档打开"),
    ("gift", "题目".encode("gbk"), "GIFT 文件须为 UTF-8 编码"),
    ("json", b"{}", "缺少"),
    ("json", b"{oops", "不是本站导出的 JSON 题库（第 1 行第 2 列格式有误）"),
])
def test_unreadable_files_say_why(fmt, data, reason):
    parsed = FORMATS[fmt].parse(data)
    assert parsed.questions == () and len(parsed.notes) == 1 and reason in str(parsed.notes[0])
    for english in ("Expecting", "zip file", "element found", "line 1, column", "Error"):   # no Python error text
        assert english not in str(parsed.notes[0])


@pytest.mark.parametrize("name, expected", [("satisfaction-2023", "satisfaction-2023"), ("期中试卷", "imported"),
                                            ("Quiz_1", "quiz-1")])
def test_id_prefix(name, expected):
    assert id_prefix(name) == expected


def test_written_bank_loads_with_warnings_for_what_to_complete(tmp_path):
    built, _, _ = read("paper.docx", "docx")
    path = tmp_path / "paper.yaml"
    path.write_text(built.yaml(), encoding="utf-8")
    bank, problems = load_bank(path, {"alpha": {"formula"}})
    assert len(bank.questions) == len(built.bank["questions"]) == 10
    assert {p.level for p in problems} == {"warning"}
    assert "[imp-002] 缺少 section（对应的教材小节）" in [p.message for p in problems]


def _content_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    return content


def test_import_command_writes_a_bank_that_passes_check(fixture_app, tmp_path):
    content = _content_copy(tmp_path)
    fixture_app.config["CONTENT_DIR"] = str(content)
    out = content / "questions" / "alpha-from-excel.yaml"
    runner = fixture_app.test_cli_runner()
    result = runner.invoke(args=["import", str(HERE / "xuexitong.xlsx"), "--chapter", "alpha", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已导入 8 题" in result.output and "未导入 第 13 行：判断题答案“可能”看不懂" in result.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["chapter"] == "alpha"
    check = runner.invoke(args=["check", "--content", str(content)])
    assert check.exit_code == 0, check.output
    assert "警告：[alpha-from-excel-001] 缺少 section（对应的教材小节）" in check.output


def test_import_command_can_write_a_teacher_only_bank(fixture_app, tmp_path):
    content = _content_copy(tmp_path)
    fixture_app.config["CONTENT_DIR"] = str(content)
    out = content / "questions" / "alpha-quiz-only.yaml"
    result = fixture_app.test_cli_runner().invoke(
        args=["import", str(HERE / "xuexitong.xlsx"), "--chapter", "alpha", "--out", str(out), "--teacher-only"])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["visibility"] == "assignment"


def test_import_command_fails_only_when_nothing_could_be_read(fixture_app, tmp_path):
    content = _content_copy(tmp_path)
    fixture_app.config["CONTENT_DIR"] = str(content)
    out = content / "questions" / "broken.yaml"
    result = fixture_app.test_cli_runner().invoke(
        args=["import", str(HERE / "broken.xml"), "--chapter", "alpha", "--out", str(out)])
    assert result.exit_code == 1 and "没有读到任何题目" in result.output and not out.exists()


def test_import_command_refuses_an_unknown_chapter_and_an_existing_file(fixture_app, tmp_path):
    runner = fixture_app.test_cli_runner()
    unknown = runner.invoke(args=["import", str(HERE / "foreign.gift"), "--chapter", "nope", "--out", str(tmp_path / "x.yaml")])
    assert unknown.exit_code == 2 and "没有这一章：nope" in unknown.output
    (tmp_path / "x.yaml").write_text("keep", encoding="utf-8")
    exists = runner.invoke(args=["import", str(HERE / "foreign.gift"), "--chapter", "alpha", "--out", str(tmp_path / "x.yaml")])
    assert exists.exit_code == 2 and (tmp_path / "x.yaml").read_text(encoding="utf-8") == "keep"


def test_a_numbered_answer_or_explanation_stays_with_its_question():
    import io

    import docx

    document = docx.Document()
    for line in ["一、单项选择题", "1．客户关系管理的核心是（　）。", "A．产品 B．客户", "答案：B",
                 "解析：理由有两点：", "1．客户是利润的来源；", "2．产品围绕客户设计。",
                 "2．客户满意度公式中 b 代表（　）。", "A．期望 B．体验", "答案：B",
                 "二、简答题", "1．简述客户关系管理的作用。", "答案：客户关系管理的作用主要有：", "1．提高客户满意度和忠诚度；",
                 "2．降低营销和服务成本；", "3．增加企业收入。", "解析：见第一章。",
                 "2．简述客户满意的层次。", "参考答案：一、纵向层次：物质、精神、社会满意；",
                 "二、横向层次：企业理念满意、行为满意等。", "3．简述客户流失的原因。", "参考答案：企业原因和客户原因。"]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    parsed = FORMATS["docx"].parse(out.getvalue())
    assert parsed.notes == ()
    got = [(q["type"], q["stem"], q.get("answer") or q.get("reference_answer"), q.get("explanation", "")) for q in parsed.questions]
    assert got == [
        ("single", "客户关系管理的核心是（ ）。", "B", "理由有两点：\n1．客户是利润的来源；\n2．产品围绕客户设计。"),
        ("single", "客户满意度公式中 b 代表（ ）。", "B", ""),
        ("short_answer", "简述客户关系管理的作用。",
         "客户关系管理的作用主要有：\n1．提高客户满意度和忠诚度；\n2．降低营销和服务成本；\n3．增加企业收入。", "见第一章。"),
        ("short_answer", "简述客户满意的层次。", "一、纵向层次：物质、精神、社会满意；\n二、横向层次：企业理念满意、行为满意等。", ""),
        ("short_answer", "简述客户流失的原因。", "企业原因和客户原因。", ""),
    ]


def test_a_spreadsheet_type_that_disagrees_with_its_key_is_reported_and_a_full_width_letter_is_read():
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in (["题型", "题干", "选项A", "选项B", "选项C", "答案"],
                ["单选题", "标成单选的一道多选（　）。", "甲", "乙", "丙", "AB"],
                ["多选题", "只有一个答案的多选（　）。", "甲", "乙", "丙", "B"],
                ["单选题", "全角字母的答案（　）。", "甲", "乙", "丙", "Ｂ"]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    built = build_bank(FORMATS["xlsx"].parse(out.getvalue()), "alpha", "x.xlsx", "imp", taken=set(), anchors=set())
    assert [(q["type"], q["answer"]) for q in built.bank["questions"]] == [("multiple", "AB"), ("single", "B"), ("single", "B")]
    assert [str(n) for n in built.changes] == ["第 2 行：标为单选题，答案却是 AB，已按多选题导入，请核对",
                                               "第 3 行：标为多选题，答案却是 B，已按单选题导入，请核对"]
    assert built.notes == ()


def test_a_moodle_single_choice_with_partial_credit_keeps_its_full_credit_key_and_says_so():
    xml = """<?xml version="1.0"?><quiz><question type="multichoice"><name><text>部分得分</text></name>
      <questiontext format="html"><text>客户满意度公式中 b 代表（ ）。</text></questiontext><single>true</single>
      <answer fraction="100"><text>实际体验</text></answer><answer fraction="50"><text>感知</text></answer>
      <answer fraction="0"><text>期望</text></answer></question></quiz>""".encode()
    built = build_bank(FORMATS["moodle-xml"].parse(xml), "alpha", "m.xml", "imp", taken=set(), anchors=set())
    assert [(q["type"], q["answer"]) for q in built.bank["questions"]] == [("single", "A")]
    assert [n.reason for n in built.changes] == ["选项 B（50%）在 Moodle 中有部分得分，本站单选题只认满分选项 A"]


def test_a_moodle_short_answer_partial_alternative_is_reported_not_dropped_silently():
    xml = """<?xml version="1.0"?><quiz><question type="shortanswer"><name><text>阶段</text></name>
      <questiontext format="html"><text>客户关系的第一个阶段是____。</text></questiontext>
      <answer fraction="100"><text>考察期</text></answer><answer fraction="50"><text>初期</text></answer></question></quiz>""".encode()
    built = build_bank(FORMATS["moodle-xml"].parse(xml), "alpha", "m.xml", "imp", taken=set(), anchors=set())
    assert built.bank["questions"][0]["blanks"] == [["考察期"]]
    assert [n.reason for n in built.changes] == ["部分得分的答案 “初期”（50%）没有导入：本站填空只收满分答案"]
