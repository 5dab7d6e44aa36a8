"""Transfer codes and import: thin views over records.store."""
from __future__ import annotations

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from db import get_db
from quizzes import store as quizzes_store
from quizzes.learner import adopt, current_learner_id

from . import store, transfer
from .importer import BadExport, parse_export

bp = Blueprint("records", __name__)
IMPORT_LIMIT = 16 * 1024 * 1024     # an export of a whole term of practice is larger than a form post


def transfer_box(learner_id: str | None) -> dict | None:
    """For /me: the learner's live code with its QR code (an inline SVG made here, never fetched)."""
    active = store.active_code(get_db(), learner_id) if learner_id else None
    if active is None:
        return None
    url = url_for("records.redeem_form", code=transfer.display(active["code"]), _external=True)
    qr = segno.make(url, error="m").svg_inline(scale=5, omitsize=True, dark="#1b2a3a", light="#fff", title="转移码二维码")
    left = (active["expires_at"] - quizzes_store.now()).total_seconds()
    return {"code": transfer.display(active["code"]), "minutes_left": max(1, round(left / 60)), "url": url,
            "qr": Markup(qr)}


def me_page(import_error: str | None = None) -> str:
    """The /me page (quizzes.me): name, transfer code, export, import, delete."""
    learner_id = current_learner_id(create=False)
    row = quizzes_store.learner(get_db(), learner_id) if learner_id else None
    return render_template("quizzes/me.html", learner=row, transfer=transfer_box(learner_id), import_error=import_error)


@bp.post("/me/transfer/code")
def create_code():
    store.create_code(get_db(), current_learner_id())
    return redirect(url_for("quizzes.me") + "#transfer")


@bp.get("/me/transfer")
def redeem_form():
    return render_template("records/redeem.html", code=request.args.get("code", "")[:20], error=None)


@bp.post("/me/transfer")
def redeem():
    typed = request.form.get("code", "")[:40]
    try:
        learner_id = store.redeem(get_db(), transfer.normalize(typed), request.remote_addr or "unknown",
                                  current_learner_id(create=False))
    except store.TooManyTries:
        return render_template("records/redeem.html", code=typed, error="输错的次数太多，请 10 分钟后再试。"), 429
    except store.WrongCode:
        error = "转移码不对、已过期或已经用过。请在原设备的“我的数据”页重新生成一个。"
        return render_template("records/redeem.html", code=typed, error=error), 400
    adopt(learner_id)
    flash("学习记录已转到本设备：练习、考试、错题本、收藏和记忆卡进度现在与原设备共用。")
    return redirect(url_for("quizzes.me"))


@bp.post("/me/import")
def import_file():
    request.max_content_length = IMPORT_LIMIT
    current_app.extensions["csrf"].protect()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        abort(400, description="请选择要导入的文件（从“我的数据”下载的 crm-learning-data.json）。")
    try:
        data = parse_export(upload.read(), {name: section.parse for name, section in store.SECTIONS.items()})
    except BadExport as exc:
        return me_page(import_error=f"导入失败，没有改动任何记录。{exc}"), 400
    counts = store.import_export(get_db(), current_learner_id(), data)
    skipped = f"，{counts['skipped']} 次已存在而跳过" if counts["skipped"] else ""
    others = "".join(f"；{store.SECTIONS[name].label.format(n=counts[name])}已合并" for name, _ in data.sections)
    left = "（文件中的班级作业记录不会导入：作业成绩保存在老师那里）" if "assignments" in data.not_imported else ""
    flash(f"导入完成：新增 {counts['attempts']} 次练习或考试记录{skipped}；错题本与收藏已合并{others}。{left}")
    return redirect(url_for("quizzes.me"))
