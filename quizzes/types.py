"""Question types: a registry of plain dicts from type name to its label, field checks and grader."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .model import Grade, PointResult, Question, Variant
from .textmatch import phrase_found, same_answer

BLANK = "____"
LETTERS = "ABCDEFGH"
SUBJECTIVE_PASS = 0.6   # share of 得分点 that counts as "correct" for the 错题本


@dataclass(frozen=True)
class QuestionType:
    name: str
    label: str
    objective: bool
    check: Callable[[dict], list[str]]
    grade: Callable[[Variant, Any, float], Grade]


def count_blanks(stem: str) -> int:
    return len(re.findall(r"_{4,}", stem))


# ---- field checks: raw YAML mapping -> list of reasons -------------------------------------------

def _check_options(q: dict, low: int, high: int) -> list[str]:
    options = q.get("options")
    if not isinstance(options, list) or not all(isinstance(o, (str, int, float)) for o in options):
        return ["缺少 options（选项列表）"]
    if not low <= len(options) <= high:
        return [f"选项须为 {low}–{high} 个，实际 {len(options)} 个"]
    if len({str(o).strip() for o in options}) != len(options):
        return ["选项有重复"]
    return []


def _check_letters(q: dict, single: bool) -> list[str]:
    answer = q.get("answer")
    if not isinstance(answer, str) or not re.fullmatch(r"[A-H]+", answer.strip()):
        return ["缺少 answer 或格式不对（应为大写字母，如 B 或 ABD）"]
    answer = answer.strip()
    if single and len(answer) != 1:
        return [f"单选题只能有一个答案，实际为 {answer}"]
    if not single and (len(answer) < 2 or len(set(answer)) != len(answer)):
        return [f"多选题答案须为两个及以上不重复的字母，实际为 {answer}"]
    n = len(q.get("options") or [])
    outside = [letter for letter in answer if LETTERS.index(letter) >= n]
    return [f"答案 {''.join(outside)} 超出选项范围（共 {n} 个选项）"] if outside else []


def check_single(q: dict) -> list[str]:
    return _check_options(q, 2, 6) or _check_letters(q, single=True)


def check_multiple(q: dict) -> list[str]:
    return _check_options(q, 2, 8) or _check_letters(q, single=False)


def check_true_false(q: dict) -> list[str]:
    return [] if isinstance(q.get("answer"), bool) else ["判断题 answer 须为 true 或 false"]


def check_fill_blank(q: dict) -> list[str]:
    blanks = q.get("blanks")
    if not isinstance(blanks, list) or not blanks or not all(
        isinstance(b, list) and b and all(isinstance(x, (str, int, float)) and str(x).strip() for x in b) for b in blanks
    ):
        return ["缺少 blanks（每个空一个可接受答案列表）"]
    marked = count_blanks(str(q.get("stem", "")))
    if marked != len(blanks):
        return [f"题干中有 {marked} 个空（____），blanks 却给了 {len(blanks)} 组答案"]
    return []


def check_subjective(q: dict) -> list[str]:
    problems = []
    if not isinstance(q.get("reference_answer"), str) or not q["reference_answer"].strip():
        problems.append("缺少 reference_answer（参考答案）")
    points = q.get("key_points")
    if not isinstance(points, list) or not points:
        return problems + ["缺少 key_points（得分点）"]
    for i, point in enumerate(points, 1):
        if not isinstance(point, dict) or not isinstance(point.get("text"), str) or not point["text"].strip():
            problems.append(f"第 {i} 个得分点缺少 text")
        elif not isinstance(point.get("points", 1), (int, float)) or point.get("points", 1) <= 0:
            problems.append(f"第 {i} 个得分点的 points 须为正数")
        elif not isinstance(point.get("aliases", []), list):
            problems.append(f"第 {i} 个得分点的 aliases 须为列表")
    return problems


def check_calculation(q: dict) -> list[str]:
    from .generators import GENERATORS

    name = q.get("generator")
    if not isinstance(name, str) or not name:
        return ["计算题缺少 generator"]
    return [] if name in GENERATORS else [f"未知的 generator：{name}（可选：{', '.join(sorted(GENERATORS))}）"]


# ---- graders: (variant, response, points) -> Grade ----------------------------------------------

def _all_or_nothing(right: bool, points: float) -> Grade:
    return Grade(points if right else 0.0, points, right)


def grade_single(variant: Variant, response: Any, points: float) -> Grade:
    return _all_or_nothing(response == variant.question.answer_indexes[0], points)


def grade_multiple(variant: Variant, response: Any, points: float) -> Grade:
    """多选: exactly the right set scores; a missing or extra choice scores nothing."""
    return _all_or_nothing(set(response) == set(variant.question.answer_indexes), points)


def grade_true_false(variant: Variant, response: Any, points: float) -> Grade:
    return _all_or_nothing(response == (variant.question.answer == "true"), points)


def _match_any_order(response: list[str], blanks: tuple[tuple[str, ...], ...]) -> tuple[bool, ...]:
    """Each given answer may fill any still-unmatched blank (for list-like blanks)."""
    free = list(blanks)
    results = []
    for given in response:
        hit = next((b for b in free if same_answer(given, b)), None)
        if hit is not None:
            free.remove(hit)
        results.append(hit is not None)
    return tuple(results)


def grade_fill_blank(variant: Variant, response: Any, points: float) -> Grade:
    q = variant.question
    results = (_match_any_order(response, q.blanks) if q.any_order
               else tuple(same_answer(given, accepted) for given, accepted in zip(response, q.blanks)))
    share = sum(results) / len(results)
    return Grade(round(points * share, 2), points, all(results), blank_results=results)


def grade_subjective(variant: Variant, response: Any, points: float) -> Grade:
    """Suggested score: the share of 得分点 found in the answer, scaled to the question's points."""
    found = tuple(
        PointResult(kp, any(phrase_found(p, response) for p in (kp.text, *kp.aliases)))
        for kp in variant.question.key_points
    )
    total = sum(r.point.points for r in found)
    got = sum(r.point.points for r in found if r.found)
    share = got / total if total else 0.0
    return Grade(round(points * share, 1), points, share >= SUBJECTIVE_PASS, points=found)


def grade_calculation(variant: Variant, response: Any, points: float) -> Grade:
    return _all_or_nothing(abs(response - variant.expected) <= variant.tolerance, points)


TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType("single", "单项选择", True, check_single, grade_single),
        QuestionType("multiple", "多项选择", True, check_multiple, grade_multiple),
        QuestionType("true_false", "判断", True, check_true_false, grade_true_false),
        QuestionType("fill_blank", "填空", True, check_fill_blank, grade_fill_blank),
        QuestionType("term", "名词解释", False, check_subjective, grade_subjective),
        QuestionType("short_answer", "简答", False, check_subjective, grade_subjective),
        QuestionType("case", "案例分析", False, check_subjective, grade_subjective),
        QuestionType("calculation", "计算", True, check_calculation, grade_calculation),
    )
}
