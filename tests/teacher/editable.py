"""Fixtures for teacher tests that edit the course on disk: a copy of the fixture content and an app over it
with the teacher "alice". Import `content` and `app` into a test module to use them there."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES, make_app
from tests.teacher.conftest import make_teacher


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", target)
    return target


@pytest.fixture
def app(tmp_path, content):
    application = make_app(tmp_path, CONTENT_DIR=str(content))
    make_teacher(application, "alice")
    return application
