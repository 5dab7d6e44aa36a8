from __future__ import annotations

from pathlib import Path

import pytest

from app import ROOT, create_app
from db import close_thread_connections

FIXTURES = Path(__file__).parent / "fixtures"


def make_app(tmp_path: Path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": str(tmp_path / "test.sqlite3"),
        "CONTENT_DIR": str(ROOT / "content"),
        "WTF_CSRF_ENABLED": True,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    close_thread_connections()


@pytest.fixture
def fixture_app(tmp_path):
    """An app over the small fake course in tests/fixtures/content."""
    application = make_app(tmp_path, CONTENT_DIR=str(FIXTURES / "content"))
    yield application
    close_thread_connections()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def fixture_client(fixture_app):
    return fixture_app.test_client()
