from pathlib import Path

from tests.conftest import FIXTURES


def run_check(app, *args):
    return app.test_cli_runner(mix_stderr=False).invoke(args=["check", *args]) if False else \
        app.test_cli_runner().invoke(args=["check", *args])


def test_check_passes_on_good_content(fixture_app):
    result = run_check(fixture_app, "--content", str(FIXTURES / "content"))
    assert result.exit_code == 0, result.output
    assert "内容检查通过" in result.output


def test_check_reports_file_line_and_reason(fixture_app, tmp_path: Path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "course.yaml").write_text("chapters: [bad]\n", encoding="utf-8")
    bad = tmp_path / "chapters" / "bad.md"
    bad.write_text("---\ntitle: 坏\nnumber: 1\n---\n\n## 无锚点标题\n", encoding="utf-8")
    result = run_check(fixture_app, "--content", str(tmp_path))
    assert result.exit_code == 1
    assert f"{bad}:6: 标题缺少永久锚点" in result.output


def test_check_on_missing_folder_fails(fixture_app, tmp_path):
    result = run_check(fixture_app, "--content", str(tmp_path / "nope"))
    assert result.exit_code == 2
