"""Question types: one object per type in a plain-dict registry (TYPES), carrying everything that
differs between types — field checks, loading and dumping the YAML fields, the variant, reading and
parsing a response, grading, the key and response as text, and the form partial. Callers never
branch on a type's name; interchange formats (interop/) branch on a type's `shape`."""
from __future__ import annotations

import random
import re
from typing import Any

from .model import Grade, KeyPoint, PointResult, Question, Variant
from .grading import any_order_groups, check_any_order, grade_blanks
from .textmatch import phrase_found

BLANK = "____"
LETTERS = "ABCDEFGH"
SUBJECTIVE_PASS = 0.6   # share of 得分点 that counts as "correct" for the 错题本
MAX_TEXT = 5000


class BadResponse(ValueError):
    """A response that cannot belong to this question (forged, malformed or oversized)."""


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
    return check_any_order(q.get("any_order"), len(blanks))


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


def grade_fill_blank(variant: Variant, response: Any, points: float) -> Grade:
    """Each blank earns its share; a near miss (one character off) earns part of it, shown to the student."""
    q = variant.question
    groups = any_order_groups(q.any_order, len(q.blanks)) if isinstance(q.any_order, bool) else q.any_order
    marks = grade_blanks(response, q.blanks, groups, variant.stem)
    share = sum(m.credit for m in marks) / len(marks)
    results = tuple(m.credit >= 1 for m in marks)
    return Grade(round(points * share, 2), points, all(results), blank_results=results, blank_marks=marks)


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


# ---- the type objects -----------------------------------------------------------------------------

def _shown_letters(variant: Variant) -> dict[int, str]:
    """Original option index -> the letter this student saw."""
    return {original: LETTERS[pos] for pos, original in enumerate(variant.option_order)}


def _option_index(values: list[str], variant: Variant) -> int:
    """A choice arrives as the letter the student saw (A, B, … in the shuffled order), never as the
    option's index, which would give the key away; it is stored as the original index."""
    shown = LETTERS[:len(variant.option_order)]
    if len(values) != 1 or len(values[0]) != 1 or values[0] not in shown:
        raise BadResponse("选项不存在。")
    return variant.option_order[shown.index(values[0])]


class QuestionType:
    """Base behaviour; subclasses override what differs. `shape` groups types for export formats:
    choice, true_false, blanks, essay or calculation."""

    shape = ""
    objective = True
    needs_stem = True             # calculation stems come from the generator
    partial = ""                  # form fields template, given `variant`, `name` and `saved`
    empty_message = "请先作答再提交。"   # practice: an empty answer comes back with this beside the box
    print_lines = 0               # answer lines under the question on a printed paper
    print_bracket = False         # a printed 判断 ends with （　　） for the mark

    def __init__(self, name: str, label: str) -> None:
        self.name, self.label = name, label

    def __repr__(self) -> str:
        return f"<QuestionType {self.name}>"

    def check(self, raw: dict) -> list[str]:
        raise NotImplementedError

    def load(self, raw: dict) -> dict:
        """The type's own Question fields from a checked YAML mapping."""
        return {}

    def dump(self, question: Question) -> dict:
        """The type's own YAML fields of a question (inverse of load)."""
        return {}

    def make_variant(self, question: Question, rng: random.Random, seed: int) -> Variant:
        return Variant(question, seed, question.stem)

    def field_names(self, name: str, question: Question) -> list[str]:
        """The form fields that carry an answer to this question (named `name` on the page)."""
        return [name]

    def form_values(self, form, name: str, question: Question) -> list[str]:
        """The raw submitted values of field `name` from a request form (a MultiDict)."""
        return form.getlist(name)

    def parse(self, variant: Variant, values: list[str]) -> Any:
        raise NotImplementedError

    def grade(self, variant: Variant, response: Any, points: float) -> Grade:
        raise NotImplementedError

    def key_text(self, variant: Variant) -> str:
        raise NotImplementedError

    def response_text(self, variant: Variant, response: Any) -> str:
        return str(response)

    def picked(self, variant: Variant, response: Any) -> tuple[int, ...]:
        """Original indexes of the options a response chose (choice types only)."""
        return ()

    def refill(self, values: list[str]) -> Any:
        """What goes back into the form (`saved`) when a submission is sent back unstored."""
        return None


