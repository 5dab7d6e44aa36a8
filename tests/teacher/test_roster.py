import io

import pytest
from openpyxl import Workbook

from teacher.roster import RosterError, Student, parse_roster


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_with_bom_and_extra_columns():
    data = "\ufeff序号,学号,姓名\n1,2023001,张三\n2,2023002, 李 四 \n".encode("utf-8")
    assert parse_roster("名单.csv", data) == [Student("2023001", "张三"), Student("2023002", "李 四")]


def test_csv_saved_by_excel_in_gbk():
    data = "姓名,学号\n王五,2023003\n".encode("gb18030")
    assert parse_roster("x.CSV", data) == [Student("2023003", "王五")]


def test_control_characters_are_not_part_of_a_name():
    data = "学号,姓名\n2023001,\x00张\u200b三\x01\n".encode()
    assert parse_roster("a.csv", data) == [Student("2023001", "张三")]


def test_xlsx_numbers_become_student_numbers():
    data = xlsx([["学号", "姓名"], [2023001, "张三"], [2023002.0, "李四"], [None, None], ["２０２３００３", "赵六"]])
    assert parse_roster("class.xlsx", data) == [
        Student("2023001", "张三"), Student("2023002", "李四"), Student("2023003", "赵六")]


@pytest.mark.parametrize("name, data, reason", [
    ("a.csv", "学号,名字\n1,张三\n".encode(), "第 1 行须为表头"),
    ("a.csv", "学号,姓名\n2023001,张三\n2023001,李四\n".encode(), "第 3 行：学号 2023001 与第 2 行重复"),
    ("a.csv", "学号,姓名\n20 23,张三\n".encode(), "第 2 行：学号须为"),
    ("a.csv", "学号,姓名\n2023001,\n".encode(), "第 2 行：姓名须为"),
    ("a.csv", b"", "名单是空的"),
    ("a.txt", b"x", "须为 .csv 或 .xlsx"),
    ("a.xlsx", b"not a zip", "无法读取这个 Excel 文件：它可能已损坏"),
    ("a.csv", "学号,姓名\n2023.006,x\n".encode(), "第 2 行：学号须为 1–20 位字母或数字（学号“2023.006”，姓名“x”）"),
    ("a.csv", "学号,姓名\n".encode(), "名单里没有学生"),
])
def test_bad_rosters_name_the_row_and_reason(name, data, reason):
    with pytest.raises(RosterError, match=reason):
        parse_roster(name, data)
