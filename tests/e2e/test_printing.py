"""Printable papers printed to PDF by Chromium: page count, page numbers, sections and keys."""
import io
import re

import pytest
from pypdf import PdfReader

from app import ROOT
from course.loader import load_course
from printing.paper import paper_from_items
from quizzes import chapter_anchors
from quizzes.bank import load_banks
from quizzes.selection import exam_format, exam_items, item, question_points
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.test_quizzes import answer_true_false, start_practice

pytestmark = pytest.mark.e2e
CONTENT = ROOT / "content"
BANKS = load_banks(CONTENT, chapter_anchors(load_course(CONTENT)))


@pytest.fixture(autouse=True)
def patient(page):
    """The first print of a session loads the whole course; on a busy 2-core machine that can take a while."""
    page.set_default_timeout(60000)


def print_pdf(page, url: str, name: str) -> list[str]:
    """Text of each printed A4 page; the PDF is kept in test-artifacts/."""
    page.goto(url)
    page.emulate_media(media="print")
    data = page.pdf(format="A4", prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_numbered(pages: list[str]) -> None:
    for number, text in enumerate(pages, 1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text


def test_chapter_paper_with_and_without_key(page, live_server):
    questions = [q for q in BANKS.questions() if q.bank == "satisfaction-loyalty"]
    paper = paper_from_items("x", [item(q, question_points(q)) for q in questions], 11, {q.key: q for q in questions})
    url = live_server + "/print/chapter/satisfaction-loyalty?seed=11"
    page.goto(url)
    screenshot(page, "print-chapter-desktop")
    bare = print_pdf(page, url, "print-chapter")
    keyed = print_pdf(page, url + "&answers=1", "print-chapter-key")
    assert_numbered(bare)
    assert_numbered(keyed)
    assert 4 <= len(bare) < len(keyed) <= 40
    assert "第4章 客户满意与客户忠诚管理 练习卷" in bare[0] and "试卷编号 11" in bare[0]
    assert [s.heading for s in paper.sections][0] == "一、单项选择题（每题1分，共18分）"
    everything = flat("".join(bare))
    assert all(flat(s.heading) in everything for s in paper.sections)
    assert "参考答案与解析" not in "".join(bare) and "参考答案与解析" in "".join(keyed)
    first = paper.sections[0].items[0]
    shown = "".join(f"{letter}．{text}" for letter, _, text in
                    [("ABCD"[i], o, first.question.options[o]) for i, o in enumerate(first.variant.option_order)])
    assert flat(shown) in everything        # options in the order the paper's seed gives


def test_mock_exam_paper_follows_the_exam_format(page, live_server):
    fmt, _ = exam_format(CONTENT)
    pages = print_pdf(page, live_server + "/print/exam?seed=7", "print-exam")
    assert_numbered(pages)
    text = flat("".join(pages))
    assert f"满分{fmt.total:g}分" in text and "试卷编号7" in text
    paper = paper_from_items("x", exam_items(BANKS.questions(), fmt, 7), 7, BANKS.by_key())
    assert [s.heading for s in paper.sections][:2] == ["一、单项选择题（每题1分，共20分）", "二、判断题（每题1分，共10分）"]
    assert all(flat(s.heading) in text for s in paper.sections)
    assert all(flat(i.variant.stem)[:20] in text for s in paper.sections for i in s.items)
    assert 6 <= len(pages) <= 30
    again = print_pdf(page, live_server + "/print/exam?seed=7", "print-exam-again")
    assert again == pages


def test_wrong_answers_print_as_a_notebook(page, fixture_server):
    start_practice(page, fixture_server, "判断")
    answer_true_false(page, right=False)
    page.goto(fixture_server + "/notebook")
    page.get_by_role("link", name=re.compile("打印错题集")).click()
    page.wait_for_url(re.compile(r"/print/notebook$"))
    screenshot(page, "print-notebook-desktop")
    pages = print_pdf(page, page.url, "print-notebook")
    assert len(pages) == 1 and "第 1 页 / 共 1 页" in pages[0]
    text = pages[0]
    assert "错题集" in text and "共 1 道未掌握的题" in text and "一、判断题" in text
    # whichever judgement the practice drew, it was answered wrongly
    assert re.search(r"你上次的答案：(正确|错误)\s*答案：(?!\1)(正确|错误)\s*解析：满意", text), text


def test_print_button_and_toolbar_stay_off_paper(page, live_server):
    page.goto(live_server + "/print/exam?seed=3")
    assert page.get_by_role("button", name="打印 / 存为 PDF").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="打印 / 存为 PDF").is_visible()
