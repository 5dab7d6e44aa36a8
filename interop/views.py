"""Downloads of the public question bank in every export format."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from course import current_course
from quizzes import current_banks

from . import FORMATS
from .groups import chapter_titles, public_groups

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
