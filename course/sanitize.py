"""What a chapter page may contain: an HTML + MathML allow-list applied to the FINAL HTML, and an audit.

Sanitising Markdown output and then converting maths let `\\text{<script>…}` through latex2mathml into
the page, and `\\href{javascript:…}` into an attribute; so the allow-list is applied after the maths is
converted, and `audit()` names what it would remove, for `flask check`.
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

HTML_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "div", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    "del", "dl", "dt", "dd",
}
# MathML Core presentation elements (what latex2mathml emits), no links (<maction>, href) and no style.
MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot", "mstyle", "merror",
    "mpadded", "mphantom", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts",
    "mprescripts", "mtable", "mtr", "mtd", "menclose", "semantics", "annotation",
}
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace", "largeop",
    "movablelimits", "symmetric", "minsize", "maxsize", "accent", "accentunder", "linethickness", "width",
    "height", "depth", "voffset", "columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines",
    "rowlines", "frame", "framespacing", "displaystyle", "scriptlevel", "notation", "encoding",
}
TAGS = HTML_TAGS | MATHML_TAGS
ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title"},
    "ol": {"start"},   # sane_lists numbers a list that resumes after a paragraph (case questions 2, 3, …)
    "td": {"align", "style"},
    "th": {"align", "style"},
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
}
URL_SCHEMES = {"http", "https", "mailto"}
DROPPED_WITH_CONTENT = {"script", "style"}


def clean(html: str) -> str:
    """The final page HTML with everything outside the allow-list removed (scripts with their content)."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                     clean_content_tags=DROPPED_WITH_CONTENT)


def _safe_url(value: str) -> bool:
    scheme = urlsplit(value.strip()).scheme.lower()
    return not scheme or scheme in URL_SCHEMES


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append((f"<{tag}", f"<{tag}>"))   # removed with all its attributes
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.found.append((f"{name}=", f"<{tag} {name}=…>"))
            elif name == "href" and not _safe_url(value or ""):
                self.found.append((value or "", f'href="{value}"'))


def audit(html: str) -> list[tuple[str, str]]:
    """What clean() would remove from this HTML, as (text to look for in the source, removed markup)."""
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.found))
