from course.render import render_markdown


def test_inline_and_display_maths_become_mathml_not_raw_latex():
    html = render_markdown("满意度 $S = E - X$，比值 $a*b*c$\n\n$$C = \\frac{b}{a}$$\n").html
    assert html.count("<math") == 3
    assert "<mfrac>" in html
    assert "$" not in html and "<em>" not in html


def test_headings_keep_authored_anchors_and_feed_the_toc():
    rendered = render_markdown("## 一、概念 {#concept}\n\n正文\n\n### 细节 {#detail}\n\n更多\n")
    assert '<h2 id="concept">一、概念</h2>' in rendered.html
    assert [(e.level, e.anchor, e.title) for e in rendered.toc] == [(2, "concept", "一、概念"), (3, "detail", "细节")]


def test_sections_hold_plain_text_per_heading():
    rendered = render_markdown("导语\n\n## 甲 {#a}\n\n**甲的**内容\n\n## 乙 {#b}\n\n| 列 |\n|---|\n| 值 |\n", "页")
    assert [(s.anchor, s.title, s.text) for s in rendered.sections] == [
        ("", "页", "导语"), ("a", "甲", "甲的 内容"), ("b", "乙", "列\n值"),
    ]


def test_raw_html_and_scripts_are_stripped():
    html = render_markdown('<script>alert(1)</script>\n\n<a href="javascript:alert(1)" onclick="x()">链接</a>\n').html
    assert "<script" not in html and "alert(1)" not in html.replace("javascript", "")
    assert "onclick" not in html and "javascript:" not in html


def test_unparseable_formula_is_shown_as_code_not_a_crash():
    html = render_markdown("$\\frac{$\n").html
    assert "math-error" in html or "<math" in html


def test_formulas_become_readable_text_in_search_sections():
    rendered = render_markdown("## 资产 {#equity}\n\n$$\\text{客户资产} = \\sum_{i=1}^{N} CLV_i$$\n\n比值 $C = \\frac{b}{a}$\n")
    assert rendered.sections[0].text == "客户资产 = Σ_i=1^N CLV_i 比值 C = (b)/(a)"
