"""Teacher pages over an assignment's results: live table, scores, attempts, item analysis, grading,
release, regrade and exports. Routes of the one `teacher` blueprint (see views.py)."""
from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for

from db import get_db
from quizzes import current_banks
from quizzes.review import review_item
from quizzes.types import TYPES
from simulations.views import plotly_url

from . import classroom, exports, regrade, store
from .analysis import analyse
from .results import STATUS_TEXT, best_submitted, histogram, is_subjective, live_table, papers, suggested
from .views import own_assignment, bp, login_required, now

EXPORTS = {"results": "成绩", "items": "题目分析"}
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _attempts(assignment) -> list:
    """The assignment's attempts, after finishing those whose time ran out (so nothing waits forever)."""
    db = get_db()
    classroom.finalise_expired(db, assignment.id, current_banks().by_key(), now())
    return store.attempt_rows(db, assignment.id)


def _sections(attempts) -> list[str]:
    present = {i.section for a in attempts for i in a.items}
    return [t for t in TYPES if t in present]


@bp.get("/teacher/assignments/<int:assignment_id>/results")
@login_required
def results(assignment_id: int):
    assignment, row = own_assignment(assignment_id)
    attempts = _attempts(assignment)
    best = best_submitted(attempts)
    fulls = sorted({b.max_score or 0 for b in best.values()})
    if len(fulls) > 1:   # papers worth different marks (a rule mixing types): compare by share of each one's own
        bands = histogram([100 * (b.score or 0) / b.max_score if b.max_score else 0 for b in best.values()], 100)
        bands = [(label + "%", n) for label, n in bands]
    else:   # a paper worth under 10 marks gets one band per mark (0–1, 1–2 …), not tenths such as 0.9–1.8
        full = fulls[0] if fulls else 0
        bands = histogram([b.score or 0 for b in best.values()], full,
                          int(full) if float(full).is_integer() and 0 < full < 10 else 10)
    chart = {"labels": [label for label, _ in bands], "counts": [n for _, n in bands], "fulls": fulls}
    return render_template("teacher/results.html", a=assignment, row=row, moment=now(),
                           live=live_table(store.roster(get_db(), assignment.class_id), attempts),
                           best=sorted(best.values(), key=lambda b: b.student_no), sections=_sections(attempts),
                           status_text=STATUS_TEXT, chart=chart, plotly_url=plotly_url())


@bp.get("/teacher/assignments/<int:assignment_id>/live.json")
@login_required
def live(assignment_id: int):
    assignment, _ = own_assignment(assignment_id)
    rows = live_table(store.roster(get_db(), assignment.class_id), _attempts(assignment))
    counts = {s: sum(r.status == s for r in rows) for s in STATUS_TEXT}
    return jsonify(counts=counts, rows=[{**r.__dict__, "status_text": STATUS_TEXT[r.status],
                                         "url": url_for("teacher.attempt", attempt_id=r.latest_attempt) if r.latest_attempt else None}
                                        for r in rows])


