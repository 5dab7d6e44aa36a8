"""A teacher corrects a key in a bank while an assignment is open and some students are still answering.

What a student sees and what is graded: a paper is graded at 交卷 against the question as the server has
it then (the corrected key), and the version stored with each answer, and with each question left blank,
is the version that graded it. Statistics keep versions apart; a regrade brings every submitted paper to
the current key, shows what it changes first, and a second run changes nothing."""
import csv
import io
import json
import re

import pytest

from db import connect
from quizzes import current_banks
from tests.conftest import make_app
from tests.teacher.editable import app, content  # noqa: F401  (fixtures)
from tests.teacher.conftest import create_assignment, create_class, join, login, token
from tests.teacher.test_taking import start

KEY = "alpha/fx-secret-single"     # options unshuffled: A 期望值 (the key until the edit), B 实际体验, C 忠诚度


@pytest.fixture
def teacher(app):
    client = app.test_client()
    login(client, "alice")
    return client


def open_assignment(teacher) -> tuple[int, str]:
    return create_assignment(teacher, create_class(teacher, "市场2301"), release="immediately", shuffle_options="",
                             shuffle_questions="", **{"rule0-count": ""},
                             picked_ids="fx-secret-single fx-tf-feeling fx-secret-short",
                             **{"points-single": "1", "points-true_false": "1", "points-short_answer": "6"})


def take(app, code: str, name: str, student_no: str):
    student = app.test_client()
    join(student, code, name, student_no)
    return student, start(student, code)


def submit(student, url: str, **answers):
    return student.post(url + "/submit", data={"csrf_token": token(student, url), **answers})


def change_key(content) -> None:
    bank = content / "questions" / "alpha.quiz.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("answer: A", "answer: B", 1), encoding="utf-8")


def version_now(app) -> str:
    with app.test_request_context():
        return current_banks().by_key()[KEY].version


def stored(app, student_no: str) -> dict:
    """Position -> (score, version) of the student's answers, and the paper's item versions."""
    db = connect(app.config["DATABASE"])
    row = next(db.query("SELECT t.id, t.items FROM attempts t JOIN assignment_attempts aa ON aa.attempt_id = t.id "
                        "WHERE aa.student_no = ?", [student_no]))
    answers = {r["position"]: (r["score"], r["version"]) for r in db.query(
        "SELECT position, score, version FROM responses WHERE attempt_id = ?", [row["id"]])}
    return {"answers": answers, "items": [i["version"] for i in json.loads(row["items"])]}


def item_rows(teacher, assignment_id: int) -> list[list[str]]:
    raw = teacher.get(f"/teacher/assignments/{assignment_id}/export/items.csv").data.decode("utf-8-sig")
    return [[r[0], r[3], r[4], r[5]] for r in csv.reader(io.StringIO(raw)) if r[0] == KEY]


def totals(teacher, assignment_id: int) -> dict[str, str]:
    raw = teacher.get(f"/teacher/assignments/{assignment_id}/export/results.csv").data.decode("utf-8-sig")
    return {r[0]: r[4] for r in list(csv.reader(io.StringIO(raw)))[1:]}


def report(teacher, assignment_id: int) -> list[tuple[str, ...]]:
    html = teacher.get(f"/teacher/assignments/{assignment_id}/regrade").get_data(as_text=True)
    return re.findall(r"<tr><td>(\S+)（(\d+)）</td><td>[^<]*<br><small class=\"muted\">([\w/-]+)</small></td><td class=\"num\">(\S+)</td>\s*"
                      r"<td class=\"num\">(\S+)</td><td>(\w+)(?: → (\w+))?</td></tr>", html)


def regrade(teacher, assignment_id: int):
    url = f"/teacher/assignments/{assignment_id}/regrade"
    return teacher.post(url, data={"csrf_token": token(teacher, url)})


@pytest.fixture
def class_mid_change(app, content, teacher):
    """张三 submitted before the edit (A, right then); 王五 submitted before it with the question blank;
    李四 saved B (wrong then) before the edit and submits after it."""
    assignment_id, code = open_assignment(teacher)
    old = version_now(app)
    zhang, zhang_url = take(app, code, "张三", "2023001")
    submit(zhang, zhang_url, q0="A", q1="true")
    wang, wang_url = take(app, code, "王五", "2023003")
    submit(wang, wang_url, q1="true")
    li, li_url = take(app, code, "李四", "2023002")
    saved = li.post(li_url + "/save", data={"csrf_token": token(li, li_url), "q0": "B", "q1": "true"})
    assert saved.status_code == 200
    change_key(content)
    new = version_now(app)
    assert new != old
    return assignment_id, old, new, li, li_url


