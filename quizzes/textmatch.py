"""Chinese-aware text matching for fill-in answers and 得分点.

Normalises full/half width (NFKC), case, spaces and punctuation; then a key point counts as found
when it (or an alias) appears in the answer, or most of its character bigrams do (bigrams are the
dictionary-free way to compare Chinese words), or rapidfuzz finds a close partial match.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

FUZZY_THRESHOLD = 85
BIGRAM_COVERAGE = 0.75


@lru_cache(maxsize=8192)   # grading an answer normalises it once per 得分点 and alias: once is enough
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if not unicodedata.category(ch)[0] in "PZSC")


@lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    return frozenset({text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set()))


def phrase_found(phrase: str, answer: str) -> bool:
    """Is `phrase` (already normalised or not) expressed in `answer`?"""
    p, a = normalise(phrase), normalise(answer)
    if not p or not a:
        return False
    if p in a:
        return True
    grams = bigrams(p)
    if len(p) >= 4 and len(grams & bigrams(a)) / len(grams) >= BIGRAM_COVERAGE:
        return True
    if len(p) >= 4 and fuzz.partial_ratio(p, a) >= FUZZY_THRESHOLD:
        return True
    from .grading import words_found   # jieba: the phrase's words, in any order

    return words_found(p, a)


def same_answer(given: str, accepted: tuple[str, ...]) -> bool:
    """Fill-in blanks: exact after normalisation."""
    g = normalise(given)
    return bool(g) and any(g == normalise(option) for option in accepted)
