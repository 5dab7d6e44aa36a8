"""The teacher area: accounts, classes and rosters, assignments handed out by code, results, grading,
item analysis and exports. Students reach an assignment through /join/<CODE>."""
from __future__ import annotations

from flask import Flask

from .accounts import SESSION_LENGTH
from .assignments import RELEASES

STATUS_LABELS = {"upcoming": "未开放", "open": "进行中", "closed": "已截止"}


def init_app(app: Flask) -> None:
    from quizzes.papers import PAPER_KINDS
    from records.store import MERGES

    from . import classroom, cli, join_views, results_views, store, views  # noqa: F401 (join_views, results_views add routes to views.bp)
    from .forms import local_text

    app.config["PERMANENT_SESSION_LIFETIME"] = SESSION_LENGTH
    app.add_template_filter(local_text, "local_time")
    app.add_template_filter(lambda s: STATUS_LABELS.get(s, s), "status_label")
    app.add_template_global(RELEASES, "releases")
    PAPER_KINDS["assignment"] = classroom.PAPER
    app.register_blueprint(views.bp)
    MERGES["enrolments"] = store.merge_enrolments   # records moving to another device: one 学号 per class
    app.cli.add_command(cli.create_teacher)
    app.cli.add_command(cli.set_teacher_password)
    app.cli.add_command(cli.create_assignment)
