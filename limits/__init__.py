"""Abuse limits that hold across worker processes (counts live in SQLite, see store.py).

Checked after CSRF and before any view writes: over a rate limit is a 429 with a Chinese reason and
`Retry-After`; too large is a 413 (waiting would not help); either way nothing is written. The
limits and their defaults are the README's "limits" table; each is a setting (CRM_LIMIT_…).
"""
from __future__ import annotations

import secrets

from flask import Flask, Response, abort, current_app, g, request
from werkzeug.exceptions import TooManyRequests

from db import get_db
from quizzes import store as quiz_store
from quizzes.learner import current_learner_id

from . import store

DEFAULTS = {
    "LIMIT_ATTEMPTS_PER_HOUR": 60,            # new practice sets, mock exams, redo sets, assignment starts
    "LIMIT_NEW_LEARNERS_PER_MINUTE": 1000,    # per network address: 600 students behind one school NAT fit
    "LIMIT_ANSWER_CHARS": 5000,               # one form field (the answer boxes allow 5000 characters)
    "LIMIT_AUTOSAVE_BYTES": 128 * 1024,       # the answers of one exam autosave, UTF-8
    "LIMIT_ATTEMPTS_KEPT": 2000,              # practice sets kept per learner; older ones are deleted
}
# Endpoints that start an attempt (a request the view refuses with a 4xx is not counted).
ATTEMPT_ENDPOINTS = {"quizzes.start_practice", "quizzes.start_exam", "quizzes.redo", "teacher.start", "teacher.review"}
AUTOSAVE_ENDPOINTS = {"quizzes.exam_save"}


def _too_many(message: str, wait: float) -> None:
    raise TooManyRequests(description=message, retry_after=int(wait))


def _check_sizes(config) -> None:
    limit = config["LIMIT_ANSWER_CHARS"]
    # A browser sends each line break of a text box as CR LF; the box itself (maxlength) counted it once.
    longest = max((len(value) - value.count("\r\n") for name, value in request.form.items(multi=True)
                   if name != "csrf_token"), default=0)
    if longest > limit:
        abort(413, description=f"一个答案最多 {limit} 个字（这次有 {longest} 个字），请精简后再提交。")
    if request.endpoint in AUTOSAVE_ENDPOINTS:
        size = sum(len(name.encode()) + len(value.encode()) for name, value in request.form.items(multi=True))
        if size > config["LIMIT_AUTOSAVE_BYTES"]:
            abort(413, description=f"这次自动保存的答案共 {size // 1024} KB，超过了 "
                                   f"{config['LIMIT_AUTOSAVE_BYTES'] // 1024} KB 的上限，请精简答案。")


def _take(db, scope: str, key: str, limit: int, window: float, subject: str = "") -> float:
    wait, event_id = store.take(db, scope, key, limit, window, subject)
    if event_id is not None:
        g.setdefault("rate_events", []).append(event_id)
    return wait


def _check_rates(config) -> None:
    db = get_db()
    starts = request.endpoint in ATTEMPT_ENDPOINTS
    learner_id = current_learner_id(create=starts)
    if learner_id is None or not store.learner_exists(db, learner_id):
        wait = _take(db, "new-learner", request.remote_addr or "", config["LIMIT_NEW_LEARNERS_PER_MINUTE"], 60,
                     subject=learner_id or secrets.token_hex(8))
        if wait:
            _too_many("这个网络地址一分钟内新来的学习者太多，请稍等片刻再试。", wait)
    if starts:
        limit = config["LIMIT_ATTEMPTS_PER_HOUR"]
        wait = _take(db, "attempt", learner_id, limit, 3600)
        if wait:
            _too_many(f"一小时内最多开始 {limit} 次练习或考试，请在 {max(1, round(wait / 60))} 分钟后再开始新的一组。", wait)


def check() -> None:
    if request.method != "POST" or request.endpoint is None:
        return
    if request.endpoint in AUTOSAVE_ENDPOINTS:
        g.json_errors = True
    config = current_app.config
    _check_sizes(config)
    _check_rates(config)


def settle(response: Response) -> Response:
    """A refused request gives its counted events back (it wrote nothing); after a new practice set, keep
    the newest LIMIT_ATTEMPTS_KEPT (see quizzes.store.prune_practice)."""
    if response.status_code >= 400 and g.get("rate_events"):
        store.release(get_db(), g.pop("rate_events"))
    elif request.endpoint in ATTEMPT_ENDPOINTS and response.status_code < 400 and g.get("learner_id"):
        quiz_store.prune_practice(get_db(), g.learner_id, current_app.config["LIMIT_ATTEMPTS_KEPT"])
    return response


def init_app(app: Flask) -> None:
    """Register after CSRFProtect, so a forged request is refused before it counts."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.before_request(check)
    app.after_request(settle)
