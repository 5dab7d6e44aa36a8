"""Downloads of the public question bank in every export format."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request

from course import current_course
from quizzes import chapter_anchors, current_banks
from quizzes.bank import ID_RE, VISIBILITIES, load_bank
from teacher.views import login_required

from . import BY_EXTENSION, FORMATS
from .groups import chapter_titles, public_groups
from .importer import build_bank, id_prefix

bp = Blueprint("interop", __name__)


@bp.get("/bank")
def index():
    counts = current_banks().counts()
    chapters = [(slug, title, counts[slug]) for slug, title in chapter_titles(current_course()).items() if counts.get(slug)]
    formats = [f for f in FORMATS.values() if f.export]
    return render_template("interop/index.html", formats=formats, chapters=chapters, total=sum(counts.values()))


@bp.get("/bank/export/<name>")
def download(name: str):
    fmt = FORMATS.get(name)
    if fmt is None or fmt.export is None:
        abort(404, description="没有这种导出格式。")
    chapter = request.args.get("chapter") or None
    groups = public_groups(current_course(), current_banks(), chapter)
    if not groups:
        abort(404, description="没有这一章，或这一章没有题目。")
    result = fmt.export(groups)
    filename = f"crm-{chapter or 'all'}.{fmt.extension}"
    return Response(result.content, mimetype=fmt.mimetype,
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.route("/teacher/import", methods=["GET", "POST"])
@login_required
def upload():
    """A teacher brings in questions from a file: the bank is written to content/questions/ and reported."""
    content = Path(current_app.config["CONTENT_DIR"])
    anchors = chapter_anchors(current_course())
    chapters = [(slug, title) for slug, title in chapter_titles(current_course()).items() if slug in anchors]
    if request.method == "GET":
        return render_template("interop/upload.html", chapters=chapters, form={}, result=None)
    form = request.form
    upload = request.files.get("file")
    problem = _upload_problem(upload, form, anchors, content)
    if problem:
        return render_template("interop/upload.html", chapters=chapters, form=form, result=None, error=problem), 400
    fmt = BY_EXTENSION[Path(upload.filename).suffix.lower()]
    parsed = FORMATS[fmt].parse(upload.read())
    banks = current_banks()
    taken = {q.id for q in banks.for_assignments()}      # ids are course-wide, assignment-only banks included
    built = build_bank(parsed, form["chapter"], Path(upload.filename).name, id_prefix(form["name"]), taken,
                       anchors[form["chapter"]], form.get("visibility", "assignment"))
    if not built.bank["questions"]:
        return render_template("interop/upload.html", chapters=chapters, form=form, result=built,
                               error="这个文件里没有读到任何题目，题库没有改动。"), 422
    path = content / "questions" / f"{form['name']}.yaml"
    try:
        built.write(path)
    except OSError as exc:
        current_app.logger.error("cannot write %s: %s", path, exc)
        abort(503, description="题库目录暂时不可写，题目没有保存。请联系管理员。")
    warnings = [p for p in load_bank(path, anchors)[1] if p.level == "warning"]
    return render_template("interop/upload.html", chapters=chapters, form={}, result=built, written=path.name,
                           warnings=warnings)


def _upload_problem(upload, form, anchors: dict, content: Path) -> str | None:
    """Why an upload form cannot be used, in Chinese; None when it can."""
    if upload is None or not upload.filename:
        return "请选择要导入的文件。"
    if Path(upload.filename).suffix.lower() not in BY_EXTENSION:
        return "只能导入 .xlsx、.docx、.xml（Moodle）、.gift/.txt（GIFT）或 .json 文件。"
    if form.get("chapter") not in anchors:
        return "请选择题目所属的章节。"
    if not ID_RE.match(form.get("name", "")) or len(form["name"]) > 60:
        return "题库名只能用小写字母、数字和连字符，如 ch4-midterm-2024。"
    if form.get("visibility", "assignment") not in VISIBILITIES:
        return "请选择题库用途。"
    if (content / "questions" / f"{form['name']}.yaml").exists():
        return f"已有名为 {form['name']} 的题库，请换一个名字。"
    return None
