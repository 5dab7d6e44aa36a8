"""Fair matching of a student's words against a key: fill-in blanks and 得分点.

Pure functions that the type graders call. A blank is compared after normalisation (NFKC, width,
case, spaces, punctuation, a trailing 。 and function words such as 的/之); each blank lists its
accepted alternatives; a numeric blank accepts the same value written another way (20%, 0.2,
百分之二十); a longer answer (four or more characters) with one wrong, missing or extra character
earns CLOSE_CREDIT and the student is shown the difference. Blanks marked interchangeable
(`any_order` groups) may be answered in any order within their group.

A 得分点 counts as found when its text or an alias is expressed in the answer: as a substring, by
most of its character bigrams, by a close partial match, or by its content words (jieba
segmentation) — a student writing the chapter's words in another order still earns the point.
"""
from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata

from rapidfuzz.distance import Levenshtein

from .model import BlankMark
from .textmatch import normalise

CLOSE_CREDIT = 0.5          # one character off in a 4+ character answer: half the blank's credit
CLOSE_MIN_LENGTH = 4
FUNCTION_WORDS = re.compile(r"以及|的|之|地|了|和|与|及")
WORD_COVERAGE = 0.75        # share of a 得分点's content words (by length) that must appear

# Words jieba keeps that carry no meaning of their own in a 得分点.
STOP_WORDS = frozenset("的 之 地 得 了 和 与 及 或 以及 并 而 是 在 对 为 把 被 将 从 向 由 等 其 这 那 该 各 "
                       "一种 一个 进行 通过 能够 可以 可 会 要 使 让 以 于 所 也 都 就 即 则 又 还 中 上 下 "
                       "个 些 着 过 给 按 它 他们 它们 我们 企业 客户".split())


# ---- fill-in blanks -------------------------------------------------------------------------------

def normalise_blank(text: str) -> str:
    return FUNCTION_WORDS.sub("", normalise(text))


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def _chinese_integer(text: str) -> int | None:
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + section + (digit or 0)


def number_value(text: str) -> float | None:
    """20% → 0.2, 0.2 → 0.2, 百分之二十 → 0.2, 五成 → 0.5, 五十 → 50; anything else → None."""
    t = unicodedata.normalize("NFKC", text or "").strip().rstrip("。").replace(",", "").replace(" ", "")
    if not t:
        return None
    scale = 1.0
    if t.startswith("百分之"):
        t, scale = t[3:], 0.01
    elif t.endswith("%"):
        t, scale = t[:-1], 0.01
    elif t.endswith("‰"):
        t, scale = t[:-1], 0.001
    elif t.endswith("成") and len(t) > 1:
        t, scale = t[:-1], 0.1
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?", t):
        return float(t) * scale
    value = _chinese_integer(t)
    return None if value is None else value * scale


def _numeric(alternatives: tuple[str, ...]) -> bool:
    return bool(alternatives) and all(number_value(a) is not None for a in alternatives)


def blank_contexts(stem: str) -> list[tuple[str, str]]:
    """For each ____: the stem's words just before and after it (normalised, up to four characters)."""
    parts = re.split(r"_{4,}", stem)
    contexts = []
    for i in range(len(parts) - 1):
        before = re.split(r"[，,。；;：:、→]", parts[i])[-1]
        after = re.split(r"[，,。；;：:、→]", parts[i + 1])[0]
        contexts.append((normalise_blank(before)[-4:], normalise_blank(after)[:4]))
    return contexts


def _without_context(g: str, context: tuple[str, str]) -> str:
    """A student who copies the stem's words around the blank (统计资料 for “____资料”) is not wrong."""
    before, after = context
    for k in range(len(before), 0, -1):
        if g.startswith(before[-k:]) and len(g) > k:
            g = g[k:]
            break
    for k in range(len(after), 0, -1):
        if g.endswith(after[:k]) and len(g) > k:
            g = g[:-k]
            break
    return g


def mark_blank(given: str, accepted: tuple[str, ...], elsewhere: frozenset[str] = frozenset(),
               context: tuple[str, str] = ("", "")) -> BlankMark:
    """Judge one answer against one blank's alternatives.

    `elsewhere` holds the normalised answers of the question's other blanks: writing another blank's
    answer is a different concept, never a near miss. `context` is the stem's words around the blank.
    """
    g = normalise_blank(given)
    marks = [_mark(given, candidate, accepted, elsewhere) for candidate in dict.fromkeys((g, _without_context(g, context)))]
    return max(marks, key=lambda m: m.credit)


def _mark(given: str, g: str, accepted: tuple[str, ...], elsewhere: frozenset[str]) -> BlankMark:
    first = accepted[0] if accepted else ""
    if not g:
        return BlankMark(given, 0.0, first)
    normalised = [normalise_blank(a) for a in accepted]
    if g in normalised:
        return BlankMark(given, 1.0, accepted[normalised.index(g)])
    if _numeric(accepted):
        value = number_value(given) if number_value(given) is not None else number_value(g)
        if value is not None and any(abs(value - number_value(a)) < 1e-9 for a in accepted):
            return BlankMark(given, 1.0, first)
        return BlankMark(given, 0.0, first)
    if g not in elsewhere:
        for alternative, n in zip(accepted, normalised):
            if len(n) >= CLOSE_MIN_LENGTH and Levenshtein.distance(g, n) == 1:
                return BlankMark(given, CLOSE_CREDIT, alternative)
    return BlankMark(given, 0.0, first)


