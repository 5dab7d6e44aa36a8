"""Reading questions as Chinese teachers write them (学习通 spreadsheets, Word papers): type names,
blanks, 对/错 answers, letter answers. Shared by sheet.py and word.py."""
from __future__ import annotations

import re
import unicodedata

from .common import parse_points

TYPE_NAMES = (   # longest first: 多项选择 before 选择
    ("单项选择", "single"), ("单选", "single"), ("多项选择", "multiple"), ("多选", "multiple"),
    ("不定项选择", "multiple"), ("判断", "true_false"), ("是非", "true_false"), ("填空", "fill_blank"),
    ("名词解释", "term"), ("概念解释", "term"), ("简答", "short_answer"), ("问答", "short_answer"),
    ("论述", "short_answer"), ("案例分析", "case"), ("案例", "case"), ("材料分析", "case"),
)
UNSUPPORTED = ("计算", "连线", "配对", "排序", "完形", "听力", "阅读理解")
TRUE_WORDS = {"对", "√", "✓", "✔", "正确", "是", "t", "true", "y", "yes"}
FALSE_WORDS = {"错", "×", "✗", "✘", "x", "错误", "否", "f", "false", "n", "no"}
BLANK_MARK = re.compile(r"_{3,}|＿{2,}|[（(][\s\u3000]*[)）]")


def type_of(label: str) -> str | None:
    """Our type name for a Chinese type label (单选题, 一、多项选择题（每题2分）…), or None."""
    label = re.sub(r"\s", "", label or "")
    return next((name for word, name in TYPE_NAMES if word in label), None)


def unsupported_reason(label: str) -> str:
    found = next((w for w in UNSUPPORTED if w in (label or "")), None)
    return f"不支持的题型：{found}题（请手工录入）" if found else f"看不懂的题型：“{(label or '').strip()[:20]}”"


def true_false(text: str) -> bool:
    value = re.sub(r"[\s（）()。.]", "", str(text)).lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(f"判断题答案“{text}”看不懂（应为 对/错、√/× 或 正确/错误）")


def letters(text: str) -> str:
    value = re.sub(r"[\s,，、;；/|]", "", unicodedata.normalize("NFKC", str(text))).upper()   # Ｂ typed full-width is B
    if not value or not re.fullmatch(r"[A-H]+", value):
        raise ValueError(f"选择题答案“{text}”不是选项字母（如 B 或 ABD）")
    return "".join(sorted(set(value)))


def blank_answers(text: str) -> list[list[str]]:
    return [[part.strip()] for part in re.split(r"[；;|｜]", str(text)) if part.strip()]


def build(qtype: str, stem: str, options: list[str], answer: str, explanation: str = "",
          points: str = "") -> dict:
    """A normal-form question from the cells or lines of one question; ValueError says what is wrong."""
    stem = stem.strip()
    if not stem:
        raise ValueError("缺少题干")
    raw: dict = {"type": qtype, "stem": stem}
    answer = str(answer or "").strip()
    if qtype in ("single", "multiple"):
        if not options:
            raise ValueError("选择题没有选项")
        key = letters(answer) if answer else ""
        if not key:
            raise ValueError("缺少答案")
        raw["type"] = "single" if len(key) == 1 else "multiple"   # a 多选 has two answers or more (bank rule)
        if raw["type"] != qtype:
            label = {"single": "单选题", "multiple": "多选题"}
            raw["change"] = f"标为{label[qtype]}，答案却是 {key}，已按{label[raw['type']]}导入，请核对"
        raw.update(options=options, answer=key)
    elif qtype == "true_false":
        if not answer:
            raise ValueError("缺少答案")
        raw["answer"] = true_false(answer)
    elif qtype == "fill_blank":
        blanks = blank_answers(answer)
        if not blanks:
            raise ValueError("缺少答案")
        stem = BLANK_MARK.sub("____", stem)
        marked = len(re.findall(r"_{4,}", stem))
        if marked == 0 and len(blanks) == 1:
            stem += "____"
        elif marked != len(blanks):
            raise ValueError(f"题干中有 {marked} 个空，答案却有 {len(blanks)} 个")
        raw.update(stem=stem, blanks=blanks)
    else:
        if not answer:
            raise ValueError("缺少参考答案")
        raw["reference_answer"] = answer
        if points.strip():
            raw["key_points"] = parse_points(points)
    if explanation.strip():
        raw["explanation"] = explanation.strip()
    return raw
