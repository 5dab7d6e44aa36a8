"""Application factory: configuration layers, database, blueprints. Wiring only."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_compress import Compress
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import course
from course import preload
import db
import errors
import interop
import limits
import security
import printing
import flashcards
import quizzes
import teacher
import records
from quizzes import learner
from simulations import views as simulation_views

ROOT = Path(__file__).resolve().parent
csrf = CSRFProtect()
compress = Compress()


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
        PROXY_COUNT=0,
        COMPRESS_ALGORITHM=["gzip"],  # level 6: a chapter 55 kB -> 16 kB in ~4 ms; brotli 4 is larger, 5 is 2.5x slower
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CRM")
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    app.json.ensure_ascii = False
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:  # trust X-Forwarded-For/-Proto/-Host/-Port from exactly this many reverse proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)

    security.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    course.init_app(app)
    quizzes.init_app(app)
    interop.init_app(app)
    printing.init_app(app)
    learner.init_app(app)
    teacher.init_app(app)
    limits.init_app(app)   # after CSRFProtect: a forged request is refused before it counts
    records.init_app(app)
    flashcards.init_app(app)
    app.register_blueprint(simulation_views.bp)
    return app


def create_production_app() -> Flask:
    """The app a class uses (scripts/serve-production.sh): content, caches and search index loaded first."""
    app = create_app()
    app.config.setdefault("CONTENT_RECHECK_SECONDS", 2)   # content edits show within 2 s (course.content_cached)
    preload(app)
    return app
