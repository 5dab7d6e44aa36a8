"""Results and item statistics as tables, written as CSV (UTF-8 with BOM, so Excel shows Chinese)
or .xlsx (openpyxl). Pure: values in, bytes out."""
from __future__ import annotations

import csv
import io

from quizzes.model import Question
from quizzes.types import LETTERS, TYPES

from .analysis import Analysis
from .forms import local_text
from .results import AttemptRow

Table = tuple[list[str], list[list]]


def results_table(roster: list[dict], best: dict[str, AttemptRow], attempts_per_student: dict[str, int],
                  sections: list[str]) -> Table:
    """Every student of the class, as a gradebook wants them: the score that counts, or blanks for one who
    has not handed in. Times are Beijing time as the pages show them; a section not on a paper is blank."""
    header = ["学号", "姓名", "作答次数", "交卷时间", "总分", "满分", *(TYPES[s].label if s in TYPES else s for s in sections)]
    names = {s["student_no"]: s["name"] for s in roster} | {no: a.name for no, a in best.items()}
    rows = []
    for student_no in sorted(names):
        a = best.get(student_no)
        if a is None:
            rows.append([student_no, names[student_no], attempts_per_student.get(student_no, 0), None, None, None,
                         *(None for _ in sections)])
            continue
        by_section = a.sections()
        rows.append([a.student_no, a.name, attempts_per_student.get(student_no, 1), local_text(a.submitted_at), a.score,
                     a.max_score, *(round(by_section[s][0], 1) if s in by_section else None for s in sections)])
    return header, rows


def _round(value: float | None, digits: int = 3):
    return None if value is None else round(value, digits)


def analysis_table(analysis: Analysis, by_key: dict[str, Question]) -> Table:
    header = ["题目", "题型", "题干", "版本", "作答人数", "通过率（难度）", "区分度（高低27%）", "点二列相关", "选项分布"]
    rows = []
    for s in analysis.items:
        q = by_key.get(s.question_key)
        counts = "；".join(f"{LETTERS[i]} {n}" for i, n in enumerate(s.option_counts)) if s.option_counts else ""
        rows.append([s.question_key, TYPES[s.type].label if s.type in TYPES else s.type,
                     (q.stem or q.knowledge_point)[:80] if q else "", s.version, s.n, _round(s.facility),
                     _round(s.discrimination), _round(s.point_biserial), counts])
    rows.append(["克隆巴赫 α", "", "", "", analysis.n_students, _round(analysis.alpha), "", "", ""])
    return header, rows


FORMULA_START = ("=", "+", "-", "@")


def _csv_cell(value):
    """Text that a spreadsheet would run as a formula (a student named =HYPERLINK(…)) is kept as text."""
    if value is None:
        return ""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table[0])
    writer.writerows([_csv_cell(v) for v in row] for row in table[1])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table, sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append(table[0])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table[1]:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"      # text, never a formula
    ws.freeze_panes = "A2"
    for column in ws.columns:
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
