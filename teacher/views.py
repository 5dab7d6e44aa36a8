"""Teacher pages under /teacher/: thin shells over the core (join_views: the students' way in; results_views)."""
from __future__ import annotations

import datetime as dt
import functools
import io

import segno
from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for)

import printing
from db import get_db
from quizzes import current_banks
from quizzes.store import now

from . import classroom, forms, store
from .accounts import (FAILURE_WINDOW, LAST_SEEN_EVERY, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS,
                       SESSION_LENGTH, account_key, address_key, new_session_id, password_matches, session_hash,
                       session_valid)
from .assignments import RELEASES, Assignment, SpecError, uneven_totals
from .roster import RosterError, clean_name, parse_roster

bp = Blueprint("teacher", __name__)


def login_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        row = _live_teacher(get_db())
        if row is None:
            for key in ("teacher_session", "teacher_id", "teacher_at"):
                session.pop(key, None)
            return redirect(url_for("teacher.login", next=(request.full_path.rstrip("?") if request.method == "GET" else None)))
        g.teacher = row
        return view(**kwargs)
    return wrapped


def _live_teacher(db) -> dict | None:
    """The teacher of this request's server-side session: not logged out, not past SESSION_LENGTH."""
    session_id, moment = session.get("teacher_session"), now()
    if not isinstance(session_id, str) or not session_valid(session.get("teacher_at"), moment):
        return None
    row = store.live_session(db, session_hash(session_id), moment - SESSION_LENGTH)
    if row is not None and dt.datetime.fromisoformat(row["last_seen_at"]) < moment - LAST_SEEN_EVERY:
        store.touch_session(db, row["session_id"])
    return row


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/teacher/") and not target.startswith("//") else url_for("teacher.index")


def _too_many(db, keys_and_limits) -> int | None:
    """Seconds to wait when any key is over its limit, else None."""
    since = now() - FAILURE_WINDOW
    for key, limit in keys_and_limits:
        if store.failures_since(db, key, since) >= limit:
            oldest = store.oldest_failure_since(db, key, since)
            return max(1, int((oldest + FAILURE_WINDOW - now()).total_seconds()) + 1)
    return None


def _limited(seconds: int):
    minutes = (seconds + 59) // 60
    body = render_template("errors/error.html", code=429, title="请求太频繁",
                           description=f"尝试次数过多，请 {minutes} 分钟后再试。")
    return body, 429, {"Retry-After": str(seconds)}


