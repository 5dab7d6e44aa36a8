"""Students take an assignment on the mock exam's pages: same paper, autosave, submit core."""
import datetime as dt
import re
from zoneinfo import ZoneInfo

from db import connect
from tests.teacher.conftest import create_assignment, create_class, join, token


def start(student, code: str) -> str:
    response = student.post(f"/join/{code}/start", data={"csrf_token": token(student, f"/join/{code}")})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def set_up(teacher_client, app, **form) -> tuple[int, str, object]:
    defaults = {"rule0-count": "", "picked_ids": "fx-secret-single fx-tf-feeling fx-secret-short", **form}
    assignment_id, code = create_assignment(teacher_client, create_class(teacher_client, "c"), **defaults)
    student = app.test_client()
    join(student, code, "张三", "2023001")
    return assignment_id, code, student


def test_the_paper_is_the_exam_page_titled_by_the_teacher_without_keys(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app)
    url = start(student, code)
    assert re.fullmatch(r"/exam/\d+", url)
    html = student.get(url).get_data(as_text=True)
    assert "<h1>随堂测验</h1>" in html and 'id="exam-form"' in html and "exam.js" in html
    assert html.count('class="exam-question"') == 3
    for secret in ("解析", "参考答案", "不过度承诺", "a 是客户对产品或服务的期望值"):
        assert secret not in html


def test_starting_again_continues_the_same_attempt(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app)
    assert start(student, code) == start(student, code)


def test_autosave_submit_and_immediate_results(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app)
    url = start(student, code)
    t = token(student, url)
    html = student.get(url).get_data(as_text=True)
    short = re.search(r'<textarea name="(q\d)"', html).group(1)
    saved = student.post(url + "/save", data={"csrf_token": t, short: "要提升实际体验，也要管理客户期望"})
    assert saved.status_code == 200 and saved.get_json()["saved"] == [int(short[1:])]
    assert student.post(url + "/submit", data={"csrf_token": t}).headers["Location"] == url + "/result"
    result = student.get(url + "/result").get_data(as_text=True)
    assert "随堂测验成绩" in result and "解析：" in result and "返回作业" in result and "去错题本" not in result
    assert "已交卷" in student.get(f"/join/{code}").get_data(as_text=True)
    db = connect(fixture_app.config["DATABASE"])
    assert list(db.query("SELECT * FROM notebook")) == []   # assignments never feed the 错题本 (keys before release)


def test_results_wait_for_the_release(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app, release="manual")
    url = start(student, code)
    student.post(url + "/submit", data={"csrf_token": token(student, url)})
    html = student.get(url + "/result").get_data(as_text=True)
    assert "成绩、答案与解析将在老师公布后显示" in html
    assert "解析" not in html.replace("成绩、答案与解析将在", "") and "不过度承诺" not in html
    assert "待公布" in student.get(f"/join/{code}").get_data(as_text=True)


def test_attempts_are_limited(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app)
    url = start(student, code)
    student.post(url + "/submit", data={"csrf_token": token(student, url)})
    again = student.post(f"/join/{code}/start", data={"csrf_token": token(student, f"/join/{code}")})
    assert again.status_code == 409 and "最多作答 1 次" in again.get_data(as_text=True)


def test_options_keep_bank_order_when_not_shuffled(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app, shuffle_options="", picked_ids="fx-single-ratio")
    html = student.get(start(student, code)).get_data(as_text=True)
    assert re.findall(r'<span class="choice__text">([^<]+)</span>', html) == [
        "客户满意度", "客户对产品或服务所感知的实际体验", "客户忠诚度", "客户对产品或服务的期望值"]


def test_other_students_cannot_open_the_paper(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app)
    url = start(student, code)
    other = fixture_app.test_client()
    join(other, code, "李四", "2023002")
    assert other.get(url).status_code == 404
    assert other.post(url + "/save", data={"csrf_token": token(other, f"/join/{code}"), "q0": "A"}).status_code == 404


def test_not_open_yet_and_closed(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app, opens_at="2098-01-01T08:00")
    response = student.post(f"/join/{code}/start", data={"csrf_token": token(student, f"/join/{code}")})
    assert response.status_code == 409 and "还没有开放" in response.get_data(as_text=True)


