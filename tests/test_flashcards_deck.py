"""The deck built from the banks: every 名词解释, key concepts, never assignment-only questions."""
import dataclasses
from pathlib import Path

from app import ROOT
from course.loader import load_course
from flashcards.deck import build_deck, check_content, deck_chapters
from flashcards.suggest import suggest_rating
from quizzes import chapter_anchors
from quizzes.bank import Banks, load_banks
from tests.conftest import FIXTURES


def loaded(content: Path):
    course = load_course(content)
    return load_banks(content, chapter_anchors(course)), course


def test_real_deck_has_a_card_for_every_term_question_in_course_order():
    banks, course = loaded(ROOT / "content")
    deck = build_deck(banks, course)
    terms = [q for q in banks.questions() if q.type == "term"]
    assert len(deck) == len(terms) > 80
    assert {c.key for c in deck} >= {q.key for q in terms}
    order = [c.slug for c in course.chapters]
    assert [order.index(c.chapter) for c in deck] == sorted(order.index(c.chapter) for c in deck)
    card = next(c for c in deck if c.key == "crm-foundations/term-competitive-advantage")
    assert (card.front, card.back[:7], card.key_points[0].text) == ("竞争优势", "从企业层次看，", "实施价值创造战略")
    assert all(c.front and c.back and c.key_points for c in deck)
    assert sum(ch.count for ch in deck_chapters(deck, course)) == len(deck)


def test_a_question_tagged_key_concept_becomes_a_card_fronted_by_its_knowledge_point():
    banks, course = loaded(FIXTURES / "content")
    deck = build_deck(banks, course)
    assert [(c.key, c.front) for c in deck] == [("alpha/fx-term-clv", "客户终身价值"),
                                                ("alpha/fx-short-loyalty", "客户满意与客户忠诚")]


def content_with(tmp_path, bank_yaml: str) -> Path:
    """The fixture course plus one extra bank file."""
    content = tmp_path / "content"
    (content / "questions").mkdir(parents=True)
    for item in ("course.yaml", "chapters"):
        (content / item).symlink_to(FIXTURES / "content" / item)
    for bank in (FIXTURES / "content" / "questions").glob("*.yaml"):
        (content / "questions" / bank.name).symlink_to(bank)
    (content / "questions" / "alpha-quiz.yaml").write_text(bank_yaml, encoding="utf-8")
    return content


def test_assignment_only_banks_never_become_flashcards(tmp_path):
    content = content_with(tmp_path, "chapter: alpha\nvisibility: assignment\nquestions:\n  - id: quiz-term\n"
                           "    type: term\n    stem: 秘密名词\n    reference_answer: 只在测验里。\n"
                           "    key_points: [{text: 测验, points: 1}]\n    explanation: 解析\n    source: editor\n")
    banks, course = loaded(content)
    assert "alpha/quiz-term" in banks.by_key()                     # loaded, for assignments
    assert [c.key for c in build_deck(banks, course)] == ["alpha/fx-term-clv", "alpha/fx-short-loyalty"]


def test_check_reports_key_concept_on_a_type_without_reference_answer(tmp_path):
    content = content_with(tmp_path, "chapter: alpha\nquestions:\n  - id: tf-x\n    type: true_false\n"
                           "    stem: 对吗？\n    answer: true\n    explanation: 解析\n    source: editor\n"
                           "    tags: [key-concept]\n")
    [problem] = check_content(content)
    assert (problem.line, problem.message) == (3, "[tf-x] 标签 key-concept 只适用于有参考答案的题型（term、short_answer、case）")
    assert check_content(FIXTURES / "content") == []


def test_typed_definition_suggests_a_grade():
    banks, _ = loaded(FIXTURES / "content")
    question = banks.by_id()["fx-term-clv"]
    assert suggest_rating(question, "整个生命周期的收益，折现", 2).rating == 3
    assert suggest_rating(question, "整个生命周期", 4).rating == 2           # half the 得分点: 困难
    assert suggest_rating(question, "整个生命周期", 2).rating == 1           # two buttons: 忘了
    assert suggest_rating(question, "", 2).share == 0
    assert suggest_rating(dataclasses.replace(question, key_points=()), "整个生命周期", 2) is None
