"""GIFT (Moodle's plain-text format): export and parse.

Mapping as in moodle.py, with GIFT's limits: a fill_blank with one blank becomes a missing-word short
answer (the answer block stands where the blank was); GIFT has no question with several blanks, so
those are left out and listed in the report (use Moodle XML, which carries them as Cloze). An essay's
reference answer and 得分点 go into its general feedback. Our id, type, section and generator ride in
a comment line (`// crm: id=… type=…`) that Moodle ignores and a re-import reads.
"""
from __future__ import annotations

import re

from quizzes.engine import make_variant
from quizzes.model import Question
from quizzes.types import LETTERS, TYPES, count_blanks

from .common import Exported, Group, Note, Parsed, any_order_text, any_order_value, parse_points, points_text
from .moodle import COURSE, FIXED_SEED

SPECIAL = re.compile(r"([~=#{}:\\])")


def escape(text: str) -> str:
    return SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], text)


# ---- export ---------------------------------------------------------------------------------------

def _meta(q: Question) -> str:
    parts = [f"id={q.id}", f"type={q.type}"] + ([f"section={q.section}"] if q.section else [])
    parts += [f"generator={q.generator}"] if q.generator else []
    parts += [f"any-order={any_order_text(q)}"] if any_order_text(q) else []
    return "// crm: " + " ".join(parts)


def _feedback(q: Question) -> str:
    return f"####{escape(q.explanation)}" if q.explanation else ""


def _block(q: Question) -> str | None:
    shape = TYPES[q.type].shape
    if shape == "choice":
        if TYPES[q.type].single:
            body = " ".join(("=" if LETTERS[i] in q.answer else "~") + escape(o) for i, o in enumerate(q.options))
        else:
            right, wrong = len(q.answer), len(q.options) - len(q.answer)
            body = " ".join(f"~%{(100 / right if LETTERS[i] in q.answer else -100 / wrong):.5g}%{escape(o)}"
                            for i, o in enumerate(q.options))
        return f"{escape(q.stem)}{{{body}{_feedback(q)}}}"
    if shape == "true_false":
        return f"{escape(q.stem)}{{{'TRUE' if q.answer == 'true' else 'FALSE'}{_feedback(q)}}}"
    if shape == "blanks":
        if len(q.blanks) != 1:
            return None
        before, after = re.split(r"_{4,}", q.stem, maxsplit=1)
        answers = " ".join("=" + escape(a) for a in q.blanks[0])
        return f"{escape(before)}{{{answers}{_feedback(q)}}}{escape(after)}"
    if shape == "essay":
        info = f"参考答案：{q.reference_answer}" + (f"\n得分点：{points_text(q)}" if q.key_points else "")
        info += f"\n解析：{q.explanation}" if q.explanation else ""
        return f"{escape(q.stem)}{{####{escape(info)}}}"
    variant = make_variant(q, FIXED_SEED)
    stem = variant.stem + (f"（单位：{variant.unit}）" if variant.unit else "")
    return f"{escape(stem)}{{#{variant.expected:g}:{variant.tolerance:g}####{escape(variant.solution)}}}"


def export(groups: list[Group]) -> Exported:
    out, notes = [], []
    for group in groups:
        out.append(f"// {group.title}\n$CATEGORY: $course$/top/{COURSE}/{group.title}\n")
        for q in group.questions:
            block = _block(q)
            if block is None:
                notes.append(Note(f"[{q.id}]", f"GIFT 不支持一题多空（本题 {len(q.blanks)} 个空），未导出；请用 Moodle XML"))
                continue
            if TYPES[q.type].shape == "calculation":
                notes.append(Note(f"[{q.id}]", "计算题导出为一组固定数据（数值题）"))
            out.append(f"{_meta(q)}\n::{escape(q.id)}::{block}\n")
    return Exported("\n".join(out).encode(), tuple(notes))


# ---- parse ----------------------------------------------------------------------------------------

_UNESCAPED_BRACE = re.compile(r"(?<!\\)(?:\\\\)*([{}])")


def _split_answer(text: str) -> tuple[str, str, str]:
    """(text before, answer block body, text after) of a question, on its unescaped braces."""
    braces = [(m.start(1), m[1]) for m in _UNESCAPED_BRACE.finditer(text)]
    if len(braces) < 2 or braces[0][1] != "{" or braces[1][1] != "}":
        raise ValueError("找不到答案块 {…}")
    if len(braces) > 2:
        raise ValueError("花括号不配对：一道题只能有一个答案块 {…}（题目中的花括号请写成 \\{ \\}）")
    (start, _), (end, _) = braces[0], braces[1]
    return text[:start], text[start + 1:end], text[end + 1:]


