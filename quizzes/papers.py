"""Kinds of timed paper that share the mock exam's pages, autosave, answer sheet and submit core.

A package adds its own kind (the teacher area adds "assignment") by putting a PaperKind in PAPER_KINDS;
the exam views look the attempt's kind up here instead of branching on names."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sqlite_utils

from .model import Attempt


@dataclass(frozen=True)
class PaperKind:
    title: Callable[[sqlite_utils.Database, Attempt], str]
    # May the student see scores, keys and explanations of a submitted paper yet?
    results_visible: Callable[[sqlite_utils.Database, Attempt], bool] = lambda db, attempt: True
    # May the student see each question's key and explanation yet? (Never before results_visible; may be later:
    # an assignment with attempts left shows the score, and the answers once no attempt is left.)
    answers_visible: Callable[[sqlite_utils.Database, Attempt], bool] = lambda db, attempt: True
    notebook: bool = True               # wrong answers enter the 错题本 on submission
    # (label, url) of the page to go back to from the result; None: the mock exam's own links
    home: Callable[[sqlite_utils.Database, Attempt], tuple[str, str]] | None = None
    # Teachers' comments by position, shown on the result page once results are visible
    comments: Callable[[sqlite_utils.Database, Attempt], dict[int, str]] = lambda db, attempt: {}


PAPER_KINDS: dict[str, PaperKind] = {"exam": PaperKind(title=lambda db, attempt: "模拟考试")}
