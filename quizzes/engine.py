"""Pure quiz core: variants from stored seeds, response parsing, grading. No Flask here."""
from __future__ import annotations

import random
from typing import Any

from .generators import generate
from .model import Grade, Question, Variant
from .types import LETTERS, TYPES

MAX_TEXT = 5000


class BadResponse(ValueError):
    """A response that cannot belong to this question (forged, malformed or oversized)."""


def make_variant(question: Question, seed: int) -> Variant:
    """The same (question, seed) always gives the same option order or calculation numbers."""
    rng = random.Random(f"{question.key}:{seed}")
    if question.type in ("single", "multiple"):
        order = list(range(len(question.options)))
        rng.shuffle(order)
        return Variant(question, seed, question.stem, option_order=tuple(order))
    if question.type == "calculation":
        g = generate(question.generator, rng.randrange(2**31))
        return Variant(question, seed, g.stem, expected=g.answer, tolerance=g.tolerance, unit=g.unit,
                       solution=g.solution, params=g.params)
    return Variant(question, seed, question.stem)


def display_options(variant: Variant) -> list[tuple[str, int, str]]:
    """(display letter, original index, text) in the shuffled order; values never reveal the key."""
    q = variant.question
    return [(LETTERS[pos], original, q.options[original]) for pos, original in enumerate(variant.option_order)]


def correct_letters(variant: Variant) -> str:
    """The key expressed in the letters this student saw."""
    shown = {original: LETTERS[pos] for pos, original in enumerate(variant.option_order)}
    return "".join(sorted(shown[i] for i in variant.question.answer_indexes))


def parse_response(variant: Variant, values: list[str]) -> Any:
    """Turn submitted form values into a typed response, or raise BadResponse with a reason."""
    q = variant.question
    if q.type == "single":
        return _option_index(values, len(q.options))
    if q.type == "multiple":
        picked = sorted({_option_index([v], len(q.options)) for v in values})
        if not picked:
            raise BadResponse("请至少选择一个选项。")
        return picked
    if q.type == "true_false":
        if values not in (["true"], ["false"]):
            raise BadResponse("判断题的答案只能是“正确”或“错误”。")
        return values[0] == "true"
    if q.type == "fill_blank":
        if len(values) != len(q.blanks):
            raise BadResponse(f"本题有 {len(q.blanks)} 个空，提交了 {len(values)} 个答案。")
        if any(len(v) > 200 for v in values):
            raise BadResponse("填空答案太长。")
        return [v.strip() for v in values]
    if q.type == "calculation":
        try:
            number = float(values[0].replace(",", "").replace("，", "").strip()) if len(values) == 1 else None
        except ValueError:
            number = None
        if number is None or number != number or abs(number) == float("inf"):
            raise BadResponse("请填写一个数字，例如 9210.08。")
        return number
    if len(values) != 1 or len(values[0]) > MAX_TEXT:
        raise BadResponse(f"作答须为一段不超过 {MAX_TEXT} 字的文字。")
    return values[0].strip()


def _option_index(values: list[str], n: int) -> int:
    if len(values) != 1 or not values[0].isdigit() or not 0 <= int(values[0]) < n:
        raise BadResponse("选项不存在。")
    return int(values[0])


def grade(variant: Variant, response: Any, points: float = 1.0) -> Grade:
    return TYPES[variant.question.type].grade(variant, response, points)


def key_text(variant: Variant) -> str:
    """The correct answer as a student reads it on the review page."""
    q = variant.question
    if q.type in ("single", "multiple"):
        return correct_letters(variant)
    if q.type == "true_false":
        return "正确" if q.answer == "true" else "错误"
    if q.type == "fill_blank":
        return "；".join(" / ".join(b) for b in q.blanks)
    if q.type == "calculation":
        return f"{variant.expected:g}{variant.unit}"
    return q.reference_answer


def response_text(variant: Variant, response: Any) -> str:
    """The student's answer as text, in the letters they saw."""
    q = variant.question
    if response is None:
        return "（未作答）"
    if q.type in ("single", "multiple"):
        shown = {original: LETTERS[pos] for pos, original in enumerate(variant.option_order)}
        picked = [response] if q.type == "single" else response
        return "".join(sorted(shown[i] for i in picked))
    if q.type == "true_false":
        return "正确" if response else "错误"
    if q.type == "fill_blank":
        return "；".join(v or "（空）" for v in response)
    if q.type == "calculation":
        return f"{response:g}"
    return response
