"""The course text: content loading, Markdown rendering, chapter pages and search."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Callable

import click
from flask.cli import with_appcontext
from flask import Flask, current_app, g, has_request_context

from .loader import Course, Problem, content_signature, load_course
from .render import tex_block_filter, tex_filter

_lock = threading.RLock()  # re-entrant: a cached value may be built from another (banks from course)

# Extra content checks (e.g. question banks) register here: fn(content_dir) -> list[Problem].
CONTENT_CHECKS: list[Callable[[Path], list[Problem]]] = []


_recent: dict[str, tuple[float, tuple]] = {}   # content dir -> (monotonic time, signature), per process


def _request_signature(content_dir: Path) -> tuple:
    """The content fingerprint, taken once per request: a page may ask for the course many times.

    With CONTENT_RECHECK_SECONDS > 0 (the production server sets 2), one fingerprint serves every request
    of a process for that long: a stat of every content file costs about a third of an autosave."""
    if not has_request_context():
        return content_signature(content_dir)
    if "content_signature" not in g:
        ttl = current_app.config.get("CONTENT_RECHECK_SECONDS", 0)
        taken, signature = _recent.get(str(content_dir), (float("-inf"), None))
        if time.monotonic() - taken >= ttl or signature is None:
            signature = content_signature(content_dir)
            if ttl:
                _recent[str(content_dir)] = (time.monotonic(), signature)
        g.content_signature = signature
    return g.content_signature


def content_cached(name: str, build: Callable[[Path], object], problems_of: Callable[[object], tuple] = lambda v: ()):
    """Build a value from content/ once, and again whenever any file under content/ changes.

    Edits show without a restart, in production as under --debug; problems are logged, not raised.
    """
    state = current_app.extensions.setdefault(name, {})
    content_dir = Path(current_app.config["CONTENT_DIR"])
    signature = _request_signature(content_dir)
    if state.get("signature") != signature:
        with _lock:
            if state.get("signature") != signature:
                state["value"] = build(content_dir)
                state["signature"] = signature
                for problem in problems_of(state["value"]):
                    current_app.logger.warning("%s problem: %s", name, problem)
    return state["value"]


def current_course() -> Course:
    """The loaded course (see content_cached)."""
    return content_cached("course", load_course, lambda course: course.problems)


def preload(app: Flask) -> None:
    """Run every registered start-up hook (app.extensions["preload"]): content, caches, search index.

    The production server calls this before it accepts a request, so no student's request pays the load,
    and with --preload every worker process inherits the result.
    """
    with app.app_context():
        for hook in app.extensions.get("preload", []):
            hook()
        for name in app.jinja_env.list_templates():   # compiled once here, not by each worker's first page
            if name.endswith(".html"):
                app.jinja_env.get_template(name)


def _preload_search() -> None:
    from db import connect
    from .views import prepare_search

    database = connect(current_app.config["DATABASE"])
    try:
        prepare_search(database)
    finally:
        database.conn.close()


def check_content(content_dir: Path) -> list[Problem]:
    problems = list(load_course(content_dir).problems)
    for check in CONTENT_CHECKS:
        problems.extend(check(content_dir))
    return problems


@click.command("check")
@with_appcontext
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Content folder to check (default: the app's CONTENT_DIR).")
def check_command(content_dir: Path | None) -> None:
    """Validate all course content; exit non-zero with file:line: reason for each problem."""
    content_dir = content_dir or Path(current_app.config["CONTENT_DIR"])
    if not content_dir.is_dir():
        click.echo(f"{content_dir}: 目录不存在", err=True)
        sys.exit(2)
    problems = check_content(content_dir)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = [p for p in problems if p.level != "warning"]
    if errors:
        click.echo(f"发现 {len(errors)} 个问题", err=True)
        sys.exit(1)
    course = load_course(content_dir)
    warned = f"（{len(problems)} 条警告：可以以后补全）" if problems else ""
    click.echo(f"内容检查通过：{len(course.chapters)} 个页面，约 {sum(c.char_count for c in course.chapters)} 个汉字{warned}")


def init_app(app: Flask) -> None:
    from . import views

    app.register_blueprint(views.bp)
    app.add_template_filter(tex_filter, "tex")
    app.add_template_filter(tex_block_filter, "tex_block")
    app.cli.add_command(check_command)
    app.context_processor(lambda: {"nav_endpoints": app.view_functions.keys()})
    app.extensions.setdefault("preload", []).extend([current_course, _preload_search])