class ChoiceType(QuestionType):
    shape = "choice"
    partial = "quizzes/types/_choice.html"

    def __init__(self, name: str, label: str, single: bool) -> None:
        super().__init__(name, label)
        self.single = single
        self.empty_message = "请先选择一个答案再提交。" if single else "请至少选择一个选项再提交。"

    def check(self, raw: dict) -> list[str]:
        return check_single(raw) if self.single else check_multiple(raw)

    def load(self, raw: dict) -> dict:
        return {"options": tuple(str(o).strip() for o in raw.get("options") or ()),
                "answer": str(raw.get("answer", "")).strip()}

    def dump(self, question: Question) -> dict:
        return {"options": list(question.options), "answer": question.answer}

    def make_variant(self, question: Question, rng: random.Random, seed: int) -> Variant:
        order = list(range(len(question.options)))
        rng.shuffle(order)
        return Variant(question, seed, question.stem, option_order=tuple(order))

    def form_values(self, form, name: str, question: Question) -> list[str]:
        """The ticked letters; the empty value beside a 多选's boxes only says the question was on the form."""
        return [v for v in form.getlist(name) if v]

    def parse(self, variant: Variant, values: list[str]) -> Any:
        if self.single:
            return _option_index(values, variant)
        picked = sorted({_option_index([v], variant) for v in values})
        if not picked:
            raise BadResponse("请至少选择一个选项。")
        return picked

    def grade(self, variant: Variant, response: Any, points: float) -> Grade:
        return (grade_single if self.single else grade_multiple)(variant, response, points)

    def key_text(self, variant: Variant) -> str:
        shown = _shown_letters(variant)
        return "".join(sorted(shown[i] for i in variant.question.answer_indexes))

    def response_text(self, variant: Variant, response: Any) -> str:
        shown = _shown_letters(variant)
        return "".join(sorted(shown[i] for i in self.picked(variant, response)))

    def picked(self, variant: Variant, response: Any) -> tuple[int, ...]:
        return (response,) if self.single else tuple(response)


class TrueFalseType(QuestionType):
    shape = "true_false"
    print_bracket = True
    partial = "quizzes/types/_true_false.html"
    empty_message = "请先选择“正确”或“错误”再提交。"

    def check(self, raw: dict) -> list[str]:
        return check_true_false(raw)

    def load(self, raw: dict) -> dict:
        return {"answer": "true" if raw.get("answer") is True else "false"}

    def dump(self, question: Question) -> dict:
        return {"answer": question.answer == "true"}

    def parse(self, variant: Variant, values: list[str]) -> Any:
        if values not in (["true"], ["false"]):
            raise BadResponse("判断题的答案只能是“正确”或“错误”。")
        return values[0] == "true"

    def grade(self, variant: Variant, response: Any, points: float) -> Grade:
        return grade_true_false(variant, response, points)

    def key_text(self, variant: Variant) -> str:
        return "正确" if variant.question.answer == "true" else "错误"

    def response_text(self, variant: Variant, response: Any) -> str:
        return "正确" if response else "错误"


class FillBlankType(QuestionType):
    shape = "blanks"
    partial = "quizzes/types/_fill_blank.html"
    empty_message = "请至少填写一个空再提交。"

    def check(self, raw: dict) -> list[str]:
        return check_fill_blank(raw)

    def load(self, raw: dict) -> dict:
        return {"blanks": tuple(tuple(str(x).strip() for x in b) for b in raw.get("blanks") or ()),
                "any_order": any_order_groups(raw.get("any_order"), len(raw.get("blanks") or ()))}

    def dump(self, question: Question) -> dict:
        groups = question.any_order
        if not groups:
            return {"blanks": [list(b) for b in question.blanks]}
        whole = groups == (tuple(range(len(question.blanks))),)
        return {"blanks": [list(b) for b in question.blanks],
                "any_order": True if whole else [[i + 1 for i in g] for g in groups]}

    def field_names(self, name: str, question: Question) -> list[str]:
        return [f"{name}_{k}" for k in range(len(question.blanks))]

    def form_values(self, form, name: str, question: Question) -> list[str]:
        return [form.get(field, "") for field in self.field_names(name, question)]

    def refill(self, values: list[str]) -> Any:
        return values

    def parse(self, variant: Variant, values: list[str]) -> Any:
        blanks = variant.question.blanks
        if len(values) != len(blanks):
            raise BadResponse(f"本题有 {len(blanks)} 个空，提交了 {len(values)} 个答案。")
        if any(len(v) > 200 for v in values):
            raise BadResponse("填空答案太长。")
        return [v.strip() for v in values]

    def grade(self, variant: Variant, response: Any, points: float) -> Grade:
        return grade_fill_blank(variant, response, points)

    def key_text(self, variant: Variant) -> str:
        return "；".join(" / ".join(b) for b in variant.question.blanks)

    def response_text(self, variant: Variant, response: Any) -> str:
        return "；".join(v or "（空）" for v in response)


