"""Item analysis against a case computed by hand (4 students, 3 one-point items):

    S1 1 1 1 (3)   S2 1 1 0 (2)   S3 1 0 0 (1)   S4 0 0 0 (0)
facility 0.75 / 0.50 / 0.25; upper and lower 27% = 1 student each (S1, S4): discrimination 1 for all;
point-biserial = Pearson(item, total): sqrt(0.6)=0.7746, 2/sqrt(5)=0.8944, 0.7746;
Cronbach's alpha = 3/2 * (1 - (0.1875 + 0.25 + 0.1875) / 1.25) = 0.75.
"""
import math

import pytest

from teacher.analysis import ItemScore, Paper, analyse, cronbach_alpha, groups

MATRIX = {"S1": (1, 1, 1), "S2": (1, 1, 0), "S3": (1, 0, 0), "S4": (0, 0, 0)}
PICKS = {"S1": (0,), "S2": (0,), "S3": (0,), "S4": (2,)}


def papers(matrix=MATRIX, version="v1") -> list[Paper]:
    return [Paper(s, (ItemScore("b/q1", version, "single", row[0], 1, PICKS[s]),
                      ItemScore("b/q2", "v1", "true_false", row[1], 1),
                      ItemScore("b/q3", "v1", "term", row[2], 1)))
            for s, row in matrix.items()]


def test_hand_computed_case():
    result = analyse(papers(), {"b/q1": 3})
    q1, q2, q3 = result.items
    assert [s.question_key for s in result.items] == ["b/q1", "b/q2", "b/q3"]
    assert [s.facility for s in result.items] == [0.75, 0.5, 0.25]
    assert [s.discrimination for s in result.items] == [1.0, 1.0, 1.0]
    assert q1.point_biserial == pytest.approx(math.sqrt(0.6))
    assert q2.point_biserial == pytest.approx(2 / math.sqrt(5))
    assert q3.point_biserial == pytest.approx(math.sqrt(0.6))
    assert q1.option_counts == (3, 0, 1) and q2.option_counts is None
    assert result.alpha == pytest.approx(0.75)
    assert result.n_students == 4 and "少于 20 人" in result.warning


def test_groups_are_27_percent_of_the_class():
    many = [Paper(f"s{n:02d}", (ItemScore("b/q", "v", "single", n % 2, 1),)) for n in range(30)]
    upper, lower = groups(many)
    assert len(upper) == len(lower) == 8       # round(0.27 * 30)


def test_no_warning_for_a_real_class():
    many = [Paper(f"s{n:02d}", (ItemScore("b/q", "v", "single", n % 2, 1), ItemScore("b/r", "v", "single", n % 3 == 0, 1)))
            for n in range(25)]
    assert analyse(many, {}).warning is None


def test_versions_are_never_mixed():
    changed = papers()[:2] + papers(version="v2")[2:]
    keys = [(s.question_key, s.version, s.n) for s in analyse(changed, {}).items]
    assert keys == [("b/q1", "v1", 2), ("b/q1", "v2", 2), ("b/q2", "v1", 4), ("b/q3", "v1", 4)]
    assert cronbach_alpha(changed) == pytest.approx(cronbach_alpha([Paper(p.student, p.items[1:]) for p in papers()]))


def test_degenerate_cases_give_none_not_errors():
    same = [Paper(s, (ItemScore("b/q", "v", "single", 1, 1), ItemScore("b/r", "v", "single", 1, 1))) for s in "ab"]
    result = analyse(same, {})
    assert result.alpha is None and all(s.point_biserial is None for s in result.items)
    assert analyse([], {}).items == () and analyse([], {}).alpha is None


def test_histogram_bands_include_full_marks():
    from teacher.results import histogram
    assert histogram([0, 4.9, 5, 9.5, 10, 10], 10, bins=2) == [("0–5", 2), ("5–10", 4)]
    assert histogram([], 0) == []
