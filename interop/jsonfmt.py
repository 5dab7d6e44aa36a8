"""JSON of the normalised bank: every question in the mapping an author writes, grouped by chapter."""
from __future__ import annotations

import json

from .common import Exported, Group, Note, Parsed, normal_form

FORMAT_TAG = "crm-question-bank"


def export(groups: list[Group]) -> Exported:
    data = {"format": FORMAT_TAG, "version": 1, "banks": [
        {"chapter": g.chapter, "title": g.title, "questions": [normal_form(q) for q in g.questions]} for g in groups]}
    return Exported((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())


def parse(data: bytes) -> Parsed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        banks = doc["banks"] if doc.get("format") == FORMAT_TAG else None
    except (UnicodeDecodeError, ValueError, AttributeError, KeyError) as exc:
        where = f"（第 {exc.lineno} 行第 {exc.colno} 列格式有误）" if isinstance(exc, json.JSONDecodeError) else ""
        return Parsed((), (Note("文件", f"不是本站导出的 JSON 题库{where}，请上传从本站“题库导出”下载的 .json 文件。"),))
    if not isinstance(banks, list):
        return Parsed((), (Note("文件", f"缺少 \"format\": \"{FORMAT_TAG}\" 与 banks 列表"),))
    questions, notes = [], []
    for bank in banks:
        for number, raw in enumerate(bank.get("questions") or [], 1):
            where = f"{bank.get('title') or bank.get('chapter')} 第 {number} 题"
            if isinstance(raw, dict):
                questions.append({**raw, "where": where})
            else:
                notes.append(Note(where, "题目须为对象"))
    return Parsed(tuple(questions), tuple(notes), tuple(str(b.get("title", "")) for b in banks))
