"""The question-type registry: one object per type carries everything that differs between types."""
import pytest
import yaml

from app import ROOT
from course.loader import load_course
from quizzes import chapter_anchors
from quizzes.bank import load_banks
from quizzes.types import TYPES, QuestionType

CONTENT = ROOT / "content"
BANKS = load_banks(CONTENT, chapter_anchors(load_course(CONTENT)))
RAW = {q["id"]: q for path in sorted((CONTENT / "questions").glob("*.yaml"))
       for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]}
TYPE_FIELDS = ("options", "answer", "blanks", "any_order", "reference_answer", "key_points", "generator")


@pytest.mark.parametrize("name", TYPES)
def test_every_type_has_a_form_partial_and_an_export_shape(name):
    qtype = TYPES[name]
    assert (ROOT / "templates" / qtype.partial).is_file()
    assert qtype.shape in ("choice", "true_false", "blanks", "essay", "calculation")
    for method in ("check", "parse", "grade", "key_text"):
        assert getattr(type(qtype), method) is not getattr(QuestionType, method), f"{name} lacks {method}"


def _with_default_points(fields: dict) -> dict:
    points = [{"points": 1, **p} for p in fields.get("key_points", [])]
    return {**fields, **({"key_points": points} if points else {})}


def test_dump_gives_back_the_authored_type_fields_of_every_real_question():
    differ = []
    for question in BANKS.questions():
        raw = RAW[question.id]
        authored = {k: raw[k] for k in TYPE_FIELDS if k in raw and not (k == "any_order" and raw[k] is False)}
        if _with_default_points(TYPES[question.type].dump(question)) != _with_default_points(authored):
            differ.append(question.id)
    assert len(BANKS.questions()) > 500 and differ == []
