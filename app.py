"""Application factory: configuration layers, database, blueprints. Wiring only."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf import CSRFProtect

import course
import db
import errors
import quizzes
from quizzes import learner
from simulations import views as simulation_views

ROOT = Path(__file__).resolve().parent
csrf = CSRFProtect()


def _secret_key(instance_path: Path) -> str:
    """A stable per-installation key, created once, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("CRM_INSTANCE_PATH") or str(ROOT / "instance"))
    app.config.from_mapping(
        DATABASE=str(Path(app.instance_path) / "crm.sqlite3"),
        CONTENT_DIR=str(ROOT / "content"),
        WTF_CSRF_TIME_LIMIT=None,  # tie the token to the session: a long exam must not expire it
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=256 * 1024,
        JSON_AS_ASCII=False,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CRM")
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    app.json.ensure_ascii = False

    csrf.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    course.init_app(app)
    quizzes.init_app(app)
    learner.init_app(app)
    app.register_blueprint(simulation_views.bp)
    return app
