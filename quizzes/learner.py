"""Students need no account: a random learner id in a long-lived signed cookie."""
from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "crm_learner"
MAX_AGE = 400 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="learner-id")


def current_learner_id(create: bool = True) -> str | None:
    """The learner id from the cookie; a new one (set on the response) when absent and `create`."""
    if "learner_id" in g:
        return g.learner_id
    raw = request.cookies.get(COOKIE)
    learner_id = None
    if raw:
        try:
            learner_id = _serializer().loads(raw)
        except BadSignature:
            learner_id = None
    if learner_id is None and create:
        learner_id = secrets.token_urlsafe(16)
        g.set_learner_cookie = True
    if learner_id is not None:
        g.learner_id = learner_id
    return learner_id


def adopt(learner_id: str) -> None:
    """Make this browser act as an existing learner (a student resuming on another device)."""
    g.learner_id = learner_id
    g.set_learner_cookie = True
    g.pop("clear_learner_cookie", None)


def forget() -> None:
    g.pop("learner_id", None)
    g.clear_learner_cookie = True


def _set_cookie(response: Response) -> Response:
    if g.get("clear_learner_cookie"):
        response.delete_cookie(COOKIE)
    elif g.get("set_learner_cookie"):
        response.set_cookie(COOKIE, _serializer().dumps(g.learner_id), max_age=MAX_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_cookie)
