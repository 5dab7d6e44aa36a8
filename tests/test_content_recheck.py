"""CONTENT_RECHECK_SECONDS: the production server fingerprints content at most every N seconds per process."""
import shutil

import course
from tests.conftest import FIXTURES, make_app


def test_edits_show_after_the_recheck_interval(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    app = make_app(tmp_path, CONTENT_DIR=str(content), CONTENT_RECHECK_SECONDS=2)
    clock = [1000.0]
    monkeypatch.setattr(course.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(course, "_recent", {})
    client = app.test_client()
    assert "测试课程" in client.get("/").get_data(as_text=True)
    (content / "course.yaml").write_text((content / "course.yaml").read_text(encoding="utf-8").replace(
        "测试课程", "改过的课程"), encoding="utf-8")
    clock[0] += 1
    assert "改过的课程" not in client.get("/").get_data(as_text=True)
    clock[0] += 1.5
    assert "改过的课程" in client.get("/").get_data(as_text=True)