def close(app, code: str) -> None:
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE assignments SET opens_at = '2020-01-01T00:00:00+00:00', closes_at = '2020-01-02T00:00:00+00:00' "
               "WHERE code = ?", [code])
    db.conn.close()


def test_after_close_it_becomes_review_practice(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app, release="after_close")
    url = start(student, code)
    student.post(url + "/submit", data={"csrf_token": token(student, url)})
    close(fixture_app, code)
    page = student.get(f"/join/{code}").get_data(as_text=True)
    assert "作业已截止" in page and "当练习再做一遍（不计分）" in page
    response = student.post(f"/join/{code}/review", data={"csrf_token": token(student, f"/join/{code}")})
    practice = response.headers["Location"]
    assert re.fullmatch(r"/practice/\d+/0", practice)
    html = student.get(practice).get_data(as_text=True)
    assert "<title>练习 第 1 题" in html and 'name="q0"' in html


def test_unticking_every_box_of_a_multiple_choice_clears_its_saved_answer(teacher_client, fixture_app):
    """Unticked checkboxes send nothing: the paper's empty marker still names the question, so the
    autosave and 交卷 clear the earlier answer instead of keeping it and grading it."""
    _, code, student = set_up(teacher_client, fixture_app, picked_ids="fx-multiple-kano fx-tf-feeling")
    url = start(student, code)
    t = token(student, url)
    html = student.get(url).get_data(as_text=True)
    name = re.search(r'<input type="hidden" name="(q\d+)" value="">', html).group(1)
    letters = re.findall(rf'type="checkbox" name="{name}" value="([A-H])"', html)
    assert len(letters) >= 2
    saved = student.post(url + "/save", data={"csrf_token": t, name: ["", letters[0], letters[1]]})
    assert saved.status_code == 200 and saved.get_json()["saved"] == [int(name[1:])]
    assert re.search(rf'name="{name}" value="{letters[0]}"\s+checked', student.get(url).get_data(as_text=True))

    cleared = student.post(url + "/save", data={"csrf_token": t, name: ""})   # what a browser sends now
    assert cleared.status_code == 200 and cleared.get_json()["saved"] == []
    assert not re.search(rf'name="{name}" value="[A-H]"\s+checked', student.get(url).get_data(as_text=True))
    db = connect(fixture_app.config["DATABASE"])
    assert list(db.query("SELECT * FROM responses WHERE question_key LIKE '%fx-multiple-kano'")) == []

    student.post(url + "/save", data={"csrf_token": t, name: ["", letters[0]]})
    student.post(url + "/submit", data={"csrf_token": t, name: ""})   # unticked again just before 交卷
    assert list(db.query("SELECT * FROM responses WHERE question_key LIKE '%fx-multiple-kano'")) == []
    result = student.get(url + "/result").get_data(as_text=True)
    assert "未作答" in result


def test_the_learning_data_export_shows_no_grade_before_the_release(teacher_client, fixture_app):
    """/me/export.json holds the student's answers; their grades (the autosave's too) wait for the release."""
    assignment_id, code, student = set_up(teacher_client, fixture_app, release="manual", picked_ids="fx-secret-single")
    url = start(student, code)
    t = token(student, url)
    html = student.get(url).get_data(as_text=True)
    letters = re.findall(r'name="q0" value="([A-D])"', html)

    def exported() -> dict:
        attempts = student.get("/me/export.json").get_json()["attempts"]
        return next(a for a in attempts if a["kind"] == "assignment")

    for letter in letters:   # a student trying every option, looking for a sign of the key in the export
        student.post(url + "/save", data={"csrf_token": t, "q0": letter})
        response = exported()["responses"][0]
        assert response["response"] is not None and response["score"] is None and response["correct"] is None
        assert not any(k.startswith("draft") for k in response) and "text" not in response
    student.post(url + "/submit", data={"csrf_token": t, "q0": letters[0]})
    record = exported()
    assert record["score"] is None and record["responses"][0]["score"] is None
    teacher_client.post(f"/teacher/assignments/{assignment_id}/release",
                        data={"csrf_token": token(teacher_client, f"/teacher/assignments/{assignment_id}")})
    record = exported()
    assert record["score"] is not None and record["responses"][0]["score"] is not None


