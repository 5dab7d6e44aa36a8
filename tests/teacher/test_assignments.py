import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from course.loader import load_course
from quizzes import chapter_anchors
from quizzes.bank import load_banks
from teacher.assignments import (CODE_ALPHABET, Assignment, Rule, Spec, SpecError, check_spec, draw_seed, new_code,
                                 student_items, uneven_totals)

ROOT = Path(__file__).resolve().parents[2]
BANKS = load_banks(ROOT / "content", chapter_anchors(load_course(ROOT / "content")))
QUESTIONS = BANKS.for_assignments()
UTC = dt.UTC


def test_same_seed_same_paper_and_students_differ():
    spec = Spec(rules=(Rule(10, ("crm-foundations",), ("single",)), Rule(2, (), ("term",))))
    first = student_items(QUESTIONS, spec, draw_seed(42, "2023001", 1))
    assert first == student_items(QUESTIONS, spec, draw_seed(42, "2023001", 1))
    assert first != student_items(QUESTIONS, spec, draw_seed(42, "2023002", 1))
    assert first != student_items(QUESTIONS, spec, draw_seed(42, "2023001", 2))


def test_draw_follows_every_rule_without_repeats():
    spec = Spec(rules=(Rule(5, ("crm-foundations", "crm-strategy"), ("single", "multiple"), (1, 2)),
                       Rule(3, (), ("true_false",)), Rule(2, (), ("short_answer",), (), "客户")),
                points={"single": 2, "multiple": 3, "true_false": 1, "short_answer": 6})
    by_key = BANKS.by_key()
    for student in ("a", "b", "c"):
        items = student_items(QUESTIONS, spec, draw_seed(7, student, 1))
        questions = [by_key[i.key] for i in items]
        assert len({q.key for q in questions}) == 10
        first = [q for q in questions if q.type in ("single", "multiple")]
        assert len(first) == 5 and all(q.bank in ("crm-foundations", "crm-strategy") and q.difficulty in (1, 2) for q in first)
        assert Counter(q.type for q in questions)["true_false"] == 3
        assert all("客户" in q.knowledge_point for q in questions if q.type == "short_answer")
        assert [i.points for i in items if i.section == "short_answer"] == [6.0, 6.0]


def test_papers_are_grouped_by_type_in_exam_order():
    spec = Spec(rules=(Rule(3, (), ("term",)), Rule(3, (), ("single",)), Rule(2, (), ("true_false",))))
    sections = [i.section for i in student_items(QUESTIONS, spec, 1)]
    assert sections == ["single"] * 3 + ["true_false"] * 2 + ["term"] * 3


def test_hand_picked_questions_come_unshuffled_when_asked():
    ids = ("crm-def-core", "crm-def-enterprise-view") if "crm-def-core" in {q.id for q in QUESTIONS} else tuple(
        q.id for q in QUESTIONS if q.type == "single")[:2]
    spec = Spec(picked=ids, shuffle_questions=False, shuffle_options=False)
    items = student_items(QUESTIONS, spec, 99)
    assert [i.key.split("/")[1] for i in items] == list(ids)
    assert not any(i.shuffle for i in items)


@pytest.mark.parametrize("spec, reason", [
    (Spec(), "至少设置一条抽题规则"),
    (Spec(picked=("no-such-question",)), "题目不存在"),
    (Spec(rules=(Rule(999, ("crm-foundations",)),)), "少于要求的 999 道"),
    (Spec(rules=(Rule(0),)), "题数须至少为 1"),
    (Spec(rules=(Rule(101),)), "最多 100 题"),
])
def test_specs_that_cannot_be_drawn(spec, reason):
    with pytest.raises(SpecError, match=reason):
        check_spec(QUESTIONS, spec)


def test_codes_avoid_look_alike_characters():
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes) and len(codes) > 190
    assert not set("01OIL") & set(CODE_ALPHABET)


def make(release: str, released_at=None) -> Assignment:
    return Assignment(1, 1, "t", "ABCDEF", Spec(), 1, dt.datetime(2026, 3, 2, 8, tzinfo=UTC),
                      dt.datetime(2026, 3, 2, 10, tzinfo=UTC), 45, 1, release, released_at)


@pytest.mark.parametrize("release, released_at, at_hour, visible", [
    ("immediately", None, 9, True),
    ("after_close", None, 9, False),
    ("after_close", None, 10, True),
    ("manual", None, 11, False),
    ("manual", dt.datetime(2026, 3, 2, 9, tzinfo=UTC), 9, True),
])
def test_release_policy(release, released_at, at_hour, visible):
    assert make(release, released_at).results_visible(dt.datetime(2026, 3, 2, at_hour, tzinfo=UTC)) is visible


def test_deadline_is_the_time_limit_but_never_past_closing():
    a = make("manual")
    assert a.deadline(dt.datetime(2026, 3, 2, 8, 30, tzinfo=UTC)) == dt.datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert a.deadline(dt.datetime(2026, 3, 2, 9, 40, tzinfo=UTC)) == a.closes_at
    assert [a.status(dt.datetime(2026, 3, 2, h, tzinfo=UTC)) for h in (7, 9, 10)] == ["upcoming", "open", "closed"]


def test_spec_round_trips_through_json():
    spec = Spec(rules=(Rule(3, ("a",), ("single",), (1,), "满意"),), picked=("x",), shuffle_options=False)
    assert Spec.from_json(spec.to_json()) == spec


@pytest.mark.parametrize("rules, points, uneven", [
    ((Rule(5, (), ("single",)), Rule(3, (), ("multiple",))), {"single": 1, "multiple": 2}, []),   # one type per rule
    ((Rule(5, (), ("single", "multiple")),), {"single": 2, "multiple": 2}, []),                  # same points
    ((Rule(5, (), ("single", "multiple")),), {"single": 1, "multiple": 2}, ["单项选择 1 分", "多项选择 2 分"]),
])
def test_a_rule_mixing_types_worth_different_points_is_named(rules, points, uneven):
    spec = Spec(rules=rules, points={**Spec().points, **points})
    assert uneven_totals(QUESTIONS, spec) == uneven
    if uneven:   # and the papers it draws really differ in full marks
        totals = {sum(i.points for i in student_items(QUESTIONS, spec, draw_seed(3, str(n), 1))) for n in range(40)}
        assert len(totals) > 1