def difference(given: str, expected: str) -> list[tuple[str, bool]]:
    """`expected` cut into pieces, each flagged True where the student's text differs from it."""
    from difflib import SequenceMatcher

    pieces: list[tuple[str, bool]] = []
    for op, _a1, _a2, b1, b2 in SequenceMatcher(None, given, expected, autojunk=False).get_opcodes():
        if b2 > b1:
            pieces.append((expected[b1:b2], op != "equal"))
        elif op == "delete":
            pieces.append(("＿", True))   # the student wrote a character too many here
    return pieces


def _best_assignment(given: list[str], blanks: list[tuple[str, ...]], elsewhere: frozenset[str],
                     contexts: list[tuple[str, str]]) -> list[BlankMark]:
    """Within an interchangeable group, pair answers with blanks for the most credit.

    Exact for groups of up to 12 (dynamic programming over the set of blanks still free, n²·2ⁿ steps
    instead of trying n! pairings); of the best pairings, the first in order (answer 1 to the lowest
    blank it can take) is kept. Larger groups: greedy, each answer takes its best free blank."""
    marks = [[mark_blank(g, b, elsewhere, c) for b, c in zip(blanks, contexts)] for g in given]
    n = len(given)
    if n > 12:
        free, chosen = set(range(n)), []
        for i in range(n):
            j = max(sorted(free), key=lambda k: marks[i][k].credit)
            free.discard(j)
            chosen.append(marks[i][j])
        return chosen
    return [marks[i][j] for i, j in enumerate(best_pairing([[m.credit for m in row] for row in marks]))]


def best_pairing(credit: list[list[float]]) -> list[int]:
    """The blank for each answer (credit[answer][blank]) earning the most in total; of equal pairings the
    first in lexicographic order, as trying every permutation in order would pick."""
    n = len(credit)
    full = (1 << n) - 1
    rest = [0.0] * (1 << n)   # rest[taken]: the most credit the answers after popcount(taken) can still earn
    for taken in range(full - 1, -1, -1):
        i = taken.bit_count()
        rest[taken] = max(credit[i][j] + rest[taken | 1 << j] for j in range(n) if not taken & 1 << j)
    pairing, taken = [], 0
    for i in range(n):
        j = next(j for j in range(n) if not taken & 1 << j and credit[i][j] + rest[taken | 1 << j] == rest[taken])
        pairing.append(j)
        taken |= 1 << j
    return pairing


def grade_blanks(response: list[str], blanks: tuple[tuple[str, ...], ...],
                 groups: tuple[tuple[int, ...], ...] = (), stem: str = "") -> tuple[BlankMark, ...]:
    """Mark every blank; `groups` are 0-based indexes of blanks that may be answered in any order."""
    contexts = blank_contexts(stem) if len(blank_contexts(stem)) == len(blanks) else [("", "")] * len(blanks)
    all_answers = [frozenset(normalise_blank(a) for a in b) for b in blanks]
    marks: list[BlankMark | None] = [None] * len(blanks)
    grouped = {i for group in groups for i in group}
    for group in groups:
        elsewhere = frozenset().union(*(all_answers[k] for k in range(len(blanks)) if k not in group))
        for i, mark in zip(group, _best_assignment([response[i] for i in group], [blanks[i] for i in group], elsewhere,
                                                      [contexts[i] for i in group])):
            marks[i] = mark
    for i, (given, accepted) in enumerate(zip(response, blanks)):
        if i not in grouped:
            elsewhere = frozenset().union(*(all_answers[k] for k in range(len(blanks)) if k != i))
            marks[i] = mark_blank(given, accepted, elsewhere - all_answers[i], contexts[i])
    return tuple(marks)


def any_order_groups(value: object, count: int) -> tuple[tuple[int, ...], ...]:
    """YAML `any_order` → 0-based groups: true = all blanks, [[1,2,3]] = blanks 1–3 (1-based)."""
    if value is True:
        return (tuple(range(count)),)
    if isinstance(value, list):
        return tuple(tuple(int(i) - 1 for i in group) for group in value)
    return ()


def check_any_order(value: object, count: int) -> list[str]:
    """Reasons an `any_order` value is malformed (see docs/questions.md)."""
    if value is None or isinstance(value, bool):
        return []
    shape = "any_order 须为 true 或分组列表，如 [[1, 2, 3]]（空的序号，从 1 数起）"
    if not isinstance(value, list) or not value or not all(isinstance(g, list) for g in value):
        return [shape]
    seen: set[int] = set()
    for group in value:
        if len(group) < 2 or not all(isinstance(i, int) and not isinstance(i, bool) for i in group):
            return [shape + "；每组至少两个空"]
        outside = [i for i in group if not 1 <= i <= count]
        if outside:
            return [f"any_order 中的空序号 {outside} 超出范围（本题共 {count} 个空）"]
        if seen & set(group):
            return [f"any_order 中的空 {sorted(seen & set(group))} 出现在多个分组中"]
        seen |= set(group)
    return []


# ---- 得分点 ---------------------------------------------------------------------------------------

_jieba = None
_jieba_lock = threading.Lock()


def segmenter():
    """jieba, initialised once per process (about a second and ~90 MB; see the commit message)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


@functools.lru_cache(maxsize=32768)   # 得分点 come from the banks: segment each once (at start-up), not per answer
def content_words(phrase: str) -> tuple[str, ...]:
    """The meaningful words of a 得分点 (jieba segmentation, stop words dropped)."""
    words = segmenter().lcut(normalise(phrase))
    return tuple(w for w in words if w not in STOP_WORDS and len(w) >= 2)   # one character says too little


def words_found(phrase: str, answer: str) -> bool:
    """Most of the phrase's content words (weighted by length) occur in the answer, in any order."""
    words = content_words(phrase)
    if len(words) < 2:
        return False
    a = normalise(answer)
    total = sum(len(w) for w in words)
    return sum(len(w) for w in words if w in a) / total >= WORD_COVERAGE
