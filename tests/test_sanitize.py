"""No script through course content: the final chapter HTML (after maths) is sanitised, and check says where."""
from __future__ import annotations

import html
import re
from pathlib import Path

import markdown

from app import ROOT
from course.loader import load_course
from course.render import (EXTENSION_CONFIGS, MARKDOWN_EXTENSIONS, MATH_RE, raw_mathml, render_markdown,
                           tex_to_mathml)
from tests.conftest import make_app
from tests.hostile_content import hostile_course


def _visible_text(fragment: str) -> str:
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def test_script_inside_a_formula_text_is_removed_and_reported():
    rendered = render_markdown("毛利 $\\text{</span><script>alert(1)</script>}$ 高\n")
    assert "<script" not in rendered.html and "alert(1)" not in rendered.html
    assert "<math" in rendered.html
    assert [(u.source, u.what, u.in_formula) for u in rendered.unsafe] == [
        ("\\text{</span><script>alert(1)</script>}", "<script>", True)]


def test_href_in_a_formula_or_a_link_never_reaches_an_attribute():
    rendered = render_markdown("$\\href{javascript:alert(1)}{x}$ [y](javascript:alert(2)) [z](https://example.com)\n")
    assert "javascript:" not in rendered.html and "href=\"javascript" not in rendered.html
    assert 'href="https://example.com"' in rendered.html
    assert {u.what for u in rendered.unsafe} == {"<mrow href=…>", 'href="javascript:alert(2)"'}


def test_template_formulas_are_sanitised_too():
    assert "script" not in tex_to_mathml("\\text{<script>alert(1)</script>}")
    assert "<mfrac>" in tex_to_mathml("\\frac{a}{b}")


def test_check_reports_hostile_formulas_and_html_with_file_and_line(fixture_app, tmp_path):
    content, chapter = hostile_course(tmp_path)
    result = fixture_app.test_cli_runner().invoke(args=["check", "--content", str(content)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(chapter))]
    assert [line.split(": ", 1)[0] for line in lines] == [f"{chapter}:{n}" for n in (10, 12, 12, 14)]
    assert "公式" in lines[0] and "<script>" in lines[0]
    formula = next(line for line in lines[1:3] if "公式" in line)
    link = next(line for line in lines[1:3] if "公式" not in line)
    assert "$\\href{javascript:window.pwned=2}{链接}$" in formula and "<mrow href=…>" in formula
    assert 'href="javascript:window.pwned=3"' in link
    assert "<img>" in lines[3]


def test_hostile_chapter_still_loads_without_the_markup(tmp_path):
    course = load_course(hostile_course(tmp_path)[0])
    page = course.get("beta").rendered.html
    assert "<script" not in page and "javascript:" not in page and "onerror" not in page and "pwned" not in page
    assert "数据仓库是面向主题的数据集合。" in page and "毛利率" in page


def test_real_chapters_lose_nothing_a_reader_sees_to_the_sanitiser():
    """Every real chapter's visible text is the same with and without the allow-list."""
    course = load_course(ROOT / "content")
    assert len(course.chapters) == 13 and course.problems == ()
    for chapter in course.chapters:
        body = Path(chapter.path).read_text(encoding="utf-8").split("\n---", 1)[1]
        raw = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=EXTENSION_CONFIGS).convert(body)
        unsanitised = MATH_RE.sub(lambda m: raw_mathml(html.unescape(m.group(2)).strip()[2:-2]), raw)
        assert _visible_text(chapter.rendered.html) == _visible_text(unsanitised), chapter.slug
        assert chapter.rendered.unsafe == ()


def test_hostile_chapter_page_has_no_script_and_no_javascript_url(tmp_path):
    app = make_app(tmp_path, CONTENT_DIR=str(hostile_course(tmp_path)[0]))
    body = app.test_client().get("/chapters/beta").get_data(as_text=True)
    main = body[body.index("<main"):body.index("</main>")]
    assert "pwned" not in main and "javascript:" not in main and "<script" not in main
