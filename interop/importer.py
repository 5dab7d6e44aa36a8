"""Turn parsed questions into a bank file: ids, source, checks; every question left out is reported."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from quizzes.bank import ID_RE, TO_COMPLETE, _check_common

from .common import Note, Parsed

ORDER = ("id", "type", "stem", "options", "answer", "blanks", "any_order", "reference_answer", "key_points",
         "generator", "explanation", "source", "section", "difficulty", "knowledge_point", "tags")


@dataclass(frozen=True)
class Built:
    bank: dict                      # {"chapter", "imported_from", "questions"}
    notes: tuple[Note, ...]         # every question left out, with where and why
    changes: tuple[Note, ...] = ()  # questions kept with a change (new id, section dropped)

    def yaml(self) -> str:
        return yaml.safe_dump(self.bank, allow_unicode=True, sort_keys=False, width=100)

    def write(self, path: Path) -> None:
        """Write the bank whole or not at all: a temporary file beside it, then an atomic rename."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(self.yaml(), encoding="utf-8")
        os.replace(temporary, path)


def id_prefix(name: str) -> str:
    """A kebab-case id prefix from an output file name (Chinese names give `imported`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug if slug and ID_RE.match(slug) else "imported"


def build_bank(parsed: Parsed, chapter: str, source: str, prefix: str, taken: set[str],
               anchors: set[str], visibility: str = "public") -> Built:
    """`taken`: ids already used in the course; `anchors`: the chapter's sections (empty: any)."""
    taken, questions, notes, changes = set(taken), [], list(parsed.notes), []
    counter = 0
    for parsed_q in parsed.questions:
        raw = dict(parsed_q)
        where = raw.pop("where", "?")
        change = raw.pop("change", None)   # a parser's note of how it read the question (a type corrected from its key)
        if change:
            changes.append(Note(where, change))
        wanted = raw.pop("id", None)
        if isinstance(wanted, str) and ID_RE.match(wanted) and wanted not in taken:
            qid = wanted
        else:
            while f"{prefix}-{counter + 1:03d}" in taken:
                counter += 1
            counter += 1
            qid = f"{prefix}-{counter:03d}"
            if wanted:
                changes.append(Note(where, f"id {wanted} 已被使用或不合规，改为 {qid}"))
        raw.update(id=qid, source=raw.get("source") or source)
        if raw.get("section") and anchors and raw["section"] not in anchors:
            changes.append(Note(where, f"小节 #{raw.pop('section')} 不在本章中，已去掉"))
        reasons = [r for r in _check_common(raw) if r not in TO_COMPLETE]
        if reasons:
            notes.append(Note(where, "；".join(reasons)))
            continue
        taken.add(qid)
        questions.append({k: raw[k] for k in ORDER if k in raw and raw[k] not in (None, "")})
    head = {"chapter": chapter} | ({"visibility": visibility} if visibility != "public" else {})
    return Built(head | {"imported_from": source, "questions": questions}, tuple(notes), tuple(changes))
