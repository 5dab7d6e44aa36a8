"""Full-text search over chapter sections: SQLite FTS5 trigram index, LIKE for 1-2 character words."""
from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass

import sqlite_utils
from markupsafe import Markup

from .loader import Course

MAX_QUERY = 64
MAX_RESULTS = 50
SNIPPET_BEFORE, SNIPPET_AFTER = 40, 110


@dataclass(frozen=True)
class Entry:
    """One searchable thing: a chapter section (kind "chapter") or anything a search source adds."""

    kind: str
    slug: str
    anchor: str
    page_title: str
    title: str
    body: str


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    anchor: str
    page_title: str
    title: Markup
    snippet: Markup
    score: float


def course_entries(course: Course) -> list[Entry]:
    return [Entry("chapter", c.slug, sec.anchor, c.title, sec.title, sec.text)
            for c in course.chapters for sec in c.rendered.sections]


def fingerprint(entries: list[Entry]) -> str:
    digest = hashlib.sha256()
    for e in entries:
        digest.update("\0".join((e.kind, e.slug, e.anchor, e.page_title, e.title, e.body, "")).encode())
    return digest.hexdigest()


def ensure_index(db: sqlite_utils.Database, entries: list[Entry]) -> bool:
    """Rebuild the index when the entries changed; returns True when it rebuilt."""
    current = fingerprint(entries)
    row = next(db.query("SELECT value FROM meta WHERE key = 'search_fingerprint'"), None)
    if row and row["value"] == current:
        return False
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM search_sections")
        for e in entries:
            db.execute("INSERT INTO search_sections (kind, slug, anchor, page_title, title, body) VALUES (?,?,?,?,?,?)",
                       [e.kind, e.slug, e.anchor, e.page_title, e.title, e.body])
        db.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('search_fingerprint', ?)", [current])
        db.execute("COMMIT")
    except Exception:
        db.execute("ROLLBACK")
        raise
    return True


def parse_query(q: str) -> list[str]:
    """Whitespace-separated terms, de-duplicated, punctuation-only terms dropped."""
    terms = []
    for term in q[:MAX_QUERY].split():
        term = term.strip("\"'“”‘’，。、；：！？,.;:!?()（）")
        if term and term not in terms:
            terms.append(term)
    return terms[:6]


def _candidates(db: sqlite_utils.Database, terms: list[str], kind: str) -> list[dict]:
    if all(len(t) >= 3 for t in terms):
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        sql = ("SELECT s.*, -bm25(search_fts, 8.0, 1.0) AS rank FROM search_fts JOIN search_sections s "
               "ON s.id = search_fts.rowid WHERE search_fts MATCH ? AND s.kind = ? ORDER BY rank DESC")
        return list(db.query(sql, [match, kind]))
    where = " AND ".join("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')" for _ in terms)
    params = []
    for t in terms:
        like = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    rows = list(db.query(f"SELECT *, 0.0 AS rank FROM search_sections WHERE kind = ? AND {where}", [kind, *params]))
    for row in rows:
        row["rank"] = _score(row, terms)
    return sorted(rows, key=lambda r: -r["rank"])


def _score(row: dict, terms: list[str]) -> float:
    """Title hits weigh most; body hits are damped by length, like bm25."""
    title_hits = sum(row["title"].count(t) for t in terms)
    body_hits = sum(row["body"].count(t) for t in terms)
    return 8 * title_hits + body_hits / (1 + math.log1p(len(row["body"]) / 400))


def highlight(text: str, terms: list[str]) -> Markup:
    if not terms:
        return Markup(html.escape(text))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return Markup("".join(out).replace("</mark><mark>", ""))   # adjacent pieces read as one match


def snippet(text: str, terms: list[str]) -> Markup:
    lowered = text.lower()
    positions = [p for p in (lowered.find(t.lower()) for t in terms) if p >= 0]
    start = max(0, min(positions) - SNIPPET_BEFORE) if positions else 0
    end = min(len(text), start + SNIPPET_BEFORE + SNIPPET_AFTER)
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(piece, terms)


def _hits(rows: list[dict], terms: list[str], limit: int | None) -> list[Hit]:
    return [Hit(r["kind"], r["slug"], r["anchor"], r["page_title"], highlight(r["title"], terms), snippet(r["body"], terms), r["rank"])
            for r in rows[:limit]]


def search(db: sqlite_utils.Database, q: str, kind: str = "chapter", limit: int | None = MAX_RESULTS) -> list[Hit]:
    """Entries of `kind` containing every term of the query, best first (all of them when limit is None)."""
    terms = parse_query(q)
    return _hits(_candidates(db, terms, kind), terms, limit) if terms else []


def query_pieces(q: str) -> list[str]:
    """Character bigrams of the Chinese runs and whole Latin/number words: the parts of a phrase."""
    pieces = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", q[:MAX_QUERY]):
        grams = [run] if not re.match(r"[\u4e00-\u9fff]", run) or len(run) < 3 else [run[i:i + 2] for i in range(len(run) - 1)]
        pieces.extend(g for g in grams if g not in pieces)
    return pieces


def related_search(db: sqlite_utils.Database, q: str, coverage: float = 0.6, kind: str = "chapter",
                   limit: int | None = MAX_RESULTS) -> list[Hit]:
    """When a phrase is not in the text as typed (客户关系管理产生的背景), find sections that hold most of
    its parts, and at least one part of every word typed."""
    per_term = [query_pieces(term) for term in parse_query(q)]
    pieces = [p for parts in per_term for p in parts]
    if len(pieces) < 2:
        return []
    rows = []
    for row in db.query("SELECT * FROM search_sections WHERE kind = ?", [kind]):
        text = (row["title"] + " " + row["body"]).lower()
        found = [p for p in pieces if p.lower() in text]
        every_term = all(any(p in found for p in parts) for parts in per_term)
        if every_term and len(found) / len(pieces) >= coverage:
            row["rank"] = len(found) / len(pieces) * 10 + _score(row, found) / 10
            row["found"] = found
            rows.append(row)
    rows.sort(key=lambda r: -r["rank"])
    return [Hit(r["kind"], r["slug"], r["anchor"], r["page_title"], highlight(r["title"], r["found"]),
                snippet(r["body"], r["found"]),
                r["rank"]) for r in rows[:limit]]
