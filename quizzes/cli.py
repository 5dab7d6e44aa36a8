"""`flask try-answer`: grade an answer from the command line, for authors checking a key and teachers
settling a dispute."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from .engine import BadResponse, grade, make_variant, parse_response
from .model import Question, Variant
from .selection import question_points
from .types import LETTERS

TRUE_WORDS = {"true", "t", "对", "正确", "√", "✓", "是"}
FALSE_WORDS = {"false", "f", "错", "错误", "×", "✗", "否"}


def form_values(variant: Variant, answers: tuple[str, ...]) -> list[str]:
    """Command-line answers as the form would submit them: letters follow the YAML's option order."""
    q = variant.question
    if q.type in ("single", "multiple"):
        letters = "".join(answers).replace(",", "").replace(" ", "").upper()
        if not letters or any(ch not in LETTERS[:len(q.options)] for ch in letters):
            raise BadResponse(f"选项须为 {LETTERS[0]}–{LETTERS[len(q.options) - 1]} 中的字母（A 为 YAML 中的第一个选项）")
        if q.type == "single" and len(letters) != 1:
            raise BadResponse("单选题只能给一个字母")
        return list(dict.fromkeys(letters))      # the variant is unshuffled: shown letters = YAML letters
    if q.type == "true_false":
        word = " ".join(answers).strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise BadResponse("判断题的答案须为 对/错（或 true/false）")
        return ["true" if word in TRUE_WORDS else "false"]
    if q.type == "fill_blank":
        return list(answers)
    return [" ".join(answers)]


def try_answer(question: Question, answers: tuple[str, ...], seed: int = 0) -> dict:
    """The grade of `answers` as a JSON-ready dict; raises BadResponse for a malformed answer."""
    variant = make_variant(question, seed, shuffle=False)
    response = parse_response(variant, form_values(variant, answers))
    points = question_points(question)
    result = grade(variant, response, points)
    out = {"id": question.id, "score": result.score, "max": result.max_score, "correct": result.correct,
           "key_points": [{"text": p.point.text, "points": p.point.points, "found": p.found} for p in result.points]}
    if result.blank_marks:
        out["blanks"] = [{"given": m.given, "credit": m.credit, "status": m.status, "expected": m.expected}
                         for m in result.blank_marks]
    if question.type == "calculation":
        out["expected"] = variant.expected
        out["stem"] = variant.stem
    return out


@click.command("try-answer")
@click.argument("question_id")
@click.argument("answers", nargs=-1)
@click.option("--seed", type=int, default=0, help="Variant seed (calculation questions draw their numbers from it).")
@with_appcontext
def try_answer_command(question_id: str, answers: tuple[str, ...], seed: int) -> None:
    """Grade ANSWERS for QUESTION_ID and print score, max, correct and key points as JSON.

    A fill-in question takes one ANSWER per blank; a choice question the letters in the YAML's option
    order (A = first option); the others one text.
    """
    from . import current_banks

    question = current_banks().by_id().get(question_id)
    if question is None:
        click.echo(f"未知的题目 id：{question_id}", err=True)
        sys.exit(2)
    if not answers:
        click.echo("缺少答案：请在题目 id 之后给出作答", err=True)
        sys.exit(2)
    try:
        result = try_answer(question, answers, seed)
    except BadResponse as exc:
        click.echo(f"答案格式不对：{exc}", err=True)
        sys.exit(2)
    click.echo(json.dumps(result, ensure_ascii=False))