class SubjectiveType(QuestionType):
    """名词解释, 简答, 案例分析: free text, a suggested score from 得分点, then self-assessment."""

    shape = "essay"
    objective = False
    partial = "quizzes/types/_text.html"
    empty_message = "你还没有写答案。确定要提交空白作答吗？空白作答按 0 分计。"

    def __init__(self, name: str, label: str, rows: int, print_lines: int) -> None:
        super().__init__(name, label)
        self.rows, self.print_lines = rows, print_lines

    def check(self, raw: dict) -> list[str]:
        return check_subjective(raw)

    def load(self, raw: dict) -> dict:
        return {"reference_answer": str(raw.get("reference_answer", "")).strip(),
                "key_points": tuple(KeyPoint(p["text"].strip(), float(p.get("points", 1)), tuple(p.get("aliases") or ()))
                                    for p in raw.get("key_points") or ())}

    def dump(self, question: Question) -> dict:
        points = [{"text": p.text, **({"points": _number(p.points)} if p.points != 1 else {}),
                   **({"aliases": list(p.aliases)} if p.aliases else {})} for p in question.key_points]
        return {"reference_answer": question.reference_answer, "key_points": points}

    def refill(self, values: list[str]) -> Any:
        return "".join(values[:1])

    def parse(self, variant: Variant, values: list[str]) -> Any:
        if len(values) != 1 or len(values[0]) > MAX_TEXT:
            raise BadResponse(f"作答须为一段不超过 {MAX_TEXT} 字的文字。")
        return values[0].strip()

    def grade(self, variant: Variant, response: Any, points: float) -> Grade:
        return grade_subjective(variant, response, points)

    def key_text(self, variant: Variant) -> str:
        return variant.question.reference_answer


class CalculationType(QuestionType):
    shape = "calculation"
    needs_stem = False
    print_lines = 6
    partial = "quizzes/types/_calculation.html"
    empty_message = "请先填写计算结果（一个数字，例如 9210.08）再提交。"

    def check(self, raw: dict) -> list[str]:
        return check_calculation(raw)

    def refill(self, values: list[str]) -> Any:
        return "".join(values[:1])

    def load(self, raw: dict) -> dict:
        return {"generator": str(raw.get("generator", ""))}

    def dump(self, question: Question) -> dict:
        return {"generator": question.generator}

    def make_variant(self, question: Question, rng: random.Random, seed: int) -> Variant:
        from .generators import generate

        g = generate(question.generator, rng.randrange(2**31))
        return Variant(question, seed, g.stem, expected=g.answer, tolerance=g.tolerance, unit=g.unit,
                       solution=g.solution, params=g.params)

    def parse(self, variant: Variant, values: list[str]) -> Any:
        try:
            number = float(values[0].replace(",", "").replace("，", "").strip()) if len(values) == 1 else None
        except ValueError:
            number = None
        if number is None or number != number or abs(number) == float("inf"):
            raise BadResponse("请填写一个数字，例如 9210.08。")
        return number

    def grade(self, variant: Variant, response: Any, points: float) -> Grade:
        return grade_calculation(variant, response, points)

    def key_text(self, variant: Variant) -> str:
        return f"{variant.expected:g}{variant.unit}"

    def response_text(self, variant: Variant, response: Any) -> str:
        return f"{response:g}"


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        ChoiceType("single", "单项选择", single=True),
        ChoiceType("multiple", "多项选择", single=False),
        TrueFalseType("true_false", "判断"),
        FillBlankType("fill_blank", "填空"),
        SubjectiveType("term", "名词解释", rows=5, print_lines=4),
        SubjectiveType("short_answer", "简答", rows=5, print_lines=9),
        SubjectiveType("case", "案例分析", rows=8, print_lines=14),
        CalculationType("calculation", "计算"),
    )
}
