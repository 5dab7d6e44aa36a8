"""Load content/: course.yaml and chapters/*.md into frozen values, or name file, line and problem."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .render import Rendered, render_markdown

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
HEADING_LINE_RE = re.compile(r"^(#{2,3})\s+(.*?)\s*$")
ANCHOR_RE = re.compile(r"\{#([A-Za-z0-9_-]+)\}\s*$")
KINDS = ("chapter", "case")


COURSE_TZ = dt.timezone(dt.timedelta(hours=8), "UTC+8")   # the course's students: days roll over at Beijing midnight


def course_day(moment: dt.datetime | None = None) -> dt.date:
    """The calendar day the students are living in (every countdown and daily schedule counts in it)."""
    return (moment or dt.datetime.now(dt.UTC)).astimezone(COURSE_TZ).date()

@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    level: str = "error"      # "warning": something to complete later; the content still loads

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {'警告：' if self.level == 'warning' else ''}{self.message}"


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    kind: str
    number: int | None
    summary: str
    simulations: tuple[str, ...]
    rendered: Rendered
    path: str

    @property
    def label(self) -> str:
        return f"第{self.number}章" if self.number else "案例"

    @property
    def char_count(self) -> int:
        return sum(len(re.findall(r"[\u4e00-\u9fff]", s.text)) for s in self.rendered.sections)


@dataclass(frozen=True)
class Course:
    title: str
    subtitle: str
    exam_date: dt.date | None
    chapters: tuple[Chapter, ...]
    problems: tuple[Problem, ...] = field(default=())

    def get(self, slug: str) -> Chapter | None:
        return next((c for c in self.chapters if c.slug == slug), None)

    def neighbours(self, slug: str) -> tuple[Chapter | None, Chapter | None]:
        slugs = [c.slug for c in self.chapters]
        i = slugs.index(slug)
        prev = self.chapters[i - 1] if i > 0 else None
        nxt = self.chapters[i + 1] if i + 1 < len(slugs) else None
        return prev, nxt


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _yaml_line(exc: yaml.YAMLError, offset: int = 0) -> int:
    mark = getattr(exc, "problem_mark", None)
    return (mark.line + 1 + offset) if mark else 1 + offset


def parse_front_matter(text: str, path: str) -> tuple[dict, str, int]:
    """Split a chapter file into (front matter, body, line where the body starts)."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        raise ContentError([Problem(path, 1, "缺少 YAML front matter（文件须以 --- 开头并以 --- 结束）")])
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Problem(path, _yaml_line(exc, 1), f"front matter YAML 语法错误：{reason}")])
    if not isinstance(meta, dict):
        raise ContentError([Problem(path, 2, "front matter 必须是键值映射")])
    body_line = match.group(0).count("\n") + 1
    return meta, text[match.end():], body_line


def _check_meta(meta: dict, path: str) -> list[Problem]:
    problems = []
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        problems.append(Problem(path, 2, "front matter 缺少 title"))
    kind = meta.get("kind", "chapter")
    if kind not in KINDS:
        problems.append(Problem(path, 2, f"未知的 kind：{kind!r}（可选 {', '.join(KINDS)}）"))
    if kind == "chapter" and not isinstance(meta.get("number"), int):
        problems.append(Problem(path, 2, "章节的 front matter 须有整数 number"))
    sims = meta.get("simulations", [])
    if not isinstance(sims, list) or not all(isinstance(s, str) for s in sims):
        problems.append(Problem(path, 2, "simulations 须为名称列表"))
    return problems


def _check_headings(body: str, path: str, first_line: int) -> list[Problem]:
    problems, seen = [], {}
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        if line.startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING_LINE_RE.match(line)
        if not match:
            continue
        lineno = first_line + offset
        anchor = ANCHOR_RE.search(match.group(2))
        if not anchor:
            problems.append(Problem(path, lineno, f"标题缺少永久锚点 {{#...}}：{match.group(2)}"))
        elif anchor.group(1) in seen:
            problems.append(Problem(path, lineno, f"锚点 #{anchor.group(1)} 重复（第 {seen[anchor.group(1)]} 行已用）"))
        else:
            seen[anchor.group(1)] = lineno
    return problems


