"""Printable A4 papers: a chapter, the mock exam, a teacher's assignment, a learner's 错题集.

Other packages print a paper with `render_paper(paper_from_items(...), answers=...)`."""
from __future__ import annotations

from flask import Flask, render_template

from .paper import Paper, paper_from_items, paper_from_variants

__all__ = ["Paper", "paper_from_items", "paper_from_variants", "render_paper", "init_app"]


def render_paper(paper: Paper, answers: bool, links: list[tuple[str, str]] = (), notebook: bool = False) -> str:
    """The page of a paper: questions, then (answers=True) 参考答案与解析. `links`: (label, url) for the
    screen-only toolbar (hidden in print)."""
    return render_template("printing/paper.html", paper=paper, answers=answers, links=links, notebook=notebook)


def init_app(app: Flask) -> None:
    from quizzes.engine import key_text

    from . import views

    app.add_template_global(key_text, "key_text")
    app.register_blueprint(views.bp)
