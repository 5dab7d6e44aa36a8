"""Does a key accept the course's own words? Checks run by the test suite and by `flask check`.

- a `term` question: the chapter's defining sentence(s) in its section earn most of the points;
- a `fill_blank`: the chapter's wording of each blank is accepted;
- a reference answer earns full marks; a neighbouring term's definition does not;
- a question's key terms occur in the section its `section:` names.
"""
from __future__ import annotations

import re

from course.loader import Course
from course.render import Section

from .engine import grade, make_variant
from .grading import blank_contexts, normalise_blank
from .model import Question
from .textmatch import bigrams, normalise

ITEM_SPLIT = re.compile(r"[、，,；;。：:（）()“”\"‘’《》\s→]+|和|及|与|或")


def term_core(stem: str) -> str:
    """客户终身价值（CLV） → 客户终身价值."""
    return re.split(r"[（(]", stem)[0].strip()


def section_of(course: Course, question: Question) -> Section | None:
    chapter = course.get(question.bank)
    if chapter is None or not question.section:
        return None
    return next((s for s in chapter.rendered.sections if s.anchor == question.section), None)


def term_names(stem: str) -> list[str]:
    """客户终身价值（CLV） → [客户终身价值, CLV]: the term and the abbreviation its stem gives."""
    inner = re.findall(r"[（(]([^）)]+)[）)]", stem)
    return [term_core(stem)] + [n.strip() for part in inner for n in re.split(r"[，,、或]", part) if n.strip()]


def defining_text(stem: str, text: str, reference: str) -> str:
    """The chapter's definition of a term: the passage of its section that reads most like a definition.

    Candidates start at each sentence and at each mention of the term (tables have no full stops),
    run to a sentence end and are about as long as a definition; the one sharing the most character
    bigrams with the key's reference answer (F1, so long passages do not win by size) is chosen.
    """
    limit = max(60, int(len(reference) * 1.3))
    starts = {0} | {m.end() for m in re.finditer(r"[。！？]\s*", text)}
    for name in term_names(stem):
        starts |= {m.start() for m in re.finditer(re.escape(name), text)}
    ref = bigrams(normalise(reference))
    best, best_f1 = "", 0.0
    for start in sorted(starts):
        window = _window(text, start, limit)
        grams = bigrams(normalise(window))
        common = len(grams & ref)
        if not common:
            continue
        f1 = 2 * common / (len(grams) + len(ref))
        if f1 > best_f1:
            best, best_f1 = window, f1
    return best


def _window(text: str, start: int, limit: int) -> str:
    """From `start` to the first sentence end after `limit` characters (at most 1.5 × limit)."""
    end = start + limit
    stop = re.search(r"[。！？]", text[end:start + int(limit * 1.5)])
    return text[start:end + stop.end()] if stop else text[start:start + int(limit * 1.5)]


def score_share(question: Question, answer) -> float:
    result = grade(make_variant(question, 0), answer, 1.0)
    return result.score / result.max_score


def chapter_wordings(question: Question, text: str) -> list[tuple[int, str]]:
    """(blank index, phrase) for each phrase of the section text that words a blank's answer.

    A phrase counts when it is an accepted answer wrapped in the stem's own words around the blank
    (统计资料 for “____资料”), or one character away from an accepted answer (操作型数据存储).
    """
    items = {normalise_blank(p) for p in ITEM_SPLIT.split(text)} - {""}
    others = [{normalise_blank(a) for a in b} for b in question.blanks]
    found = []
    for i, (accepted, (before, after)) in enumerate(zip(question.blanks, blank_contexts(question.stem))):
        other = set().union(*(o for k, o in enumerate(others) if k != i))
        for alternative in {normalise_blank(a) for a in accepted}:
            for item in items:
                if item == alternative or item in other or alternative not in item and len(alternative) < 4:
                    continue
                wrapped = any(item == b + alternative + a for b in _suffixes(before) for a in _prefixes(after))
                near = (len(alternative) >= 5 and _distance(item, alternative) == 1
                        and item[0] == alternative[0] and item[-1] == alternative[-1])
                if wrapped or near:
                    found.append((i, item))
    return sorted(set(found))


def _suffixes(text: str) -> list[str]:
    return [text[i:] for i in range(len(text) + 1)]


def _prefixes(text: str) -> list[str]:
    return [text[:i] for i in range(len(text) + 1)]


def _distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def blank_accepts(question: Question, index: int, phrase: str) -> bool:
    answer = [""] * len(question.blanks)
    answer[index] = phrase
    return any(m.credit >= 1 for m in grade(make_variant(question, 0), answer, 1.0).blank_marks)


KEY_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


def key_terms(question: Question) -> list:
    """What a question is about: the term itself, or each blank's accepted answers."""
    if question.type == "term":
        return [term_core(question.stem)]
    if question.type == "fill_blank":
        return list(question.blanks)
    return []


def off_section(course: Course, question: Question) -> list[str]:
    """Key terms of `question` that its section never mentions (none when it has no section)."""
    section = section_of(course, question)
    if section is None:
        return []
    text = normalise_blank(section.title + section.text)
    missing = []
    for term in key_terms(question):
        names = term_names(term) if isinstance(term, str) else term      # a blank: any accepted answer
        if not any(normalise_blank(n) in text for n in names):
            missing.append(names if isinstance(names, str) else names[0])
    return missing


TERM_SHARE = 0.8
NEIGHBOUR_SHARE = 0.5


def audit(course: Course, questions) -> list[str]:
    """Every way a key is unfair to the course's own words, as readable lines (empty: all fair)."""
    failures = []
    questions = list(questions)
    for q in questions:
        if q.type in ("term", "short_answer", "case") and score_share(q, q.reference_answer) < 1:
            failures.append(f"{q.id}: reference answer scores {score_share(q, q.reference_answer):.0%}")
        section = section_of(course, q)
        if q.type == "term":
            definition = defining_text(q.stem, section.text, q.reference_answer) if section else ""
            if not section or not any(normalise(n) in normalise(section.title + section.text) for n in term_names(q.stem)):
                failures.append(f"{q.id}: section #{q.section} does not name {term_core(q.stem)}")
            elif score_share(q, definition) < TERM_SHARE:
                failures.append(f"{q.id}: chapter definition scores {score_share(q, definition):.0%}: {definition}")
            for other in questions:
                if other.type == "term" and other.bank == q.bank and other.id != q.id:
                    share = score_share(q, other.reference_answer)
                    if share > NEIGHBOUR_SHARE:
                        failures.append(f"{q.id}: neighbour {other.id}'s definition scores {share:.0%}")
        if q.type == "fill_blank" and section:
            for index, phrase in chapter_wordings(q, section.text):
                if not blank_accepts(q, index, phrase):
                    failures.append(f"{q.id}: blank {index + 1} rejects the chapter's {phrase}")
    return failures