def _tokens(body: str) -> list[tuple[str, str]]:
    """('=' or '~', text) of each answer, per-answer feedback (#…) dropped."""
    out = []
    for m in re.finditer(r"(?<!\\)([=~])((?:\\.|[^=~\\])*)", body):
        text = re.split(r"(?<!\\)#", m[2], maxsplit=1)[0]
        out.append((m[1], text.strip()))
    return out


def _essay(raw: dict, feedback: str, meta: dict) -> dict:
    parts = re.split(r"^(参考答案|得分点|解析)：", feedback, flags=re.M)
    sections = {name: text.strip() for name, text in zip(parts[1::2], parts[2::2])}
    out = {**raw, "type": meta.get("type") if meta.get("type") in ("term", "short_answer", "case") else "short_answer",
           "reference_answer": sections.get("参考答案", "").strip()}
    out.pop("explanation", None)
    if sections.get("解析"):
        out["explanation"] = sections["解析"].strip()
    if sections.get("得分点"):
        out["key_points"] = parse_points(sections["得分点"])
    if not sections:
        out["reference_answer"] = feedback.strip()
    return out


def _choice(raw: dict, tokens: list[tuple[str, str]]) -> dict:
    options, right = [], ""
    for i, (mark, text) in enumerate(tokens):
        weight = re.match(r"^%(-?\d+(?:\.\d+)?)%", text)
        value = float(weight[1]) if weight else (100 if mark == "=" else 0)
        options.append(unescape(text[weight.end():] if weight else text).strip())
        if value > 0 and i < len(LETTERS):
            right += LETTERS[i]
    weighted = any(re.match(r"^%", t) for _, t in tokens)
    qtype = "multiple" if weighted and len(right) > 1 else "single"
    return {**raw, "type": qtype, "options": options, "answer": right}


def _question(text: str, meta: dict, where: str) -> dict:
    text = re.sub(r"^::((?:\\.|[^:\\])*)::", "", text.strip(), count=1)
    text = re.sub(r"^\[(html|moodle|plain|markdown)\]", "", text)
    before, body, after = _split_answer(text)
    parts = re.split(r"(?<!\\)####", body, maxsplit=1)
    body, feedback = parts[0], unescape(parts[1]).strip() if len(parts) > 1 else ""
    raw = {"where": where, "stem": unescape(before + ("____" if after.strip() else "") + after).strip()}
    for key in ("id", "section"):
        if meta.get(key):
            raw[key] = meta[key]
    if feedback:
        raw["explanation"] = feedback
    body = body.strip()
    if body == "":
        return _essay(raw, feedback, meta)
    if body.upper() in ("T", "F", "TRUE", "FALSE"):
        return {**raw, "type": "true_false", "answer": body.upper().startswith("T")}
    if body.startswith("#"):
        if meta.get("generator"):
            return {k: v for k, v in raw.items() if k in ("where", "id", "section")} | {
                "type": "calculation", "generator": meta["generator"]}
        raise ValueError("数值题只有一组固定数据，本站的计算题须有生成器（generator），请手工改写")
    if "->" in body:
        raise ValueError("不支持配对题（matching）")
    tokens = _tokens(body)
    if not tokens:
        raise ValueError("答案块中没有答案")
    if any(mark == "~" for mark, _ in tokens):
        return _choice(raw, tokens)
    stem = raw["stem"] if count_blanks(raw["stem"]) == 1 else raw["stem"] + "____"
    out = {**raw, "type": "fill_blank", "stem": stem, "blanks": [[unescape(t) for _, t in tokens]]}
    return out | ({"any_order": any_order_value(meta["any-order"])} if "any-order" in meta else {})


def _meta_of(comment: str) -> dict:
    body = comment.split("crm:", 1)[1]
    return {k: v for k, _, v in (p.partition("=") for p in body.split())}


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Questions are separated by blank lines: (first line number, lines) of each block."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            if current:
                blocks.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    return blocks + ([(start, current)] if current else [])


def parse(data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Parsed((), (Note("文件", "GIFT 文件须为 UTF-8 编码"),))
    questions, notes, categories = [], [], []
    for number, (start, lines) in enumerate(_blocks(text), 1):
        meta, body_lines = {}, []
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("//"):
                meta = _meta_of(stripped) if "crm:" in stripped else meta
            elif stripped.startswith("$CATEGORY:"):
                categories.append(stripped.split(":", 1)[1].strip().rsplit("/", 1)[-1])
            else:
                body_lines.append(line)
        if not body_lines:
            continue
        where = f"第 {start} 行"
        try:
            questions.append(_question("\n".join(body_lines), meta, where))
        except ValueError as exc:
            notes.append(Note(where, str(exc)))
    return Parsed(tuple(questions), tuple(notes), tuple(categories))