def test_an_answer_saved_before_the_edit_is_graded_by_the_key_in_force_at_submission(app, class_mid_change):
    assignment_id, old, new, li, li_url = class_mid_change
    page = li.get(li_url).get_data(as_text=True)
    assert re.search(r'name="q0" value="B"[^>]*checked', page) and "随堂测验专用：客户满意度公式中 a 代表" in page
    assert submit(li, li_url).headers["Location"] == li_url + "/result"
    assert "总分 <strong>2</strong> / 8" in li.get(li_url + "/result").get_data(as_text=True)
    assert stored(app, "2023002") == {"answers": {0: (1.0, new), 1: (1.0, stored(app, "2023002")["items"][1])},
                                      "items": [new] + stored(app, "2023002")["items"][1:]}


def test_statistics_keep_the_two_keys_apart_until_the_regrade(app, teacher, class_mid_change):
    assignment_id, old, new, li, li_url = class_mid_change
    submit(li, li_url)
    assert sorted(item_rows(teacher, assignment_id)) == sorted([[KEY, old, "2", "0.5"], [KEY, new, "1", "1.0"]])


def test_the_regrade_brings_earlier_papers_to_the_current_key_and_a_second_run_changes_nothing(
        app, teacher, class_mid_change):
    assignment_id, old, new, li, li_url = class_mid_change
    submit(li, li_url)
    assert totals(teacher, assignment_id) == {"2023001": "2.0", "2023002": "2.0", "2023003": "1.0"}
    assert report(teacher, assignment_id) == [("张三", "2023001", KEY, "1", "0", old, new),
                                              ("王五", "2023003", KEY, "—", "0", old, new)]
    assert regrade(teacher, assignment_id).status_code == 302
    assert totals(teacher, assignment_id) == {"2023001": "1.0", "2023002": "2.0", "2023003": "1.0"}
    assert item_rows(teacher, assignment_id) == [[KEY, new, "3", "0.333"]]
    assert stored(app, "2023001")["answers"][0] == (0.0, new) and stored(app, "2023003")["items"][0] == new
    assert report(teacher, assignment_id) == []
    assert "不需要重新评分" in teacher.get(f"/teacher/assignments/{assignment_id}/regrade").get_data(as_text=True)
    before = list(connect(app.config["DATABASE"]).query("SELECT * FROM responses ORDER BY attempt_id, position"))
    regrade(teacher, assignment_id)
    assert list(connect(app.config["DATABASE"]).query("SELECT * FROM responses ORDER BY attempt_id, position")) == before
    assert totals(teacher, assignment_id) == {"2023001": "1.0", "2023002": "2.0", "2023003": "1.0"}


def test_a_worker_that_has_not_seen_the_edit_yet_grades_by_the_old_key_and_says_so(tmp_path, app, content, teacher):
    """Two worker processes: the second rechecks content/ only every hour (production: 2 s)."""
    assignment_id, code = open_assignment(teacher)
    stale = make_app(tmp_path, CONTENT_DIR=str(content), CONTENT_RECHECK_SECONDS=3600)
    old = version_now(app)
    li, li_url = take(app, code, "李四", "2023002")
    stale_li = stale.test_client()
    for cookie in li._cookies.values():
        stale_li.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    assert stale_li.get(li_url).status_code == 200          # the stale worker loads the banks before the edit
    change_key(content)
    assert submit(stale_li, li_url, q0="B").status_code == 302
    assert stored(app, "2023002")["answers"][0] == (0.0, old)
    new = version_now(app)
    assert report(teacher, assignment_id) == [("李四", "2023002", KEY, "0", "1", old, new)]
    regrade(teacher, assignment_id)
    assert stored(app, "2023002")["answers"][0] == (1.0, new) and stored(app, "2023002")["items"][0] == new
    assert totals(teacher, assignment_id) == {"2023002": "1.0"} and report(teacher, assignment_id) == []
