"""`flask export` and `flask import`: the bank in and out from the command line."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from course.loader import load_course
from quizzes import chapter_anchors
from quizzes.bank import load_bank, load_banks

from . import BY_EXTENSION, FORMATS
from .groups import public_groups
from .importer import build_bank, id_prefix


@click.command("export")
@with_appcontext
@click.option("--format", "fmt", required=True, type=click.Choice([n for n, f in FORMATS.items() if f.export]))
@click.option("--chapter", help="Only this chapter's questions (its slug, or cases).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of standard output.")
def export_command(fmt: str, chapter: str | None, out: Path | None) -> None:
    """Export the public question bank as Moodle XML, GIFT, Anki text or JSON."""
    content = Path(current_app.config["CONTENT_DIR"])
    course = load_course(content)
    groups = public_groups(course, load_banks(content, chapter_anchors(course)), chapter)
    if not groups:
        raise click.BadParameter(f"没有这一章或这一章没有题目：{chapter}", param_hint="--chapter")
    result = FORMATS[fmt].export(groups)
    for note in result.notes:
        click.echo(f"注意 {note}", err=True)
    if out:
        out.write_bytes(result.content)
        click.echo(f"已导出 {sum(len(g.questions) for g in groups) - len(_skipped(result))} 题到 {out}", err=True)
    else:
        sys.stdout.buffer.write(result.content)


def _skipped(result) -> list:
    return [n for n in result.notes if "未导出" in n.reason]


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice([n for n, f in FORMATS.items() if f.parse]),
              help="Default: from the file's extension (.xml .gift .txt .json .xlsx .docx).")
@click.option("--chapter", required=True, help="The chapter the questions belong to (slug, or cases).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="content/questions/NAME.yaml")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.option("--teacher-only", is_flag=True,
              help="Write `visibility: assignment`: the questions are for assignments only, never shown to students elsewhere.")
def import_command(file: Path, fmt: str | None, chapter: str, out: Path, force: bool, teacher_only: bool) -> None:
    """Import questions from Moodle XML, GIFT, JSON, a 学习通 spreadsheet or a Word paper into a bank file."""
    fmt = fmt or BY_EXTENSION.get(file.suffix.lower())
    if fmt is None:
        raise click.BadParameter(f"看不出格式（扩展名 {file.suffix}），请用 --format 指定", param_hint="--format")
    content = Path(current_app.config["CONTENT_DIR"])
    course = load_course(content)
    anchors = chapter_anchors(course)
    if chapter not in anchors:
        raise click.BadParameter(f"没有这一章：{chapter}（可选：{', '.join(anchors)}）", param_hint="--chapter")
    if out.exists() and not force:
        raise click.BadParameter(f"{out} 已存在（加 --force 覆盖）", param_hint="--out")
    parsed = FORMATS[fmt].parse(file.read_bytes())
    taken = {q.id for q in load_banks(content, anchors).for_assignments()}   # ids are course-wide
    built = build_bank(parsed, chapter, file.name, id_prefix(out.stem), taken, anchors[chapter],
                       "assignment" if teacher_only else "public")
    for note in built.notes:
        click.echo(f"未导入 {note}", err=True)
    for note in built.changes:
        click.echo(f"注意 {note}", err=True)
    count = len(built.bank["questions"])
    if not count:
        click.echo(f"{file}：没有读到任何题目", err=True)
        sys.exit(1)
    built.write(out)
    _, problems = load_bank(out, anchors)
    warnings = [p for p in problems if p.level == "warning"]
    click.echo(f"已导入 {count} 题到 {out}；{len(built.notes)} 题未能导入，{len(built.changes)} 题有改动；"
               f"{len(warnings)} 条待补全（解析、得分点、小节），用 flask --app app check 查看", err=True)