@bp.get("/teacher/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    owner = store.attempt_for_teacher(get_db(), attempt_id, g.teacher["id"]) if attempt_id < 2**63 else None
    if owner is None:
        abort(404, description="没有找到这份作答。")
    assignment, _ = own_assignment(owner["assignment_id"])
    row = store.attempt_rows(get_db(), assignment.id, attempt_id)[0]
    by_key = current_banks().by_key()
    manual = store.manual_grades(get_db(), assignment.id)
    items = [(pos, review_item(row.variant(pos, by_key[i.key]), row.responses.get(pos), i), manual.get((attempt_id, pos)))
             for pos, i in enumerate(row.items) if i.key in by_key]
    return render_template("teacher/attempt.html", a=assignment, t=row, items=items, sections=row.sections())


@bp.get("/teacher/assignments/<int:assignment_id>/analysis")
@login_required
def analysis(assignment_id: int):
    assignment, _ = own_assignment(assignment_id)
    by_key = current_banks().by_key()
    result = analyse(papers(_attempts(assignment), by_key), {k: len(q.options) for k, q in by_key.items() if q.options})
    return render_template("teacher/analysis.html", a=assignment, analysis=result, by_key=by_key)


def _queue(assignment) -> dict[str, list[tuple]]:
    """Subjective answers of submitted attempts, by question: [(attempt row, position, manual grade)]."""
    by_key = current_banks().by_key()
    manual = store.manual_grades(get_db(), assignment.id)
    queue: dict[str, list[tuple]] = {}
    for a in _attempts(assignment):
        for pos, i in enumerate(a.items):
            q = by_key.get(i.key)
            if a.submitted_at and q is not None and is_subjective(q) and a.responses.get(pos, {}).get("response"):
                queue.setdefault(i.key, []).append((a, pos, manual.get((a.attempt_id, pos))))
    return queue


@bp.get("/teacher/assignments/<int:assignment_id>/grading")
@login_required
def grading(assignment_id: int):
    assignment, _ = own_assignment(assignment_id)
    return render_template("teacher/grading.html", a=assignment, queue=_queue(assignment), by_key=current_banks().by_key())


@bp.route("/teacher/assignments/<int:assignment_id>/grading/<int:attempt_id>/<int:position>", methods=["GET", "POST"])
@login_required
def grade(assignment_id: int, attempt_id: int, position: int):
    assignment, _ = own_assignment(assignment_id)
    queue = _queue(assignment)
    entry = next((e for entries in queue.values() for e in entries if (e[0].attempt_id, e[1]) == (attempt_id, position)), None)
    if entry is None:
        abort(404, description="没有找到这份待评的作答。")
    t, pos, manual = entry
    question = current_banks().by_key()[t.items[pos].key]
    if request.method == "POST":
        try:
            classroom.save_grade(get_db(), t, pos, question, request.form.get("score", type=float, default=-1),
                                 request.form.getlist("ticked", type=int), request.form.get("comment", ""), g.teacher["id"])
        except store.Conflict as exc:
            abort(400, description=str(exc))
        flash(f"已保存 {t.name} 的评分。")
        rest = [e for e in queue[question.key] if e[2] is None and (e[0].attempt_id, e[1]) != (attempt_id, position)]
        target = (url_for("teacher.grade", assignment_id=assignment_id, attempt_id=rest[0][0].attempt_id, position=rest[0][1])
                  if rest else url_for("teacher.grading", assignment_id=assignment_id))
        return redirect(target)
    variant = t.variant(pos, question)
    auto = suggested(variant, t.responses[pos]["response"], t.items[pos].points)
    return render_template("teacher/grade.html", a=assignment, t=t, pos=pos, question=question, variant=variant, auto=auto,
                           manual=manual, answer=t.responses[pos]["response"], entries=queue[question.key])


@bp.post("/teacher/assignments/<int:assignment_id>/release")
@login_required
def release(assignment_id: int):
    assignment, _ = own_assignment(assignment_id)
    store.release_results(get_db(), assignment.id)
    flash("成绩已发布：学生现在可以看到得分、答案、解析和评语。")
    return redirect(url_for("teacher.results", assignment_id=assignment_id))


@bp.route("/teacher/assignments/<int:assignment_id>/regrade", methods=["GET", "POST"])
@login_required
def regrade_view(assignment_id: int):
    """GET: what a regrade against the current banks would change (dry run). POST: apply it."""
    assignment, _ = own_assignment(assignment_id)
    found = regrade.changes(_attempts(assignment), current_banks().by_key(), store.manual_grades(get_db(), assignment.id))
    if request.method == "POST":
        applied = store.apply_regrade(get_db(), found)
        flash(f"重新评分完成：更新了 {applied} 个得分或版本。" if applied else "重新评分完成：没有需要更新的得分。")
        return redirect(url_for("teacher.results", assignment_id=assignment_id))
    return render_template("teacher/regrade.html", a=assignment, changes=found, questions=current_banks().by_key())


@bp.get("/teacher/assignments/<int:assignment_id>/export/<what>.<fmt>")
@login_required
def export(assignment_id: int, what: str, fmt: str):
    if what not in EXPORTS or fmt not in FORMATS:
        abort(404, description="没有这种导出。")
    assignment, _ = own_assignment(assignment_id)
    attempts = _attempts(assignment)
    by_key = current_banks().by_key()
    if what == "results":
        counts = {}
        for a in attempts:
            counts[a.student_no] = counts.get(a.student_no, 0) + 1
        table = exports.results_table(store.roster(get_db(), assignment.class_id), best_submitted(attempts), counts,
                                      _sections(attempts))
    else:
        table = exports.analysis_table(analyse(papers(attempts, by_key), {k: len(q.options) for k, q in by_key.items()
                                                                          if q.options}), by_key)
    data = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx(table, EXPORTS[what])
    filename = f"assignment-{assignment.id}-{what}.{fmt}"
    return data, 200, {"Content-Type": FORMATS[fmt], "Content-Disposition": f"attachment; filename={filename}"}