def test_with_attempts_left_the_score_shows_but_not_the_answers_to_copy(teacher_client, fixture_app):
    _, code, student = set_up(teacher_client, fixture_app, attempts_allowed="2")
    first = start(student, code)
    student.post(first + "/submit", data={"csrf_token": token(student, first), "q0": "B"})
    html = student.get(first + "/result").get_data(as_text=True)
    assert "总分" in html and 'id="answers-later"' in html
    for secret in ("解析：", "正确答案", "参考答案", "a 是客户对产品或服务的期望值"):
        assert secret not in html
    exported = student.get("/me/export.json").get_json()
    record = next(r for r in exported["attempts"] if r["id"] == int(first.rsplit("/", 1)[1]))
    assert record["score"] is not None and all(r["correct"] is None and r["score"] is None for r in record["responses"])

    second = start(student, code)
    assert second != first
    assert "解析：" not in student.get(first + "/result").get_data(as_text=True)   # not while the last one is open
    student.post(second + "/submit", data={"csrf_token": token(student, second)})
    for url in (first, second):   # no attempt left: every question's key and 解析
        html = student.get(url + "/result").get_data(as_text=True)
        assert "解析：" in html and 'id="answers-later"' not in html


def test_extending_the_close_time_gives_a_working_student_their_time_back(teacher_client, fixture_app):
    assignment_id, code, student = set_up(teacher_client, fixture_app, minutes="600", closes_at="2099-01-01T08:00")
    url = start(student, code)
    db = connect(fixture_app.config["DATABASE"])
    attempt_id = int(url.rsplit("/", 1)[1])
    page = f"/teacher/assignments/{assignment_id}"
    soon = dt.datetime.now(ZoneInfo("Asia/Shanghai")) + dt.timedelta(minutes=10)
    later = soon + dt.timedelta(hours=2)
    form = {"csrf_token": token(teacher_client, page), "title": "随堂测验（补考）", "opens_at": "2020-01-01T08:00",
            "minutes": "600", "attempts_allowed": "1", "release": "immediately"}
    response = teacher_client.post(page + "/settings", data={**form, "closes_at": soon.strftime("%Y-%m-%dT%H:%M")})
    assert response.headers["Location"] == page
    deadline = dt.datetime.fromisoformat(db.execute("SELECT deadline FROM attempts WHERE id = ?", [attempt_id]).fetchone()[0])
    assert abs(deadline - soon.replace(second=0, microsecond=0)) < dt.timedelta(seconds=1)   # the paper closes with it
    teacher_client.post(page + "/settings", data={**form, "closes_at": later.strftime("%Y-%m-%dT%H:%M")})
    deadline = dt.datetime.fromisoformat(db.execute("SELECT deadline FROM attempts WHERE id = ?", [attempt_id]).fetchone()[0])
    assert abs(deadline - later.replace(second=0, microsecond=0)) < dt.timedelta(seconds=1)  # and opens again with it
    html = teacher_client.get(page).get_data(as_text=True)
    assert "<h1>随堂测验（补考）</h1>" in html and "1 份正在作答的试卷，截止时间已随之调整" in html
    assert 'data-remaining="' in student.get(url).get_data(as_text=True)


def test_bad_settings_are_shown_on_the_page_and_change_nothing(teacher_client, fixture_app):
    assignment_id, code, student = set_up(teacher_client, fixture_app)
    page = f"/teacher/assignments/{assignment_id}"
    response = teacher_client.post(page + "/settings", data={
        "csrf_token": token(teacher_client, page), "title": "改名", "opens_at": "2030-01-01T08:00",
        "closes_at": "2029-01-01T08:00", "minutes": "30", "attempts_allowed": "1", "release": "immediately"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "设置没有保存：截止时间须晚于开放时间" in html and 'value="改名"' in html
    assert "<h1>随堂测验</h1>" in teacher_client.get(page).get_data(as_text=True)
