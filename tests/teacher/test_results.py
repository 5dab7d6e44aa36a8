"""Results, grading, release, regrade and exports of one assignment taken by three students."""
import csv
import datetime as dt
import io
import json
from html import unescape as html_unescape
import re

import pytest
from openpyxl import load_workbook

from db import connect
from tests.teacher.editable import app, content  # noqa: F401  (fixtures)
from tests.teacher.conftest import create_assignment, create_class, join, login, token
from tests.teacher.test_taking import start

# Options unshuffled: fx-secret-single shows A 期望值 (key), B 实际体验, C 忠诚度. Positions: single, 判断, 简答.
ANSWERS = {
    "2023001": {"q0": "A", "q1": "true", "q2": "要提升实际体验，还要管理客户期望"},   # 1+1+6 (both points)
    "2023002": {"q0": "B", "q1": "false", "q2": "主要是提升实际体验"},                 # 0+0+3
}


@pytest.fixture
def setup(app):
    teacher = app.test_client()
    login(teacher, "alice")
    assignment_id, code = create_assignment(teacher, create_class(teacher, "市场2301"), release="manual",
                                            shuffle_options="", shuffle_questions="", **{"rule0-count": ""},
                                            picked_ids="fx-secret-single fx-tf-feeling fx-secret-short",
                                            **{"points-single": "1", "points-true_false": "1", "points-short_answer": "6"})
    students = {}
    for no, name in (("2023001", "张三"), ("2023002", "李四"), ("2023003", "王五"), ("2023004", "赵六")):
        students[no] = app.test_client()
        join(students[no], code, name, no)
    urls = {}
    for no, answers in ANSWERS.items():
        urls[no] = start(students[no], code)
        students[no].post(urls[no] + "/submit", data={"csrf_token": token(students[no], urls[no]), **answers})
    urls["2023003"] = start(students["2023003"], code)          # working, one answer saved
    students["2023003"].post(urls["2023003"] + "/save", data={"csrf_token": token(students["2023003"], urls["2023003"]), "q0": "A"})
    return teacher, assignment_id, code, students, urls


def test_live_table_knows_who_is_where(setup):
    teacher, assignment_id, *_ = setup
    data = teacher.get(f"/teacher/assignments/{assignment_id}/live.json").get_json()
    assert data["counts"] == {"absent": 0, "joined": 1, "working": 1, "submitted": 2}
    states = {r["student_no"]: (r["status"], r["answered"], r["total"], r["score"]) for r in data["rows"]}
    assert states == {"2023001": ("submitted", 3, 3, 8.0), "2023002": ("submitted", 3, 3, 3.0),
                      "2023003": ("working", 1, 3, None), "2023004": ("joined", 0, 0, None)}


def test_results_page_scores_per_student_and_section(setup):
    teacher, assignment_id, *_ = setup
    html = teacher.get(f"/teacher/assignments/{assignment_id}/results").get_data(as_text=True)
    assert "成绩（2 人交卷" in html and 'id="score-histogram"' in html and "data-live-url" in html
    scores = html.split('id="scores-heading"')[1]
    row = re.search(r"<td>2023001</td>.*?</tr>", scores, re.S).group(0)
    assert re.findall(r'class="num">([^<]+)</td>', row) == ["8 / 8", "1 / 1", "1 / 1", "6 / 6"]
    chart = json.loads(html_unescape(re.search(r"data-chart='([^']+)'", html).group(1)))
    assert chart["labels"] == [f"{n}–{n + 1}" for n in range(8)] and chart["counts"][3] == 1   # a mark per band: 3 of 8


def test_teacher_sees_each_attempt_in_full(setup):
    teacher, assignment_id, code, students, urls = setup
    attempt_id = urls["2023002"].rsplit("/", 1)[1]
    html = teacher.get(f"/teacher/attempts/{attempt_id}").get_data(as_text=True)
    assert "李四（2023002）的作答" in html and "主要是提升实际体验" in html and "参考答案" in html
    assert "<dt>学生的答案</dt>" in html and "你的" not in html   # the teacher reads the student's answer, not theirs


