"""Word papers (.docx) in the common Chinese layout:

    一、单项选择题（每题1分，共20分）
    1．客户满意度公式 C=b/a 中，b 代表（　）。
    A．满意度  B．实际体验
    C．忠诚度  D．期望值
    答案：B
    解析：……

Sections 一、二、… name the type; questions are numbered 1．/1./1、; options A．… one per line or several
on a line; 答案：/解析：/得分点： lines follow. An answer may also stand in the stem's brackets,
（B） or （√）. Each question is reported by section and number."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import docx

from . import cn
from .common import Note, Parsed

SECTION = re.compile(r"^[一二三四五六七八九十]+\s*[、．.]\s*(.+)$")
NUMBER = re.compile(r"^(\d{1,3})\s*[．.、）)]\s*(.*)$")
OPTION = re.compile(r"(?:^|(?<=\s))([A-H])\s*[．.、:：)）]\s*")
FIELD = re.compile(r"^(答案|参考答案|正确答案|解析|答案解析|得分点|评分要点)\s*[:：]\s*(.*)$")
FIELD_NAMES = {"答案": "answer", "参考答案": "answer", "正确答案": "answer", "解析": "explanation",
               "答案解析": "explanation", "得分点": "points", "评分要点": "points"}
INLINE_KEY = re.compile(r"[（(]\s*([A-H]{1,8}|[√×✓✗对错])\s*[)）]")


@dataclass
class _Draft:
    section: str
    qtype: str | None
    number: str
    stem: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    last: str = "stem"

    @property
    def where(self) -> str:
        return f"{self.section} 第 {self.number} 题" if self.section else f"第 {self.number} 题"


def _options(line: str) -> list[str] | None:
    """Option texts when the line is made of options (A．… B．…), else None."""
    marks = list(OPTION.finditer(line))
    if not marks or marks[0].start() != 0:
        return None
    letters = [m[1] for m in marks]
    if letters != [chr(ord(letters[0]) + i) for i in range(len(letters))]:
        return None
    ends = [m.start() for m in marks[1:]] + [len(line)]
    return [line[m.end():end].strip() for m, end in zip(marks, ends)]


def _split_inline_options(text: str) -> tuple[str, list[str]]:
    """A stem with its options on the same line (1．……（　）A．甲 B．乙): (stem, options)."""
    start = re.search(r"(?<=[\s）)])A\s*[．.、]", text)
    options = _options(text[start.start():]) if start else None
    return (text[:start.start()].rstrip(), options) if options and len(options) >= 2 else (text, [])


def _finish(draft: _Draft) -> dict:
    if draft.qtype is None:
        raise ValueError(cn.unsupported_reason(draft.section) if draft.section else "不在任何大题（一、二、…）下，看不出题型")
    stem = "\n".join(draft.stem).strip()
    answer = draft.fields.get("answer", "")
    if not answer and draft.qtype in ("single", "multiple", "true_false"):
        inline = INLINE_KEY.search(stem)
        if inline:
            answer = inline[1]
            stem = stem[:inline.start()] + "（　）" + stem[inline.end():]
    return cn.build(draft.qtype, stem, draft.options, answer, draft.fields.get("explanation", ""),
                    draft.fields.get("points", ""))


def _inside_field(draft: _Draft, lines: list[str], at: int, heading, numbered) -> bool:
    """Whether a numbered or 一、 line that follows 答案：/解析： is part of that text, not the next question
    or section. A section heading names a question type; a question brings its own options or 答案： before
    the next numbered line. A list inside an answer (1．… 2．…) is read as such; ambiguous lines are
    decided by what follows them."""
    if heading and not numbered:   # 二、横向层次：… inside an answer names no 题型 (七、计算题 does, though unsupported)
        return cn.type_of(heading[1]) is None and "题" not in re.split(r"[（(：:]", heading[1])[0]
    if not numbered:
        return False
    for line in lines[at + 1:]:
        if NUMBER.match(line) or SECTION.match(line):
            break
        found = FIELD.match(line)
        if _options(line) or (found and (FIELD_NAMES[found[1]] == "answer" or FIELD_NAMES[found[1]] in draft.fields)):
            return False                                  # options or an answer of its own: a question
    if _split_inline_options(numbered[2])[1]:
        return False
    return int(numbered[1]) != int(draft.number) + 1 or _list_continues(draft, int(numbered[1]))


def _list_continues(draft: _Draft, number: int) -> bool:
    """The field already holds a list 1．… that `number` continues."""
    items = [int(m[1]) for m in (NUMBER.match(part) for part in draft.fields[draft.last].split("\n")[1:]) if m]
    return bool(items) and items[0] == 1 and number == items[-1] + 1


def _lines(document) -> list[str]:
    lines = []
    for paragraph in document.paragraphs:
        lines.extend(part.strip() for part in paragraph.text.replace("\u3000", " ").split("\n"))
    return [line for line in lines if line]


def parse(data: bytes) -> Parsed:
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return Parsed((), (Note("文件", "无法作为 .docx 文档打开：文件可能已损坏，或是旧的 .doc 格式（请在 Word 中另存为 .docx）。"),))
    questions, notes = [], []
    section, qtype, draft = "", None, None

    def close() -> None:
        if draft is None:
            return
        try:
            questions.append({**_finish(draft), "where": draft.where})
        except ValueError as exc:
            notes.append(Note(draft.where, str(exc)))

    lines = _lines(document)
    for at, line in enumerate(lines):
        heading = SECTION.match(line)
        numbered = NUMBER.match(line)
        field_line = FIELD.match(line)
        options = _options(line) if draft is not None else None
        if draft is not None and draft.last in FIELD_NAMES.values() and _inside_field(draft, lines, at, heading, numbered):
            draft.fields[draft.last] += "\n" + line      # 1．… 2．… or 二、… lines of a numbered answer or 解析
        elif heading and not numbered:
            close()
            draft = None
            section = re.split(r"[（(]", line)[0].strip()
            qtype = cn.type_of(heading[1])
        elif numbered:
            close()
            stem, inline_options = _split_inline_options(numbered[2])
            draft = _Draft(section, qtype, numbered[1], [stem], inline_options, last="options" if inline_options else "stem")
        elif draft is None:
            continue                       # title, instructions: text before the first question
        elif field_line:
            draft.last = FIELD_NAMES[field_line[1]]
            draft.fields[draft.last] = field_line[2]
        elif options and draft.last in ("stem", "options"):
            draft.options.extend(options)
            draft.last = "options"
        elif draft.last == "stem":
            draft.stem.append(line)
        elif draft.last == "options":
            draft.options[-1] += line
        else:
            draft.fields[draft.last] += "\n" + line
    close()
    if not questions and not notes:
        notes.append(Note("文件", "没有找到编号的题目（如“一、单项选择题”下的“1．…”）"))
    return Parsed(tuple(questions), tuple(notes))
