"""Question banks and student self-testing: 练习, 模拟考试, 错题本, progress."""
from __future__ import annotations

from pathlib import Path

import re

from flask import Flask
from markupsafe import Markup, escape

from course import CONTENT_CHECKS, content_cached, current_course
from course.loader import Course, Problem, load_course

from .bank import CASES_BANK, Banks, load_banks
from .engine import display_options, key_text
from .types import TYPES

def chapter_anchors(course: Course) -> dict[str, set[str]]:
    anchors = {c.slug: {e.anchor for e in c.rendered.toc} for c in course.chapters if c.kind == "chapter"}
    anchors[CASES_BANK] = set()
    return anchors


def check_banks(content_dir: Path) -> list[Problem]:
    from .selection import exam_format

    course = load_course(content_dir)
    banks = load_banks(content_dir, chapter_anchors(course))
    return list(banks.problems) + exam_format(content_dir)[1] + section_warnings(course, banks)


def section_warnings(course: Course, banks: Banks) -> list[Problem]:
    """A term or fill-in whose key terms its `section:` never mentions points to the wrong place."""
    from .keycheck import off_section

    paths = {q.key: b.path for b in banks.banks for q in b.questions}
    return [Problem(paths[q.key], q.line,
                    f"[{q.id}] 小节 #{q.section} 没有提到“{'”“'.join(missing)}”：section 可能指错了位置", "warning")
            for q in banks.questions() for missing in [off_section(course, q)] if missing]


def current_banks() -> Banks:
    """Loaded banks, rebuilt when content changes; a broken bank is logged and left out."""
    return content_cached("banks", lambda d: load_banks(d, chapter_anchors(current_course())), lambda b: b.problems)


def _preload_banks() -> None:
    """Start-up hook: the banks and their lookups, so forked workers inherit them built."""
    from .grading import content_words
    from .textmatch import normalise

    banks = current_banks()
    banks.questions(), banks.by_key(), banks.by_id(), banks.counts(), banks.for_assignments()
    for question in banks.by_key().values():   # 得分点 segmented now, not while a class waits for its 交卷
        for point in question.key_points:
            for phrase in (point.text, *point.aliases):
                content_words(normalise(phrase))


def number_blanks(stem: str) -> Markup:
    """Escape a stem and number its blanks: ____ becomes （1）____ so labels 第1空… match."""
    counter = iter(range(1, 100))
    return Markup(re.sub(r"_{4,}", lambda m: f"<span class=\"blank-mark\">（{next(counter)}）____</span>", str(escape(stem))))


def practice_links(chapter) -> list[dict]:
    """Chapter page hook: a link to practise this chapter's (or the cases') questions."""
    from flask import url_for

    bank = CASES_BANK if chapter.kind == "case" else chapter.slug
    count = current_banks().counts().get(bank, 0)
    if not count:
        return []
    return [{"url": url_for("quizzes.index", chapter=bank) + "#practice-form-heading", "label": f"练习本章题目（{count} 题）"}]


def question_link(question_id: str) -> tuple[str, str] | None:
    """Simulation hook: (label, url) for practising one question, or None if it is not in the banks."""
    from flask import url_for

    question = current_banks().by_id().get(question_id)
    if question is None:
        return None
    stem = question.stem or f"{question.knowledge_point or '计算'}（每次生成新的数据）"
    label = f"{TYPES[question.type].label}：{stem[:28]}{'…' if len(stem) > 28 else ''}"
    return label, url_for("quizzes.practice_set", q=question_id)


def search_entries() -> list:
    """Search source: every question's stem (never its answer), found by its words and knowledge point."""
    from course.search import Entry

    titles = {c.slug: f"{c.label} {c.title}" for c in current_course().chapters}
    return [Entry("question", q.id, "", f"{TYPES[q.type].label} · {titles.get(q.bank, '案例分析')}",
                  q.stem or f"计算：{q.knowledge_point}", " ".join((q.stem, q.knowledge_point, *q.options)))
            for q in current_banks().questions()]


def init_app(app: Flask) -> None:
    from . import drill, exam_views, study_views, views  # noqa: F401  (they add their routes to views.bp)
    from .cli import try_answer_command
    from .grading import difference, segmenter

    segmenter()   # jieba loads once per process, before the first request, not on a student's answer
    app.cli.add_command(try_answer_command)
    app.add_template_filter(number_blanks, "number_blanks")
    app.add_template_global(display_options, "display_options")
    app.add_template_global(key_text, "key_text")
    app.add_template_global(lambda question: TYPES[question.type], "question_type")
    app.add_template_global(difference, "blank_difference")
    app.add_template_filter(lambda n: "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n), "cn_numeral")
    app.add_template_filter(lambda name: TYPES[name].label if name in TYPES else name, "type_label")

    if check_banks not in CONTENT_CHECKS:
        CONTENT_CHECKS.append(check_banks)
    app.register_blueprint(views.bp)
    app.extensions.setdefault("related_links", []).append(practice_links)
    app.extensions["question_link"] = question_link
    app.extensions.setdefault("search_sources", []).append(search_entries)
    app.extensions.setdefault("preload", []).append(_preload_banks)
    app.extensions["question_set_limit"] = views.MAX_SET   # the search page's “练习全部匹配题目” sends at most this many