def test_grade_a_short_answer_then_release(setup):
    teacher, assignment_id, code, students, urls = setup
    queue = teacher.get(f"/teacher/assignments/{assignment_id}/grading").get_data(as_text=True)
    assert "0 / 2" in queue
    attempt_id = urls["2023002"].rsplit("/", 1)[1]
    page = f"/teacher/assignments/{assignment_id}/grading/{attempt_id}/2"
    html = teacher.get(page).get_data(as_text=True)
    assert "主要是提升实际体验" in html and "合理管理客户期望，不过度承诺" in html
    assert re.search(r'value="0" data-points="3.0" checked> 提升实际体验', html)
    assert re.search(r'value="1" data-points="3.0"> 管理客户期望', html)
    response = teacher.post(page, data={"csrf_token": token(teacher, page), "score": "4.5", "ticked": ["0", "1"],
                                        "comment": "第二点只说到一半。"})
    assert response.status_code == 302
    pending = students["2023002"].get(urls["2023002"] + "/result").get_data(as_text=True)
    assert "将在老师公布后显示" in pending and "第二点只说到一半" not in pending
    results_page = teacher.get(f"/teacher/assignments/{assignment_id}/results").get_data(as_text=True)
    assert 'id="release-warning"' in results_page and "作业仍在进行中" in results_page   # still open: say what it means
    teacher.post(f"/teacher/assignments/{assignment_id}/release",
                 data={"csrf_token": token(teacher, f"/teacher/assignments/{assignment_id}/results")})
    result = students["2023002"].get(urls["2023002"] + "/result").get_data(as_text=True)
    assert "总分 <strong>4.5</strong> / 8" in result and "老师评语：</strong>第二点只说到一半。" in result


def test_grades_outside_the_range_are_refused(setup):
    teacher, assignment_id, code, students, urls = setup
    attempt_id = urls["2023002"].rsplit("/", 1)[1]
    page = f"/teacher/assignments/{assignment_id}/grading/{attempt_id}/2"
    response = teacher.post(page, data={"csrf_token": token(teacher, page), "score": "7"})
    assert response.status_code == 400 and "得分须在 0 到 6 之间" in response.get_data(as_text=True)
    assert teacher.get(f"/teacher/assignments/{assignment_id}/grading/{attempt_id}/0").status_code == 404


def test_regrade_reports_then_applies_once(setup, content, app):
    teacher, assignment_id, code, students, urls = setup
    bank = content / "questions" / "alpha.quiz.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("answer: A", "answer: B"), encoding="utf-8")
    db = connect(app.config["DATABASE"])
    before = list(db.query("SELECT attempt_id, position, score, version FROM responses ORDER BY 1, 2"))
    report = teacher.get(f"/teacher/assignments/{assignment_id}/regrade").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\S+)（(\d+)）</td><td>单项选择：[^<]+<br><small class=\"muted\">alpha/fx-secret-single</small></td>"
                      r"<td class=\"num\">(\S+)</td>\s*<td class=\"num\">(\S+)</td>", report)
    assert rows == [("张三", "2023001", "1", "0"), ("李四", "2023002", "0", "1")]
    assert list(db.query("SELECT attempt_id, position, score, version FROM responses ORDER BY 1, 2")) == before
    url = f"/teacher/assignments/{assignment_id}/regrade"
    teacher.post(url, data={"csrf_token": token(teacher, url)})
    totals = {r["student_no"]: r["score"] for r in db.query(
        "SELECT aa.student_no, t.score FROM attempts t JOIN assignment_attempts aa ON aa.attempt_id = t.id "
        "WHERE t.submitted_at IS NOT NULL")}
    assert totals == {"2023001": 7.0, "2023002": 4.0}
    versions = {r["version"] for r in db.query(
        "SELECT p.version FROM responses p JOIN attempts t ON t.id = p.attempt_id "
        "WHERE p.question_key = 'alpha/fx-secret-single' AND t.submitted_at IS NOT NULL")}
    assert len(versions) == 1 and versions != {before[0]["version"]}
    assert "不需要重新评分" in teacher.get(url).get_data(as_text=True)
    teacher.post(url, data={"csrf_token": token(teacher, url)})
    assert totals == {r["student_no"]: r["score"] for r in db.query(
        "SELECT aa.student_no, t.score FROM attempts t JOIN assignment_attempts aa ON aa.attempt_id = t.id "
        "WHERE t.submitted_at IS NOT NULL")}


