from pathlib import Path

import pytest

from course.loader import ContentError, load_chapter, load_course, parse_front_matter

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_course_loads_in_configured_order():
    course = load_course(FIXTURE_CONTENT)
    assert [c.slug for c in course.chapters] == ["alpha", "beta", "gamma-case"]
    assert course.problems == ()
    assert course.get("gamma-case").label == "案例"
    assert course.get("alpha").label == "第1章"


def test_neighbours_follow_course_order():
    course = load_course(FIXTURE_CONTENT)
    prev, nxt = course.neighbours("beta")
    assert (prev.slug, nxt.slug) == ("alpha", "gamma-case")
    assert course.neighbours("alpha")[0] is None


def test_front_matter_split_reports_body_line():
    meta, body, line = parse_front_matter("---\ntitle: 甲\nnumber: 1\n---\n正文\n", "x.md")
    assert (meta, body, line) == ({"title": "甲", "number": 1}, "正文\n", 5)


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("没有 front matter\n", 1, "缺少 YAML front matter"),
        ("---\ntitle: [未闭合\nnumber: 1\n---\n", 3, "YAML 语法错误"),
        ("---\nnumber: 1\n---\n", 2, "缺少 title"),
        ("---\ntitle: 甲\n---\n", 2, "整数 number"),
        ("---\ntitle: 甲\nnumber: 1\nkind: quiz\n---\n", 2, "未知的 kind"),
        ("---\ntitle: 甲\nnumber: 1\n---\n\n## 没有锚点\n", 6, "缺少永久锚点"),
        ("---\ntitle: 甲\nnumber: 1\n---\n## 一 {#a}\n### 二 {#a}\n", 6, "锚点 #a 重复"),
    ],
)
def test_bad_chapter_names_file_line_and_reason(tmp_path, text, line, reason):
    path = write(tmp_path, "bad.md", text)
    with pytest.raises(ContentError) as caught:
        load_chapter(path)
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == (str(path), line)
    assert reason in problem.message


def test_broken_chapter_is_reported_not_raised(tmp_path):
    (tmp_path / "chapters").mkdir()
    write(tmp_path, "course.yaml", "chapters: [good, bad]\n")
    write(tmp_path / "chapters", "good.md", "---\ntitle: 好\nnumber: 1\n---\n## 一 {#one}\n内容\n")
    write(tmp_path / "chapters", "bad.md", "---\ntitle: [\n---\n")
    course = load_course(tmp_path)
    assert [c.slug for c in course.chapters] == ["good"]
    assert [p.path for p in course.problems] == [str(tmp_path / "chapters" / "bad.md")]


def test_unlisted_and_missing_chapter_files_are_problems(tmp_path):
    (tmp_path / "chapters").mkdir()
    write(tmp_path, "course.yaml", "chapters:\n  - present\n  - absent\n")
    write(tmp_path / "chapters", "present.md", "---\ntitle: 在\nnumber: 1\n---\n")
    write(tmp_path / "chapters", "stray.md", "---\ntitle: 多余\nnumber: 2\n---\n")
    messages = [f"{p.path}:{p.line}: {p.message}" for p in load_course(tmp_path).problems]
    assert any("course.yaml:3:" in m and "absent" in m for m in messages)
    assert any("stray.md:1:" in m and "未在 course.yaml" in m for m in messages)
