"""学习通-style spreadsheets (.xlsx): one question per row under a header row with 题型, 题干, 选项A…,
答案, 解析 (and optionally 得分点). Rows are reported by the number Excel shows."""
from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

from . import cn
from .common import Note, Parsed

HEADERS = {"题型": "type", "题目类型": "type", "题干": "stem", "题目": "stem", "试题内容": "stem",
           "答案": "answer", "正确答案": "answer", "参考答案": "answer", "解析": "explanation",
           "答案解析": "explanation", "试题解析": "explanation", "得分点": "points", "评分要点": "points"}


def _columns(row: tuple) -> dict[str, int] | None:
    """Column index of each known header in a row, or None when the row is not the header."""
    found, options = {}, {}
    for index, cell in enumerate(row):
        name = re.sub(r"\s", "", str(cell or ""))
        option = re.fullmatch(r"(?:选项)?([A-H])", name.upper())
        if option:
            options[option[1]] = index
        elif name in HEADERS and HEADERS[name] not in found:
            found[HEADERS[name]] = index
    if "stem" not in found:
        return None
    found.update({f"option {letter}": i for letter, i in sorted(options.items())})
    return found


def _cell(row: tuple, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return "对" if value else "错"
    return str(value).strip()


def _row(row: tuple, cols: dict[str, int], default_type: str | None) -> dict:
    label = _cell(row, cols.get("type"))
    qtype = cn.type_of(label) if label else default_type
    if qtype is None:
        raise ValueError(cn.unsupported_reason(label) if label else "缺少题型")
    options = [_cell(row, i) for key, i in cols.items() if key.startswith("option ")]
    while options and not options[-1]:
        options.pop()
    if "" in options:
        raise ValueError("选项中间有空白")
    return cn.build(qtype, _cell(row, cols.get("stem")), options, _cell(row, cols.get("answer")),
                    _cell(row, cols.get("explanation")), _cell(row, cols.get("points")))


def parse(data: bytes) -> Parsed:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return Parsed((), (Note("文件", "无法作为 .xlsx 表格打开：文件可能已损坏，或不是 .xlsx 格式（请在 Excel 中另存为 .xlsx）。"),))
    questions, notes = [], []
    for ws in book.worksheets:
        prefix = f"工作表“{ws.title}”" if len(book.worksheets) > 1 else ""
        cols = None
        for number, row in enumerate(ws.iter_rows(values_only=True), 1):
            if not any(v is not None and str(v).strip() for v in row):
                continue
            if cols is None:
                cols = _columns(row)
                continue
            where = f"{prefix}第 {number} 行"
            try:
                questions.append({**_row(row, cols, cn.type_of(ws.title)), "where": where})
            except ValueError as exc:
                notes.append(Note(where, str(exc)))
        if cols is None and ws.max_row and ws.max_row > 1:
            notes.append(Note(prefix or "表格", "找不到表头（须有“题干”列，以及 题型、选项A…、答案、解析）"))
    book.close()
    return Parsed(tuple(questions), tuple(notes))