@bp.route("/teacher/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("teacher/login.html", next=request.args.get("next", ""))
    db, address = get_db(), request.remote_addr or "unknown"
    username, password = request.form.get("username", "").strip()[:64], request.form.get("password", "")
    keys = [(account_key(username, address), MAX_FAILURES_PER_ACCOUNT), (address_key(address), MAX_FAILURES_PER_ADDRESS)]
    wait = _too_many(db, keys)
    if wait:
        return _limited(wait)
    row = store.teacher_by_username(db, username)
    if not password_matches(row["password_hash"] if row else None, password):
        store.record_failure(db, [k for k, _ in keys], now() - FAILURE_WINDOW)
        flash("用户名或密码不正确。")
        return render_template("teacher/login.html", next=request.form.get("next", ""), username=username), 401
    store.clear_failures(db, keys[0][0])
    session_id = new_session_id()
    store.start_session(db, row["id"], session_hash(session_id), now() - SESSION_LENGTH)
    session.clear()
    session.permanent = True
    session["teacher_session"], session["teacher_at"] = session_id, now().isoformat()
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/teacher/logout")
def logout():
    """Ends the session on the server too: a copy of the cookie taken before is worthless afterwards."""
    if isinstance(session.get("teacher_session"), str):
        store.end_session(get_db(), session_hash(session["teacher_session"]))
    session.clear()
    flash("已退出登录。")
    return redirect(url_for("teacher.login"))


@bp.get("/teacher/")
@login_required
def index():
    db = get_db()
    return render_template("teacher/index.html", classes=store.classes(db, g.teacher["id"]),
                           assignments=[(Assignment.from_row(a), a) for a in store.assignments(db, g.teacher["id"])],
                           moment=now(), releases=RELEASES)


@bp.post("/teacher/classes")
@login_required
def create_class():
    name = clean_name(request.form.get("name"))
    if not 1 <= len(name) <= 40:
        abort(400, description="班级名称须为 1–40 个字。")
    try:
        class_id = store.create_class(get_db(), g.teacher["id"], name)
    except store.Conflict as exc:
        abort(409, description=str(exc))
    return redirect(url_for("teacher.show_class", class_id=class_id))


def _own_class(class_id: int) -> dict:
    row = store.get_class(get_db(), class_id, g.teacher["id"]) if class_id < 2**63 else None
    if row is None:
        abort(404, description="没有找到这个班级。")
    return row


@bp.get("/teacher/classes/<int:class_id>")
@login_required
def show_class(class_id: int):
    return _class_page(_own_class(class_id))


def _class_page(klass: dict, roster_error: str = "") -> str:
    db = get_db()
    return render_template("teacher/class.html", klass=klass, roster=store.roster(db, klass["id"]), roster_error=roster_error,
                           assignments=store.assignments(db, g.teacher["id"], klass["id"]))


@bp.post("/teacher/classes/<int:class_id>/roster")
@login_required
def upload_roster(class_id: int):
    klass = _own_class(class_id)
    upload = request.files.get("roster")
    try:
        if upload is None or not upload.filename:
            raise RosterError("请选择名单文件（.csv 或 .xlsx）。")
        students = parse_roster(upload.filename, upload.read())
    except RosterError as exc:   # shown beside the form, so the teacher fixes the file and uploads again
        return _class_page(klass, roster_error=f"名单没有导入：{exc}"), 400
    added, updated = store.import_roster(get_db(), class_id, students)
    flash(f"名单已导入：新增 {added} 人，更新姓名 {updated} 人，共 {len(students)} 行。")
    return redirect(url_for("teacher.show_class", class_id=class_id))


@bp.post("/teacher/classes/<int:class_id>/students/<student_no>/reset")
@login_required
def reset_code(class_id: int, student_no: str):
    _own_class(class_id)
    code = classroom.reset_code(get_db(), current_app.secret_key, class_id, student_no)
    if code is None:
        abort(404, description="这位同学还没有加入本班。")
    flash(f"学号 {student_no} 的新个人码：{code}（旧码已失效，请告诉这位同学）")
    return redirect(url_for("teacher.show_class", class_id=class_id))


@bp.post("/teacher/classes/<int:class_id>/students/<student_no>/remove")
@login_required
def remove_student(class_id: int, student_no: str):
    klass = _own_class(class_id)
    try:
        if not store.remove_student(get_db(), class_id, student_no):
            abort(404, description="本班没有这个学号。")
    except store.Conflict as exc:   # said on the class page, where the teacher goes on
        flash(str(exc))
        return _class_page(klass), 409
    flash(f"已将学号 {student_no} 移出本班。")
    return redirect(url_for("teacher.show_class", class_id=class_id))


@bp.post("/teacher/assignments/<int:assignment_id>/delete")
@login_required
def delete_assignment(assignment_id: int):
    assignment, row = own_assignment(assignment_id)
    try:
        store.delete_assignment(get_db(), assignment.id)
    except store.Conflict as exc:   # said on the assignment's page, beside the settings that can close it early
        flash(str(exc))
        return _assignment_page(assignment, row), 409
    flash(f"作业“{assignment.title}”已删除。")
    return redirect(url_for("teacher.show_class", class_id=assignment.class_id))


@bp.get("/teacher/assignments/new")
@login_required
def new_assignment():
    db = get_db()
    classes = store.classes(db, g.teacher["id"])
    if not classes:
        flash("请先建一个班级。")
        return redirect(url_for("teacher.index"))
    return render_template("teacher/new.html", classes=classes, form=forms.blank(request.args.get("class_id", type=int)),
                           **forms.choices(current_banks()))


@bp.post("/teacher/assignments")
@login_required
def create_assignment():
    db = get_db()
    banks = current_banks()
    try:
        data = forms.parse(request.form, now())
        _own_class(data.class_id)
        assignment_id, _ = classroom.create_assignment(db, banks.for_assignments(), data.class_id, data.title,
                                                       data.spec, data.opens_at, data.closes_at, data.minutes,
                                                       data.attempts_allowed, data.release)
    except (forms.FormError, SpecError) as exc:
        flash(str(exc))
        return render_template("teacher/new.html", classes=store.classes(db, g.teacher["id"]), form=request.form,
                               **forms.choices(banks)), 400
    return redirect(url_for("teacher.show_assignment", assignment_id=assignment_id))


def own_assignment(assignment_id: int) -> tuple[Assignment, dict]:
    row = store.get_assignment(get_db(), assignment_id, g.teacher["id"]) if assignment_id < 2**63 else None
    if row is None:
        abort(404, description="没有找到这份作业。")
    return Assignment.from_row(row), row


@bp.get("/teacher/assignments/<int:assignment_id>")
@login_required
def show_assignment(assignment_id: int):
    return _assignment_page(*own_assignment(assignment_id))


def _assignment_page(assignment: Assignment, row: dict, form=None, error: str = ""):
    form = form or {"title": assignment.title, "opens_at": forms.local_input(assignment.opens_at),
                    "closes_at": forms.local_input(assignment.closes_at), "minutes": assignment.minutes,
                    "attempts_allowed": assignment.attempts_allowed, "release": assignment.release}
    return render_template("teacher/assignment.html", a=assignment, row=row, moment=now(), releases=RELEASES,
                           join_url=url_for("teacher.join", code=assignment.code, _external=True),
                           uneven=uneven_totals(current_banks().for_assignments(), assignment.spec),
                           form=form, settings_error=error)


@bp.post("/teacher/assignments/<int:assignment_id>/settings")
@login_required
def update_assignment(assignment_id: int):
    """Title, times, attempts and release; the questions stay as students drew them."""
    assignment, row = own_assignment(assignment_id)
    try:
        moved = classroom.change_timing(get_db(), assignment, forms.parse_timing(request.form))
    except forms.FormError as exc:
        return _assignment_page(assignment, row, request.form, f"设置没有保存：{exc}"), 400
    flash("作业设置已保存。" + (f"{moved} 份正在作答的试卷，截止时间已随之调整。" if moved else ""))
    return redirect(url_for("teacher.show_assignment", assignment_id=assignment_id))


@bp.get("/teacher/assignments/<int:assignment_id>/qr.svg")
@login_required
def qr_code(assignment_id: int):
    assignment, _ = own_assignment(assignment_id)
    out = io.BytesIO()
    segno.make(url_for("teacher.join", code=assignment.code, _external=True), error="m").save(
        out, kind="svg", scale=8, border=2, xmldecl=False, title=f"加入码 {assignment.code}")
    return out.getvalue(), 200, {"Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "private, max-age=300"}


@bp.get("/teacher/assignments/<int:assignment_id>/present")
@login_required
def present(assignment_id: int):
    assignment, _ = own_assignment(assignment_id)
    return render_template("teacher/present.html", a=assignment,
                           join_url=url_for("teacher.join", code=assignment.code, _external=True))


@bp.get("/teacher/assignments/<int:assignment_id>/print")
@login_required
def print_paper(assignment_id: int):
    """The assignment as a printable A4 paper (sample paper `draw`), questions only or with the key."""
    assignment, _ = own_assignment(assignment_id)
    draw = request.args.get("draw", 1, type=int) % 1000
    answers = request.args.get("answers") == "1"
    seed, items = classroom.sample_paper(assignment, current_banks(), draw)
    paper = printing.paper_from_items(assignment.title, items, seed, current_banks().by_key(),
                                      f"第 {draw} 套")
    links = [("只看题目" if answers else "含答案与解析",
              url_for("teacher.print_paper", assignment_id=assignment.id, draw=draw, answers=None if answers else 1)),
             ("换一套题", url_for("teacher.print_paper", assignment_id=assignment.id, draw=draw + 1)),
             ("返回作业", url_for("teacher.show_assignment", assignment_id=assignment.id))]
    return printing.render_paper(paper, answers, links)


@bp.get("/teacher/assignments/<int:assignment_id>/preview")
@login_required
def preview(assignment_id: int):
    """A paper as one student would get it (a fresh draw each time with ?draw=N), without the key."""
    assignment, _ = own_assignment(assignment_id)
    draw = request.args.get("draw", 1, type=int) % 1000
    variants, items = classroom.preview(assignment, current_banks(), draw)
    return render_template("teacher/preview.html", a=assignment, variants=variants, items=items, draw=draw)
