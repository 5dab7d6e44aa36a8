"""The real course content: it loads cleanly, meets the syllabus, and every seed term is findable."""
from pathlib import Path

import pytest

from app import ROOT
from course import check_content
from course.loader import load_course
from course.search import course_entries, ensure_index, related_search, search
from db import connect
from migrations import migrate
from quizzes import chapter_anchors
from quizzes.bank import load_banks
from quizzes.types import TYPES

CONTENT = ROOT / "content"
COURSE = load_course(CONTENT)
BANKS = load_banks(CONTENT, chapter_anchors(COURSE))
CHAPTERS = [c for c in COURSE.chapters if c.kind == "chapter"]


def test_all_content_passes_the_checker():
    assert [str(p) for p in check_content(CONTENT)] == []


def test_course_has_eleven_chapters_and_two_cases():
    assert [c.number for c in CHAPTERS] == list(range(1, 12))
    assert sorted(c.slug for c in COURSE.chapters if c.kind == "case") == ["case-tencent", "case-xiaomi"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_chapter_structure_and_length(chapter):
    anchors = [e.anchor for e in chapter.rendered.toc]
    assert anchors[:2] == ["objectives", "key-points"] and anchors[-1] == "summary"
    assert chapter.char_count >= 3000


def test_whole_course_length():
    assert sum(c.char_count for c in COURSE.chapters) >= 40_000


@pytest.mark.parametrize("slug", ["customer-lifecycle", "satisfaction-loyalty", "retention-churn"])
def test_formula_chapters_render_maths(slug):
    html = COURSE.get(slug).rendered.html
    assert "<math" in html and "$" not in html


@pytest.fixture(scope="module")
def index_db(tmp_path_factory):
    db = connect(tmp_path_factory.mktemp("search") / "s.sqlite3")
    migrate(db)
    ensure_index(db, course_entries(COURSE))
    return db


@pytest.mark.parametrize("term", sorted({q.stem for q in BANKS.questions() if q.type == "term"}))
def test_every_term_in_the_banks_is_explained_in_a_chapter(index_db, term):
    """名词解释 stems are the seeds' terms: each must be findable in the course text."""
    core = term.split("（")[0].split("(")[0].strip()
    assert search(index_db, core), f"{term} is not found in any chapter"


def test_bank_sizes_meet_the_plan():
    questions = BANKS.questions()
    counts = {t: sum(q.type == t for q in questions) for t in TYPES}
    minimum = {"single": 100, "multiple": 70, "true_false": 50, "fill_blank": 50, "term": 80, "short_answer": 40,
               "case": 6, "calculation": 6}
    assert len(questions) >= 450
    assert {t: counts[t] >= n for t, n in minimum.items()} == {t: True for t in minimum}
    for bank in BANKS.banks:
        assert len(bank.questions) >= 25, bank.chapter


def test_every_seed_file_is_a_source():
    sources = {q.source for q in BANKS.questions()}
    seeds = {p.name for p in (ROOT.parent / "shared" / "seeds").glob("*.txt")} or {
        "000_02926f54ab03f01d.txt", "001_42feb80bfa2b42e2.txt", "002_9aa2e5230123c8d8.txt",
        "003_dd88102e8e8ed431.txt", "004_6d224ebb44ad64e7.txt"}
    assert seeds <= sources


def test_every_chapter_question_points_to_a_section():
    missing = [q.key for q in BANKS.questions() if q.bank != "cases" and not q.section]
    assert missing == []


@pytest.mark.parametrize(
    "topic",
    sorted({q.knowledge_point for q in BANKS.questions()
            if q.type in ("short_answer", "term") and q.source != "editor" and q.knowledge_point}),
)
def test_every_seed_short_answer_topic_is_findable(index_db, topic):
    assert search(index_db, topic) or related_search(index_db, topic), f"{topic} finds nothing"
