"""Moodle XML (as Moodle 4.x imports and exports it, question/format/xml): export and parse.

Mapping: single/multiple -> multichoice (fractions: 100 for the key; for 多选 100/k on each right option
and -100/(n-k) on each wrong one, so choosing everything scores 0), true_false -> truefalse, fill_blank
with one blank -> shortanswer, with several -> multianswer (Cloze, one SHORTANSWER per blank),
term/short_answer/case -> essay (解析 as general feedback, reference answer and 得分点 as grader info),
calculation -> numerical with one fixed variant. Our own type, id, section, generator, knowledge point,
difficulty and tags ride along as tags (crm-type:…, crm-tag:…) and <idnumber>, so a re-import restores
them; other Moodle files import without them.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml.ElementTree import fromstring
from defusedxml.common import DefusedXmlException

from quizzes.engine import make_variant
from quizzes.model import Question
from quizzes.selection import question_points
from quizzes.types import LETTERS, TYPES, count_blanks

from .common import (Exported, Group, Note, Parsed, any_order_text, any_order_value, html_to_text, parse_points,
                     points_text, text_to_html)

COURSE = "客户关系管理"
FIXED_SEED = 1        # the variant a calculation question is exported as


# ---- export ---------------------------------------------------------------------------------------

def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = value
    return el


def _plain(parent: ET.Element, tag: str, value: object) -> None:
    ET.SubElement(parent, tag).text = str(value)


def _head(quiz: ET.Element, question: Question, mtype: str, stem_html: str, points: float) -> ET.Element:
    el = ET.SubElement(quiz, "question", {"type": mtype})
    name = ET.SubElement(el, "name")
    ET.SubElement(name, "text").text = (question.stem or question.knowledge_point or question.id)[:60]
    _text(el, "questiontext", stem_html)
    _text(el, "generalfeedback", text_to_html(question.explanation))
    _plain(el, "defaultgrade", f"{points:g}")
    _plain(el, "penalty", "0")
    _plain(el, "hidden", "0")
    _plain(el, "idnumber", question.id)
    return el


def _tags(el: ET.Element, question: Question) -> None:
    tags = ET.SubElement(el, "tags")
    values = [f"crm-type:{question.type}"] + ([f"crm-section:{question.section}"] if question.section else [])
    values += [f"crm-generator:{question.generator}"] if question.generator else []
    values += [f"crm-any-order:{any_order_text(question)}"] if any_order_text(question) else []
    # what practice by knowledge point, flashcards (key-concept) and the draw by difficulty rely on
    values += [f"crm-knowledge-point:{question.knowledge_point}"] if question.knowledge_point else []
    values += [f"crm-difficulty:{question.difficulty}"] + [f"crm-tag:{tag}" for tag in question.tags]
    for value in values:
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = value


def _answer(el: ET.Element, fraction: float, text: str, fmt: str = "html") -> ET.Element:
    answer = ET.SubElement(el, "answer", {"fraction": f"{fraction:.7g}", "format": fmt})
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", "")
    return answer


def _choice(quiz, q: Question) -> None:
    single = TYPES[q.type].single
    el = _head(quiz, q, "multichoice", text_to_html(q.stem), 1)
    _plain(el, "single", "true" if single else "false")
    _plain(el, "shuffleanswers", "true")
    _plain(el, "answernumbering", "ABCD")
    right, wrong = len(q.answer), len(q.options) - len(q.answer)
    for i, option in enumerate(q.options):
        key = LETTERS[i] in q.answer
        fraction = 100 if single and key else (100 / right if key else (-100 / wrong if not single else 0))
        _answer(el, fraction, text_to_html(option))
    _tags(el, q)


def _true_false(quiz, q: Question) -> None:
    el = _head(quiz, q, "truefalse", text_to_html(q.stem), 1)
    for value in ("true", "false"):
        _answer(el, 100 if q.answer == value else 0, value, "moodle_auto_format")
    _tags(el, q)


def _cloze_escape(text: str) -> str:
    return re.sub(r'([}#~/"\\])', r"\\\1", text)


def _blanks(quiz, q: Question) -> None:
    if len(q.blanks) == 1:
        el = _head(quiz, q, "shortanswer", text_to_html(q.stem), 1)
        _plain(el, "usecase", "0")
        for accepted in q.blanks[0]:
            _answer(el, 100, accepted, "moodle_auto_format")
    else:
        fields = iter("{1:SHORTANSWER:" + "~".join("=" + _cloze_escape(a) for a in accepted) + "}" for accepted in q.blanks)
        stem = re.sub(r"_{4,}", lambda m: next(fields), text_to_html(q.stem))
        el = _head(quiz, q, "multianswer", stem, len(q.blanks))
    _tags(el, q)


def _essay(quiz, q: Question) -> None:
    el = _head(quiz, q, "essay", text_to_html(q.stem), question_points(q))
    for tag, value in (("responseformat", "editor"), ("responserequired", 1), ("responsefieldlines", 15),
                       ("attachments", 0), ("attachmentsrequired", 0)):
        _plain(el, tag, value)
    info = f"<p>参考答案：{text_to_html(q.reference_answer)}</p>"
    if q.key_points:
        info += f"<p>得分点：{text_to_html(points_text(q))}</p>"
    _text(el, "graderinfo", info)
    _text(el, "responsetemplate", "")
    _tags(el, q)


def _calculation(quiz, q: Question) -> None:
    variant = make_variant(q, FIXED_SEED)
    stem = variant.stem + (f"（单位：{variant.unit}）" if variant.unit else "")
    el = _head(quiz, q, "numerical", text_to_html(stem), 1)
    el.find("generalfeedback/text").text = text_to_html(variant.solution)
    answer = _answer(el, 100, f"{variant.expected:g}", "moodle_auto_format")
    _plain(answer, "tolerance", f"{variant.tolerance:g}")
    _tags(el, q)


WRITERS = {"choice": _choice, "true_false": _true_false, "blanks": _blanks, "essay": _essay,
           "calculation": _calculation}


def export(groups: list[Group]) -> Exported:
    quiz = ET.Element("quiz")
    notes = []
    for group in groups:
        cat = ET.SubElement(quiz, "question", {"type": "category"})
        _text(cat, "category", f"$course$/top/{COURSE}/{group.title}", None)
        _text(cat, "info", "")
        _plain(cat, "idnumber", group.chapter)
        for q in group.questions:
            WRITERS[TYPES[q.type].shape](quiz, q)
            if TYPES[q.type].shape == "calculation":
                notes.append(Note(f"[{q.id}]", "计算题导出为一组固定数据（numerical），Moodle 中不会每次换数"))
    ET.indent(quiz)
    body = ET.tostring(quiz, encoding="unicode")
    return Exported(('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode(), tuple(notes))


# ---- parse ----------------------------------------------------------------------------------------

def _get(el: ET.Element, path: str) -> str:
    found = el.find(path)
    return found.text or "" if found is not None else ""


def _tag_pairs(el: ET.Element) -> list[tuple[str, str]]:
    """(name, value) of each name:value tag, in order (crm-tag comes once per tag)."""
    return [(name, value) for name, _, value in ((t.text or "").partition(":") for t in el.findall("tags/tag/text"))]


def _answers(el: ET.Element) -> list[tuple[float, str]]:
    return [(float(a.get("fraction", "0")), html_to_text(_get(a, "text"))) for a in el.findall("answer")]


def _parse_choice(el: ET.Element, raw: dict) -> dict:
    answers = _answers(el)
    single = _get(el, "single").strip().lower() in ("true", "1")
    best = max((fraction for fraction, _ in answers), default=0)
    # 单选: the full-credit option is the key; Moodle's partial credit for another option has no place here
    credited = [(LETTERS[i], fraction) for i, (fraction, _) in enumerate(answers[:len(LETTERS)]) if fraction > 0]
    right = "".join(letter for letter, fraction in credited if not single or fraction == best)
    partial = [f"{letter}（{fraction:g}%）" for letter, fraction in credited if single and fraction < best]
    qtype = "single" if single or len(right) == 1 else "multiple"
    change = {"change": f"选项 {'、'.join(partial)}在 Moodle 中有部分得分，本站单选题只认满分选项 {right}"} if partial else {}
    return {**raw, "type": qtype, "options": [text for _, text in answers], "answer": right, **change}


def _parse_true_false(el: ET.Element, raw: dict) -> dict:
    right = [text.lower() for fraction, text in _answers(el) if fraction > 0]
    if right not in (["true"], ["false"]):
        raise ValueError("判断题没有唯一的正确答案")
    return {**raw, "type": "true_false", "answer": right[0] == "true"}


def _parse_short(el: ET.Element, raw: dict) -> dict:
    accepted = [text for fraction, text in _answers(el) if fraction >= 100 and text]
    if not accepted:
        raise ValueError("简答题（shortanswer）没有得满分的答案")
    stem = raw["stem"] if count_blanks(raw["stem"]) == 1 else raw["stem"].rstrip() + "____"
    partial = [f"“{text}”（{fraction:g}%）" for fraction, text in _answers(el) if 0 < fraction < 100 and text]
    change = {"change": f"部分得分的答案 {'、'.join(partial)}没有导入：本站填空只收满分答案"} if partial else {}
    return {**raw, "type": "fill_blank", "stem": stem, "blanks": [accepted], **change}


_CLOZE = re.compile(r"\{(\d*):(SHORTANSWER|SA|MW|SHORTANSWER_C|SAC|MWC|[A-Z_]+):((?:\\.|[^}\\])*)\}")


def _cloze_answers(body: str) -> list[str]:
    accepted = []
    for part in re.split(r"(?<!\\)~", body):
        part = re.sub(r"(?<!\\)#.*$", "", part)
        m = re.match(r"^(=|%100%)(.*)$", part, re.S)
        if m:
            accepted.append(re.sub(r"\\(.)", r"\1", m[2]).strip())
    return [a for a in accepted if a]


def _parse_cloze(el: ET.Element, raw: dict, stem_html: str) -> dict:
    blanks = []

    def blank(m: re.Match) -> str:
        if m[2] not in ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"):
            raise ValueError(f"Cloze 中的 {m[2]} 子题不是填空，暂不支持")
        accepted = _cloze_answers(m[3])
        if not accepted:
            raise ValueError("Cloze 空格没有得满分的答案")
        blanks.append(accepted)
        return "____"

    stem = html_to_text(_CLOZE.sub(blank, stem_html))
    if not blanks:
        raise ValueError("Cloze 题中没有空格")
    return {**raw, "type": "fill_blank", "stem": stem, "blanks": blanks}


def _parse_essay(el: ET.Element, raw: dict, tags: dict) -> dict:
    info = html_to_text(_get(el, "graderinfo/text"))
    reference, _, points = info.partition("得分点：")
    reference = re.sub(r"^参考答案：", "", reference.strip()).strip()
    qtype = tags.get("crm-type") if tags.get("crm-type") in ("term", "short_answer", "case") else "short_answer"
    out = {**raw, "type": qtype, "reference_answer": reference}
    if points.strip():
        out["key_points"] = parse_points(points.replace("\n", ""))
    return out


def _parse_numerical(el: ET.Element, raw: dict, tags: dict) -> dict:
    if tags.get("crm-generator"):
        return {"type": "calculation", "generator": tags["crm-generator"], **{k: v for k, v in raw.items() if k in ("id", "section", "where")}}
    raise ValueError("数值题（numerical）只有一组固定数据，本站的计算题须有生成器（generator），请手工改写")


def _question(el: ET.Element, where: str) -> dict:
    mtype = el.get("type")
    pairs = _tag_pairs(el)
    tags = dict(pairs)
    stem_html = _get(el, "questiontext/text")
    raw = {"where": where, "stem": html_to_text(stem_html)}
    explanation = html_to_text(_get(el, "generalfeedback/text"))
    if explanation:
        raw["explanation"] = explanation
    idnumber = _get(el, "idnumber").strip()
    if idnumber:
        raw["id"] = idnumber
    if tags.get("crm-section"):
        raw["section"] = tags["crm-section"]
    if mtype == "multichoice":
        out = _parse_choice(el, raw)
    elif mtype == "truefalse":
        out = _parse_true_false(el, raw)
    elif mtype == "shortanswer":
        out = _parse_short(el, raw)
    elif mtype == "multianswer":
        out = _parse_cloze(el, raw, stem_html)
    elif mtype == "essay":
        out = _parse_essay(el, raw, tags)
    elif mtype == "numerical":
        out = _parse_numerical(el, raw, tags)
    elif mtype == "description":
        raise ValueError("Moodle 的“描述”（description）不是题目，已跳过")
    else:
        raise ValueError(f"不支持的 Moodle 题型：{mtype}")
    if "crm-any-order" in tags:
        out["any_order"] = any_order_value(tags["crm-any-order"])
    if tags.get("crm-knowledge-point"):
        out["knowledge_point"] = tags["crm-knowledge-point"]
    if tags.get("crm-difficulty", "") in ("1", "2", "3"):
        out["difficulty"] = int(tags["crm-difficulty"])
    listed = [value for name, value in pairs if name == "crm-tag"]
    if listed:
        out["tags"] = listed
    return out


def parse(data: bytes) -> Parsed:
    try:
        root = fromstring(data)
    except (ET.ParseError, DefusedXmlException) as exc:
        line = getattr(exc, "position", None)
        where = f"（第 {line[0]} 行附近格式有误）" if line else ""
        return Parsed((), (Note("文件", f"不是有效的 Moodle XML{where}，请确认是从 Moodle 题库导出的 XML 文件。"),))
    if root.tag != "quiz":
        return Parsed((), (Note("文件", f"根元素应为 <quiz>，实际为 <{root.tag}>"),))
    questions, notes, categories = [], [], []
    number = 0
    for el in root.findall("question"):
        if el.get("type") == "category":
            categories.append(_get(el, "category/text").rsplit("/", 1)[-1])
            continue
        number += 1
        title = _get(el, "name/text").strip()
        where = f"第 {number} 题“{title[:30]}”" if title else f"第 {number} 题"
        try:
            questions.append(_question(el, where))
        except (ValueError, AttributeError) as exc:
            notes.append(Note(where, str(exc)))
    return Parsed(tuple(questions), tuple(notes), tuple(categories))
