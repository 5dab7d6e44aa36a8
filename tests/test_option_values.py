"""What a browser sees of a choice question says nothing about its key (issue 7, defect 6).

Choice inputs once carried the option's YAML index, and 81 of 199 single-choice keys were "A":
always sending value="0" scored 41% instead of 25%. Now the value is the letter shown, in the
variant's shuffled order, and the server maps it back.
"""
import re
from collections import Counter

import pytest

from app import ROOT
from quizzes import chapter_anchors
from quizzes.bank import load_banks
from quizzes.engine import make_variant, parse_response
from quizzes.types import LETTERS
from course.loader import load_course
from tests.test_practice_views import csrf, start

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def choice_questions():
    banks = load_banks(CONTENT, chapter_anchors(load_course(CONTENT)))
    return [q for q in banks.questions() if q.type in ("single", "multiple")]


def test_choice_values_are_the_letters_shown_in_order(fixture_client):
    for kind in ("single", "multiple"):
        html = fixture_client.get(start(fixture_client, type=kind)).get_data(as_text=True)
        values = re.findall(r'type="(?:radio|checkbox)" name="q0" value="([^"]*)"', html)
        shown = re.findall(r'<span class="choice__letter">([A-H])</span>', html)
        assert values == shown == list(LETTERS[:len(values)])


def test_the_letter_sent_is_graded_as_the_option_it_labels(fixture_client):
    """Pick the option whose text is the key: 回答正确, whatever letter the shuffle gave it."""
    location = start(fixture_client, question="fx-single-ratio")
    html = fixture_client.get(location).get_data(as_text=True)
    letter = re.search(r'value="([A-H])"[^>]*>\s*<span class="choice__letter">\1</span>'
                       r'<span class="choice__text">客户对产品或服务所感知的实际体验<', html).group(1)
    fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": letter})
    assert "✓ 回答正确" in fixture_client.get(location).get_data(as_text=True)


def test_always_answering_a_scores_what_guessing_scores(choice_questions):
    """Over the real single-choice bank and many attempts, the key is shown as "A" about 1 in n times."""
    singles = [q for q in choice_questions if q.type == "single"]
    hits = expected = 0.0
    for q in singles:
        for seed in range(40):
            variant = make_variant(q, seed)
            hits += parse_response(variant, ["A"]) == q.answer_indexes[0]
            expected += 1 / len(q.options)
    assert 0.9 < hits / expected < 1.1


def test_a_letter_maps_back_through_the_shuffle(choice_questions):
    counts = Counter()
    for q in choice_questions:
        variant = make_variant(q, 7)
        originals = [parse_response(variant, [letter]) if q.type == "single" else parse_response(variant, [letter])[0]
                     for letter in LETTERS[:len(q.options)]]
        assert originals == list(variant.option_order)
        counts[originals == sorted(originals)] += 1
    assert counts[False] > counts[True]      # shuffled for most questions: letters are not indexes
