"""Class rosters from CSV or .xlsx: columns 学号 and 姓名 (header row required). Pure parsing."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

MAX_ROWS = 2000
STUDENT_NO_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
NO_HEADERS = ("学号", "student_no", "学生学号")
NAME_HEADERS = ("姓名", "name", "学生姓名")


class RosterError(ValueError):
    """A roster file that cannot be read; the message says which row and why."""


@dataclass(frozen=True)
class Student:
    student_no: str
    name: str


def clean_student_no(value) -> str:
    """学号 as text: Excel gives 2023001 as an int or 2023001.0; full-width digits are normalised."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()


def student_no_problem(student_no: str) -> str | None:
    if not STUDENT_NO_RE.match(student_no):
        return "学号须为 1–20 位字母或数字"
    return None


def clean_name(value) -> str:
    """One line of text as typed (Chinese punctuation kept), control characters dropped, runs of spaces as one."""
    text = str(value if value is not None else "")
    return " ".join("".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace()).split())


def same_name(a: str, b: str) -> bool:
    """A roster's "张 三" is the student's "张三": spaces inside a Chinese name are typing, not the name."""
    return "".join(a.split()) == "".join(b.split())


def name_problem(name: str) -> str | None:
    if not 1 <= len(name) <= 30:
        return "姓名须为 1–30 个字"
    return None


def parse_roster(filename: str, data: bytes) -> list[Student]:
    """Students in file order; raises RosterError naming the row for anything unreadable."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        rows = _csv_rows(data)
    elif lower.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    else:
        raise RosterError("名单须为 .csv 或 .xlsx 文件。")
    return _students(rows)


def _csv_rows(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError("无法识别文件编码，请另存为 UTF-8 的 CSV。")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        raise RosterError("无法读取这个 Excel 文件：它可能已损坏，或不是 .xlsx 格式（请在 Excel 中另存为 .xlsx 或 .csv）。") from None
    sheet = book.worksheets[0]
    rows = [list(row) for _, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True))]
    book.close()
    return rows


def _students(rows: list[list]) -> list[Student]:
    rows = [r for r in rows if any(clean_name(c) for c in r)]
    if not rows:
        raise RosterError("名单是空的。")
    header = [clean_name(c) for c in rows[0]]
    try:
        no_col = next(i for i, h in enumerate(header) if h in NO_HEADERS)
        name_col = next(i for i, h in enumerate(header) if h in NAME_HEADERS)
    except StopIteration:
        raise RosterError("第 1 行须为表头，含“学号”和“姓名”两列。") from None
    if len(rows) - 1 > MAX_ROWS:
        raise RosterError(f"名单最多 {MAX_ROWS} 人。")
    students, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (max(no_col, name_col) + 1 - len(row))
        no, name = clean_student_no(cells[no_col]), clean_name(cells[name_col])
        problem = student_no_problem(no) or name_problem(name)
        if problem:
            raise RosterError(f"第 {line} 行：{problem}（学号“{no}”，姓名“{name}”）。")
        if no in seen:
            raise RosterError(f"第 {line} 行：学号 {no} 与第 {seen[no]} 行重复。")
        seen[no] = line
        students.append(Student(no, name))
    if not students:
        raise RosterError("名单里没有学生。")
    return students