def load_chapter(path: Path, display: str | None = None) -> Chapter:
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(display, 1, f"无法读取文件：{exc}")])
    meta, body, body_line = parse_front_matter(text, display)
    problems = _check_meta(meta, display) + _check_headings(body, display, body_line)
    if problems:
        raise ContentError(problems)
    sims = tuple(meta.get("simulations", []))
    rendered = render_markdown(body, meta["title"])
    kind = meta.get("kind", "chapter")
    return Chapter(path.stem, meta["title"].strip(), kind, meta.get("number"),
                   str(meta.get("summary", "")).strip(), sims, rendered, display)


def _load_config(content_dir: Path) -> tuple[dict, list[Problem]]:
    path = content_dir / "course.yaml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        return {}, [Problem(str(path), 1, "找不到 course.yaml")]
    except yaml.YAMLError as exc:
        return {}, [Problem(str(path), _yaml_line(exc), f"YAML 语法错误：{getattr(exc, 'problem', exc)}")]
    problems = []
    if not isinstance(config, dict):
        return {}, [Problem(str(path), 1, "course.yaml 必须是键值映射")]
    for key in ("chapters", "cases"):
        slugs = config.get(key, [])
        if not isinstance(slugs, list) or not all(isinstance(s, str) and SLUG_RE.match(s) for s in slugs):
            problems.append(Problem(str(path), 1, f"{key} 须为 kebab-case slug 列表"))
            config[key] = []
    exam = config.get("exam_date")
    if exam is not None and not isinstance(exam, dt.date):
        problems.append(Problem(str(path), 1, "exam_date 须为 YYYY-MM-DD 日期"))
        config["exam_date"] = None
    return config, problems


def _line_of(path: Path, needle: str, ignore_case: bool = False) -> int:
    """First line of a file mentioning needle (for error messages), else 1."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((i for i, line in enumerate(lines, 1) if needle in (line.lower() if ignore_case else line)), 1)


def unsafe_problems(path: Path, chapter: Chapter) -> list[Problem]:
    """Markup the sanitiser removed from a chapter (script, event handlers, javascript: links), by line.

    The chapter still loads, without that markup; `flask check` fails until the author removes it.
    """
    problems = []
    for unsafe in chapter.rendered.unsafe:
        needle = (unsafe.source.strip().splitlines() or [""])[0].lower()
        where = f"公式 ${unsafe.source.strip()}$ " if unsafe.in_formula else ""
        problems.append(Problem(str(path), _line_of(path, needle, ignore_case=True),
                                f"{where}含有不允许的 HTML：{unsafe.what}（脚本、事件属性、javascript: 链接会被删除，请改写）"))
    return sorted(problems, key=lambda p: p.line)


def load_course(content_dir: Path) -> Course:
    """Load every chapter listed in course.yaml; problems are collected, never raised."""
    content_dir = Path(content_dir)
    config, problems = _load_config(content_dir)
    chapters = []
    listed = list(config.get("chapters", [])) + list(config.get("cases", []))
    for slug in listed:
        path = content_dir / "chapters" / f"{slug}.md"
        if not path.exists():
            config_path = content_dir / "course.yaml"
            problems.append(Problem(str(config_path), _line_of(config_path, slug), f"章节 {slug} 没有对应文件 {path}"))
            continue
        try:
            chapters.append(load_chapter(path))
        except ContentError as exc:
            problems.extend(exc.problems)
        else:
            problems.extend(unsafe_problems(path, chapters[-1]))
    for path in sorted((content_dir / "chapters").glob("*.md")):
        if path.stem not in listed:
            problems.append(Problem(str(path), 1, "该文件未在 course.yaml 的 chapters/cases 中列出"))
    return Course(str(config.get("title", "客户关系管理")), str(config.get("subtitle", "")),
                  config.get("exam_date"), tuple(chapters), tuple(problems))


def content_signature(content_dir: Path) -> tuple:
    """Cheap fingerprint of the content tree: reload when any file changes."""
    files = sorted(Path(content_dir).rglob("*"))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file())
