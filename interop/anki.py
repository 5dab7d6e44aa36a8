"""Anki: a tab-separated text file with Anki's header lines (Anki 2.1.54+ reads them on import).

Why TSV and not .apkg: the header tells Anki the separator, that fields are HTML, the deck, which
column holds tags and which a stable GUID (so importing again updates the cards instead of doubling
them); a student imports it with File > Import and picks any two-field note type. An .apkg would need
genanki and a fixed note type of ours; the TSV works with whatever note type the student uses.
Choice options are shown in one fixed shuffled order (not the YAML order, where A is often the key).
Calculation questions are left out: their numbers change every time, a card would teach one number.
"""
from __future__ import annotations

import html

from quizzes.engine import display_options, key_text, make_variant
from quizzes.model import Question
from quizzes.types import TYPES

from .common import Exported, Group, Note, points_text
from .moodle import COURSE, FIXED_SEED


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\t", " ").replace("\r", "").replace("\n", "<br>")


def _card(q: Question, chapter: str) -> tuple[str, str, str, str]:
    variant = make_variant(q, FIXED_SEED)
    front = _html(q.stem)
    if variant.option_order:
        front += "<br>" + "<br>".join(f"{letter}. {_html(text)}" for letter, _, text in display_options(variant))
    back = f"<b>{'参考答案' if not TYPES[q.type].objective else '答案'}：</b>{_html(key_text(variant))}"
    if q.key_points:
        back += f"<br><b>得分点：</b>{_html(points_text(q))}"
    if q.explanation:
        back += f"<br><b>解析：</b>{_html(q.explanation)}"
    tags = f"CRM::{chapter} 题型::{TYPES[q.type].label}"
    return front, back, tags, f"crm-{q.id}"


def export(groups: list[Group]) -> Exported:
    lines = ["#separator:tab", "#html:true", f"#deck:{COURSE}", "#columns:正面\t背面\t标签\tGUID",
             "#tags column:3", "#guid column:4"]
    notes = []
    for group in groups:
        for q in group.questions:
            if TYPES[q.type].shape == "calculation":
                notes.append(Note(f"[{q.id}]", "计算题每次生成新数据，不适合做卡片，未导出"))
                continue
            lines.append("\t".join(_card(q, group.chapter)))
    return Exported(("\n".join(lines) + "\n").encode(), tuple(notes))
