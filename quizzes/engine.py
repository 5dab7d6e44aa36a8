"""Pure quiz core: variants from stored seeds, response parsing, grading. No Flask here.

Each function hands over to the question's type object in the registry (types.TYPES)."""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from .model import Grade, Question, Variant
from .types import LETTERS, MAX_TEXT, TYPES, BadResponse

__all__ = ["BadResponse", "MAX_TEXT", "make_variant", "display_options", "correct_letters", "parse_response",
           "grade", "key_text", "response_text", "picked_options"]


_VARIANTS: dict[tuple[int, int, bool], Variant] = {}
MAX_VARIANTS = 100_000   # a school of 600 × 30 questions, several times over; then it starts afresh


def make_variant(question: Question, seed: int, shuffle: bool = True) -> Variant:
    """The same (question, seed) always gives the same option order or calculation numbers.

    Remembered per process: a paper's 30 variants are needed again by every autosave and by 交卷. The key
    is the question object itself (its id, checked against the variant's question, so an edited bank's
    new object never meets an old variant)."""
    key = (id(question), seed, shuffle)
    known = _VARIANTS.get(key)
    if known is not None and known.question is question:
        return known
    rng = random.Random(f"{question.key}:{seed}")
    variant = TYPES[question.type].make_variant(question, rng, seed)
    if not shuffle and variant.option_order:
        variant = replace(variant, option_order=tuple(range(len(variant.option_order))))
    if len(_VARIANTS) >= MAX_VARIANTS:
        _VARIANTS.clear()
    _VARIANTS[key] = variant
    return variant


def display_options(variant: Variant) -> list[tuple[str, int, str]]:
    """(display letter, original index, text) in the shuffled order; values never reveal the key."""
    q = variant.question
    return [(LETTERS[pos], original, q.options[original]) for pos, original in enumerate(variant.option_order)]


def correct_letters(variant: Variant) -> str:
    """The key expressed in the letters this student saw."""
    return TYPES[variant.question.type].key_text(variant)


def parse_response(variant: Variant, values: list[str]) -> Any:
    """Turn submitted form values into a typed response, or raise BadResponse with a reason."""
    return TYPES[variant.question.type].parse(variant, values)


def grade(variant: Variant, response: Any, points: float = 1.0) -> Grade:
    return TYPES[variant.question.type].grade(variant, response, points)


def key_text(variant: Variant) -> str:
    """The correct answer as a student reads it on the review page."""
    return TYPES[variant.question.type].key_text(variant)


def response_text(variant: Variant, response: Any) -> str:
    """The student's answer as text, in the letters they saw."""
    if response is None:
        return "（未作答）"
    return TYPES[variant.question.type].response_text(variant, response)


def picked_options(variant: Variant, response: Any) -> tuple[int, ...]:
    """Original indexes of the options a response chose (empty for other types or no answer)."""
    return () if response is None else TYPES[variant.question.type].picked(variant, response)
