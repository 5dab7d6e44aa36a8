"""Interchange formats for the question bank: a registry of formats, each with a pure export and/or
parse (bytes in, bytes out; no Flask), plus the `export`/`import` commands and download views."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Flask

from . import anki, gift, jsonfmt, moodle, sheet, word
from .common import Exported, Group, Parsed


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    mimetype: str
    export: Callable[[list[Group]], Exported] | None = None
    parse: Callable[[bytes], Parsed] | None = None


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("moodle-xml", "Moodle XML", "xml", "application/xml", moodle.export, moodle.parse),
    Format("gift", "GIFT（Moodle 文本格式）", "gift.txt", "text/plain", gift.export, gift.parse),
    Format("anki", "Anki 卡片（制表符分隔文本）", "anki.txt", "text/plain", anki.export),
    Format("json", "JSON（本站题库格式）", "json", "application/json", jsonfmt.export, jsonfmt.parse),
    Format("xlsx", "Excel 表格（学习通题型列）", "xlsx",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None, sheet.parse),
    Format("docx", "Word 试卷", "docx",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", None, word.parse),
)}
BY_EXTENSION = {".xml": "moodle-xml", ".gift": "gift", ".txt": "gift", ".json": "json", ".xlsx": "xlsx",
                ".docx": "docx"}


def init_app(app: Flask) -> None:
    from . import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.export_command)
    app.cli.add_command(cli.import_command)
