"""Markdown -> HTML with server-side MathML, sanitised as a whole (course/sanitize.py), a table of contents
and searchable sections."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import latex2mathml.converter
import markdown
from markupsafe import Markup

from . import sanitize

MARKDOWN_EXTENSIONS = ["attr_list", "tables", "footnotes", "sane_lists", "toc", "pymdownx.arithmatex"]
EXTENSION_CONFIGS = {
    "pymdownx.arithmatex": {"generic": True},
    "toc": {"toc_depth": "2-3"},
}

MATH_RE = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
HEADING_RE = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Section:
    """A searchable slice of a chapter: the text under one h2/h3 heading."""

    anchor: str
    title: str
    text: str


@dataclass(frozen=True)
class Unsafe:
    """Something the sanitiser removed: `source` is the text to find in the Markdown, `what` the removed markup."""

    source: str
    what: str
    in_formula: bool = False


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    sections: tuple[Section, ...]
    unsafe: tuple[Unsafe, ...] = ()


def raw_mathml(tex: str, display: bool = False) -> str:
    """latex2mathml's output, NOT safe to show: `\\text{…}` passes HTML through, `\\href` makes an attribute."""
    return latex2mathml.converter.convert(tex.strip(), display="block" if display else "inline")


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """Render LaTeX as sanitised MathML (browsers draw it natively, no script or font download)."""
    return sanitize.clean(raw_mathml(tex, display))


def _math_fragment(match: re.Match, unsafe: list[Unsafe]) -> str:
    tag, body = match.group(1), html.unescape(match.group(2)).strip()
    display = tag == "div"
    tex = body[2:-2] if body[:2] in ("\\(", "\\[") else body
    try:
        mathml = raw_mathml(tex, display=display)
    except Exception:  # a formula latex2mathml cannot parse is shown as code, never a crash
        return f'<code class="math-error">{html.escape(tex)}</code>'
    unsafe.extend(Unsafe(tex, what, in_formula=True) for _needle, what in sanitize.audit(mathml))
    css = "math-block" if display else "math-inline"
    return f'<{tag} class="{css}">{mathml}</{tag}>'


TEX_SYMBOLS = {"sum": "Σ", "times": "×", "cdot": "·", "div": "÷", "le": "≤", "ge": "≥", "approx": "≈",
               "neq": "≠", "infty": "∞", "pm": "±", "%": "%", "lambda": "λ", "alpha": "α", "beta": "β"}


def tex_to_text(tex: str) -> str:
    """Readable plain text for a formula (search index and snippets): no backslashes or braces."""
    text = tex.strip()
    if text[:2] in ("\\(", "\\["):
        text = text[2:-2]
    text = re.sub(r"\\(?:text|mathrm|mathbf|operatorname)\{([^{}]*)\}", r"\1", text)
    for _ in range(3):   # nested fractions
        text = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\(left|right)", "", text)
    text = re.sub(r"\\([A-Za-z]+|%)", lambda m: TEX_SYMBOLS.get(m.group(1), ""), text)
    text = re.sub(r"[{}]", "", text).replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


def _plain(fragment: str) -> str:
    """Plain text of an HTML fragment; a table keeps its shape: one line per row, cells split by ｜."""
    text = MATH_RE.sub(lambda m: " " + tex_to_text(html.unescape(m.group(2))) + " ", fragment)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"</t[hd]>\s*<t[hd][^>]*>", " ｜ ", text)
    text = re.sub(r"</tr>|<table[^>]*>|</table>", "\n", text)
    text = re.sub(r"[^\S\n]+", " ", html.unescape(TAG_RE.sub(" ", text)))
    return re.sub(r" *\n[\s]*", "\n", text).strip()


def _sections(body_html: str, title: str) -> tuple[Section, ...]:
    parts = HEADING_RE.split(body_html)
    sections = []
    lead = _plain(parts[0])
    if lead:
        sections.append(Section("", title, lead))
    for i in range(1, len(parts), 4):
        anchor, heading, text = parts[i + 1], _plain(parts[i + 2]), _plain(parts[i + 3])
        sections.append(Section(anchor, heading, text))
    return tuple(sections)


def _toc(tokens: list[dict]) -> tuple[TocEntry, ...]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(token["level"], token["id"], html.unescape(token["name"])))
        entries.extend(_toc(token.get("children", [])))
    return tuple(entries)


def render_markdown(text: str, title: str = "") -> Rendered:
    md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    raw = md.convert(text)
    unsafe = [Unsafe(needle, what) for needle, what in sanitize.audit(MATH_RE.sub("", raw))]
    clean = sanitize.clean(raw)
    with_math = MATH_RE.sub(lambda m: _math_fragment(m, unsafe), clean)
    return Rendered(sanitize.clean(with_math), _toc(md.toc_tokens), _sections(clean, title), tuple(unsafe))


def tex_filter(tex: str) -> Markup:
    return Markup(tex_to_mathml(tex))


def tex_block_filter(tex: str) -> Markup:
    return Markup(f'<div class="math-block">{tex_to_mathml(tex, display=True)}</div>')