def test_regrade_keeps_the_teachers_grade(setup, content):
    teacher, assignment_id, code, students, urls = setup
    attempt_id = urls["2023002"].rsplit("/", 1)[1]
    page = f"/teacher/assignments/{assignment_id}/grading/{attempt_id}/2"
    teacher.post(page, data={"csrf_token": token(teacher, page), "score": "5"})
    bank = content / "questions" / "alpha.quiz.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("text: 提升实际体验", "text: 提高体验"), encoding="utf-8")
    report = teacher.get(f"/teacher/assignments/{assignment_id}/regrade").get_data(as_text=True)
    assert "<td class=\"num\">5</td>\n      <td class=\"num\">5</td>" in report      # version moves, score stays


def test_exports_parse_back(setup, app):
    teacher, assignment_id, code, students, urls = setup
    raw = teacher.get(f"/teacher/assignments/{assignment_id}/export/results.csv")
    assert raw.headers["Content-Disposition"] == f"attachment; filename=assignment-{assignment_id}-results.csv"
    assert raw.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig"))))
    assert rows[0] == ["学号", "姓名", "作答次数", "交卷时间", "总分", "满分", "单项选择", "判断", "简答"]
    assert [r[:3] + r[4:] for r in rows[1:]] == [["2023001", "张三", "1", "8.0", "8.0", "1.0", "1.0", "6.0"],
                                                ["2023002", "李四", "1", "3.0", "8.0", "0.0", "0.0", "3.0"],
                                                ["2023003", "王五", "1", "", "", "", "", ""],    # still working
                                                ["2023004", "赵六", "0", "", "", "", "", ""]]    # joined, never started
    assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d", rows[1][3])   # Beijing time, as the pages show it
    stored = connect(app.config["DATABASE"]).execute(
        "SELECT submitted_at FROM attempts WHERE id = ?", [urls["2023001"].rsplit("/", 1)[1]]).fetchone()[0]
    utc = dt.datetime.fromisoformat(stored)
    assert utc.utcoffset() == dt.timedelta(0) and rows[1][3] == (utc + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    book = load_workbook(io.BytesIO(teacher.get(f"/teacher/assignments/{assignment_id}/export/results.xlsx").data))
    sheet = list(book.active.iter_rows(values_only=True))
    assert book.active.title == "成绩" and sheet[1][:2] == ("2023001", "张三") and sheet[2][4] == 3.0
    items = list(csv.reader(io.StringIO(teacher.get(f"/teacher/assignments/{assignment_id}/export/items.csv").data.decode("utf-8-sig"))))
    single = next(r for r in items if r[0] == "alpha/fx-secret-single")
    assert single[4:6] == ["2", "0.5"] and single[8] == "A 1；B 1；C 0"
    assert items[-1][0] == "克隆巴赫 α"
    book = load_workbook(io.BytesIO(teacher.get(f"/teacher/assignments/{assignment_id}/export/items.xlsx").data))
    assert [c.value for c in book.active[1]][:2] == ["题目", "题型"]
    assert teacher.get(f"/teacher/assignments/{assignment_id}/export/secrets.csv").status_code == 404


def test_formula_looking_names_stay_text(setup, app):
    teacher, assignment_id, code, *_ = setup
    mallory = app.test_client()
    join(mallory, code, "=HYPERLINK(1)", "2023009")
    url = start(mallory, code)
    mallory.post(url + "/submit", data={"csrf_token": token(mallory, url)})
    text = teacher.get(f"/teacher/assignments/{assignment_id}/export/results.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    book = load_workbook(io.BytesIO(teacher.get(f"/teacher/assignments/{assignment_id}/export/results.xlsx").data))
    cell = next(row[1] for row in book.active.iter_rows() if row[0].value == "2023009")
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_expired_attempts_are_finished_with_what_was_saved(setup, app):
    teacher, assignment_id, code, students, urls = setup
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE attempts SET deadline = '2020-01-01T00:00:00+00:00' WHERE id = ?", [urls["2023003"].rsplit("/", 1)[1]])
    data = teacher.get(f"/teacher/assignments/{assignment_id}/live.json").get_json()
    row = next(r for r in data["rows"] if r["student_no"] == "2023003")
    assert (row["status"], row["score"]) == ("submitted", 1.0)


def test_a_student_whose_time_ran_out_sees_the_paper_handed_in_without_the_teacher_looking(setup, app):
    teacher, assignment_id, code, students, urls = setup
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE attempts SET deadline = '2020-01-01T00:00:00+00:00' WHERE id = ?", [urls["2023003"].rsplit("/", 1)[1]])
    page = students["2023003"].get(f"/join/{code}").get_data(as_text=True)
    assert "已交卷" in page and "作答中" not in page
    assert db.execute("SELECT score FROM attempts WHERE id = ?", [urls["2023003"].rsplit("/", 1)[1]]).fetchone()[0] == 1.0
    assert students["2023003"].get(urls["2023003"]).headers["Location"] == urls["2023003"] + "/result"
    assert "待公布" in page and "老师公布" in students["2023003"].get(urls["2023003"] + "/result").get_data(as_text=True)


def test_papers_of_different_full_marks_are_flagged_and_compared_by_share(app):
    teacher = app.test_client()
    login(teacher, "alice")
    assignment_id, code = create_assignment(teacher, create_class(teacher, "c"), **{
        "rule0-count": "2", "rule0-type": ["single", "multiple"], "points-single": "1", "points-multiple": "3"})
    page = teacher.get(f"/teacher/assignments/{assignment_id}").get_data(as_text=True)
    assert 'id="uneven-totals"' in page and "单项选择 1 分，多项选择 3 分" in page
    fulls = set()
    for n in range(20):   # each draws 1 or 3 marks of choice questions: 20 papers all alike is a 1-in-25,000 chance
        student = app.test_client()
        join(student, code, f"学生{n}", f"20240{n:02d}")
        url = start(student, code)
        student.post(url + "/submit", data={"csrf_token": token(student, url)})
        fulls.add(connect(app.config["DATABASE"]).execute(
            "SELECT max_score FROM attempts WHERE id = ?", [url.rsplit("/", 1)[1]]).fetchone()[0])
    assert len(fulls) > 1
    html = teacher.get(f"/teacher/assignments/{assignment_id}/results").get_data(as_text=True)
    assert f"按得分率（各人试卷满分不同：{min(fulls):g}–{max(fulls):g} 分）" in html and '"0–10%"' in html


def test_a_quarter_point_grade_is_kept_as_given(setup, app):
    teacher, assignment_id, code, students, urls = setup
    attempt_id = urls["2023002"].rsplit("/", 1)[1]
    page = f"/teacher/assignments/{assignment_id}/grading/{attempt_id}/2"
    assert teacher.post(page, data={"csrf_token": token(teacher, page), "score": "0.25"}).status_code == 302
    stored = connect(app.config["DATABASE"]).execute(
        "SELECT score FROM responses WHERE attempt_id = ? AND position = 2", [attempt_id]).fetchone()[0]
    assert stored == 0.25    # not 0.2 (Python rounds 0.25 half to even at one decimal)


def test_a_students_join_page_hands_in_only_their_own_paper(setup, app):
    teacher, assignment_id, code, students, urls = setup
    other = start(students["2023004"], code)                       # 赵六 starts too; both run out of time
    db = connect(app.config["DATABASE"])
    for url in (urls["2023003"], other):
        db.execute("UPDATE attempts SET deadline = '2020-01-01T00:00:00+00:00' WHERE id = ?", [url.rsplit("/", 1)[1]])
    students["2023003"].get(f"/join/{code}")
    submitted = lambda url: db.execute("SELECT submitted_at FROM attempts WHERE id = ?", [url.rsplit("/", 1)[1]]).fetchone()[0]
    assert submitted(urls["2023003"]) and submitted(other) is None   # 赵六's is handed in by their own page or the teacher's
    assert "已交卷" in students["2023004"].get(f"/join/{code}").get_data(as_text=True) and submitted(other)
