"""The students' way in: /join/<CODE> — join with 姓名 and 学号, resume on another device, start the paper,
and after results are out, redo it as practice. The paper itself is quizzes.exam_views."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from db import get_db
from quizzes import current_banks
from quizzes.learner import adopt, current_learner_id, forget
from quizzes.store import now

from . import classroom, store
from .accounts import FAILURE_WINDOW, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, resume_matches
from .assignments import Assignment, normalise_code
from .roster import clean_name, clean_student_no, name_problem, student_no_problem
from .views import _limited, _too_many, bp


def _by_code(code: str) -> tuple[Assignment, dict]:
    row = store.assignment_by_code(get_db(), normalise_code(code))
    if row is None:
        abort(404, description="没有这个加入码，请核对老师给出的 6 位码。")
    return Assignment.from_row(row), row


def _my_enrolment(assignment: Assignment) -> dict | None:
    learner_id = current_learner_id(create=False)
    return store.enrolment_of(get_db(), assignment.class_id, learner_id) if learner_id else None


@bp.get("/join/<code>")
def join(code: str):
    assignment, row = _by_code(code)
    mine = _my_enrolment(assignment)
    if mine is None:
        return render_template("teacher/join.html", a=assignment, row=row, form={})
    # a paper of theirs whose time ran out reads 已交卷, not 作答中 (the rest of the class is not this page's work)
    classroom.finalise_expired(get_db(), assignment.id, current_banks().by_key(), now(), mine["student_no"])
    attempts = store.my_attempts(get_db(), assignment.id, mine["student_no"])
    return render_template("teacher/student.html", a=assignment, row=row, me=mine, attempts=attempts,
                           status=assignment.status(now()), visible=assignment.results_visible(now()))


@bp.post("/join/<code>")
def enrol(code: str):
    assignment, row = _by_code(code)
    student_no, name = clean_student_no(request.form.get("student_no", "")), clean_name(request.form.get("name", ""))
    problem = student_no_problem(student_no) or name_problem(name)
    try:
        if problem:
            raise store.Conflict(problem + "。")
        personal = classroom.join(get_db(), current_app.secret_key, assignment.class_id, student_no, name,
                                  current_learner_id())
    except store.Conflict as exc:
        flash(str(exc))
        return render_template("teacher/join.html", a=assignment, row=row, form=request.form), 400 if problem else 409
    if personal is None:
        return redirect(url_for("teacher.join", code=assignment.code))
    return render_template("teacher/joined.html", a=assignment, personal=personal, student_no=student_no, name=name)


@bp.post("/join/<code>/resume")
def resume(code: str):
    assignment, row = _by_code(code)
    db, address = get_db(), request.remote_addr or "unknown"
    student_no = clean_student_no(request.form.get("student_no", ""))[:20]
    keys = [(f"resume:{assignment.class_id}:{student_no}", MAX_FAILURES_PER_ACCOUNT * 2),
            (f"resume-address:{address}", MAX_FAILURES_PER_ADDRESS * 4)]
    wait = _too_many(db, keys)
    if wait:
        return _limited(wait)
    mine = store.enrolment(db, assignment.class_id, student_no)
    personal = normalise_code(request.form.get("personal_code", ""))
    if mine is None or not resume_matches(mine["resume_hash"], current_app.secret_key, assignment.class_id,
                                          student_no, personal):
        store.record_failure(db, [k for k, _ in keys], now() - FAILURE_WINDOW)
        flash("学号或个人码不正确。个人码是加入时显示的 6 位码；忘了可以请老师重置。")
        return render_template("teacher/join.html", a=assignment, row=row, form={}), 403
    adopt(mine["learner_id"])
    flash(f"欢迎回来，{mine['name']}。你在这台设备上可以继续作答。")
    return redirect(url_for("teacher.join", code=assignment.code))


@bp.post("/join/<code>/switch")
def switch(code: str):
    assignment, _ = _by_code(code)
    forget()
    flash("已退出。请下一位同学输入自己的姓名和学号。")
    return redirect(url_for("teacher.join", code=assignment.code))


@bp.post("/join/<code>/start")
def start(code: str):
    assignment, _ = _by_code(code)
    mine = _my_enrolment(assignment)
    if mine is None:
        return redirect(url_for("teacher.join", code=assignment.code))
    status = assignment.status(now())
    if status != "open":
        abort(409, description="作业还没有开放。" if status == "upcoming" else "作业已经截止，不能再作答。")
    try:
        attempt_id = classroom.start(get_db(), assignment, current_banks().for_assignments(), mine["student_no"],
                                     mine["learner_id"], now())
    except store.Conflict as exc:
        abort(409, description=str(exc))
    return redirect(url_for("quizzes.exam", attempt_id=attempt_id))


@bp.post("/join/<code>/review")
def review(code: str):
    """After the close time (and once results are out), the assignment becomes no-credit practice."""
    assignment, _ = _by_code(code)
    mine = _my_enrolment(assignment)
    moment = now()
    if mine is None or assignment.status(moment) != "closed" or not assignment.results_visible(moment):
        abort(409, description="作业截止且成绩公布后才能当练习再做。")
    first = store.my_attempts(get_db(), assignment.id, mine["student_no"])
    if not first:
        abort(409, description="你没有作答过这份作业。")
    attempt_id = classroom.review_practice(get_db(), mine["learner_id"], first[0]["id"], assignment.id)
    return redirect(url_for("quizzes.question", attempt_id=attempt_id, position=0))
