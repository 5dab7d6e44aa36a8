import re

import pytest

from tests.teacher.conftest import (assignment_form, create_assignment, create_class, join, personal_code, token)


def upload(client, class_id: int, name: str, data: bytes):
    import io
    return client.post(f"/teacher/classes/{class_id}/roster", content_type="multipart/form-data",
                       data={"csrf_token": token(client, f"/teacher/classes/{class_id}"), "roster": (io.BytesIO(data), name)})


def test_a_class_needs_a_unique_name(teacher_client):
    class_id = create_class(teacher_client, "市场2301")
    assert "市场2301" in teacher_client.get("/teacher/").get_data(as_text=True)
    again = teacher_client.post("/teacher/classes", data={"csrf_token": token(teacher_client, "/teacher/"), "name": "市场2301"})
    assert again.status_code == 409 and "已经有名为“市场2301”的班级" in again.get_data(as_text=True)
    assert class_id > 0


def test_roster_upload_then_only_listed_students_join(teacher_client, fixture_app):
    class_id = create_class(teacher_client, "市场2301")
    response = upload(teacher_client, class_id, "名单.csv", "学号,姓名\n2023001,张三\n2023002,李四\n".encode("utf-8-sig"))
    assert response.headers["Location"] == f"/teacher/classes/{class_id}"
    html = teacher_client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert "名单（2 人）" in html and "新增 2 人" in html
    _, code = create_assignment(teacher_client, class_id)
    student = fixture_app.test_client()
    stranger = join(student, code, "王五", "2023009")
    assert stranger.status_code == 409 and "名单上没有这个学号" in stranger.get_data(as_text=True)
    wrong_name = join(student, code, "张山", "2023001")
    assert wrong_name.status_code == 409 and "姓名与班级名单上的不一致" in wrong_name.get_data(as_text=True)
    assert join(student, code, "张三", "2023001").status_code == 200
    assert "2023001" in teacher_client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)


def test_bad_roster_file_changes_nothing(teacher_client):
    class_id = create_class(teacher_client, "市场2301")
    response = upload(teacher_client, class_id, "名单.csv", "学号,姓名\n2023001,张三\n2023001,李四\n".encode())
    assert response.status_code == 400 and "第 3 行：学号 2023001 与第 2 行重复" in response.get_data(as_text=True)
    assert "名单（0 人）" in teacher_client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)


def test_a_roster_problem_is_shown_on_the_class_page_beside_the_upload_form(teacher_client):
    class_id = create_class(teacher_client, "市场2301")
    response = upload(teacher_client, class_id, "名单.xlsx", b"this is not a spreadsheet")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="roster-error"' in html and "名单没有导入：无法读取这个 Excel 文件" in html
    assert 'name="roster"' in html and "<h1>市场2301</h1>" in html   # the teacher can pick a fixed file right there
    assert "BadZipFile" not in html


def test_spaces_inside_a_name_do_not_keep_a_listed_student_out(teacher_client, fixture_app):
    class_id = create_class(teacher_client, "市场2301")
    upload(teacher_client, class_id, "名单.csv", "学号,姓名\n2023001,张 三\n".encode())
    _, code = create_assignment(teacher_client, class_id)
    assert join(fixture_app.test_client(), code, "张三", "2023001").status_code == 200


def test_without_a_roster_joining_builds_it(teacher_client, fixture_app):
    class_id = create_class(teacher_client, "市场2301")
    _, code = create_assignment(teacher_client, class_id)
    response = join(fixture_app.test_client(), code, "张三", "2023001")
    assert re.fullmatch(r"\w{6}", personal_code(response))
    html = teacher_client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)
    assert "名单（1 人）" in html and "自行加入" in html


def test_join_shows_the_assignment_and_a_start_button(teacher_client, fixture_app):
    _, code = create_assignment(teacher_client, create_class(teacher_client, "c"))
    student = fixture_app.test_client()
    join(student, code, "张三", "2023001")
    html = student.get(f"/join/{code.lower()}").get_data(as_text=True)
    assert "张三（2023001）" in html and "开始作答" in html


def test_bad_join_input_is_a_400_with_reason(teacher_client, fixture_app):
    _, code = create_assignment(teacher_client, create_class(teacher_client, "c"))
    response = join(fixture_app.test_client(), code, "", "2023 001")
    assert response.status_code == 400 and "学号须为 1–20 位字母或数字" in response.get_data(as_text=True)
    assert fixture_app.test_client().get("/join/ZZZZZZ").status_code == 404


def test_one_device_one_student_unless_switched(teacher_client, fixture_app):
    _, code = create_assignment(teacher_client, create_class(teacher_client, "c"))
    device = fixture_app.test_client()
    join(device, code, "张三", "2023001")
    second = join(device, code, "李四", "2023002")
    assert second.status_code == 409 and "这台设备已经以学号 2023001 加入本班" in second.get_data(as_text=True)
    device.post(f"/join/{code}/switch", data={"csrf_token": token(device, f"/join/{code}")})
    assert join(device, code, "李四", "2023002").status_code == 200


def test_resume_on_another_device_with_the_personal_code(teacher_client, fixture_app):
    _, code = create_assignment(teacher_client, create_class(teacher_client, "c"))
    phone, laptop = fixture_app.test_client(), fixture_app.test_client()
    personal = personal_code(join(phone, code, "张三", "2023001"))
    taken = join(laptop, code, "张三", "2023001")
    assert taken.status_code == 409 and "学号 + 个人码" in taken.get_data(as_text=True)
    wrong = laptop.post(f"/join/{code}/resume", data={"csrf_token": token(laptop, f"/join/{code}"),
                                                      "student_no": "2023001", "personal_code": "AAAAAA"})
    assert wrong.status_code == 403 and "学号或个人码不正确" in wrong.get_data(as_text=True)
    ok = laptop.post(f"/join/{code}/resume", data={"csrf_token": token(laptop, f"/join/{code}"),
                                                   "student_no": "2023001", "personal_code": personal.lower()})
    assert ok.headers["Location"] == f"/join/{code}"
    assert "张三（2023001）" in laptop.get(f"/join/{code}").get_data(as_text=True)


def test_resume_guessing_is_limited(teacher_client, fixture_app):
    _, code = create_assignment(teacher_client, create_class(teacher_client, "c"))
    join(fixture_app.test_client(), code, "张三", "2023001")
    guesser = fixture_app.test_client()
    statuses = [guesser.post(f"/join/{code}/resume", data={"csrf_token": token(guesser, f"/join/{code}"),
                                                           "student_no": "2023001", "personal_code": f"AAAAA{n}"}).status_code
                for n in range(11)]
    assert statuses == [403] * 10 + [429]


def test_teacher_resets_a_personal_code(teacher_client, fixture_app):
    class_id = create_class(teacher_client, "c")
    _, code = create_assignment(teacher_client, class_id)
    old = personal_code(join(fixture_app.test_client(), code, "张三", "2023001"))
    response = teacher_client.post(f"/teacher/classes/{class_id}/students/2023001/reset",
                                   data={"csrf_token": token(teacher_client, f"/teacher/classes/{class_id}")})
    assert response.headers["Location"] == f"/teacher/classes/{class_id}"
    new = re.search(r"新个人码：(\w{6})", teacher_client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)).group(1)
    device = fixture_app.test_client()
    resume = lambda c: device.post(f"/join/{code}/resume", data={"csrf_token": token(device, f"/join/{code}"),
                                                                  "student_no": "2023001", "personal_code": c})
    assert resume(old).status_code == 403 and resume(new).status_code == 302
    missing = teacher_client.post(f"/teacher/classes/{class_id}/students/9999/reset",
                                  data={"csrf_token": token(teacher_client, f"/teacher/classes/{class_id}")})
    assert missing.status_code == 404


def test_assignment_form_errors_keep_the_input(teacher_client):
    class_id = create_class(teacher_client, "c")
    data = {"csrf_token": token(teacher_client, "/teacher/assignments/new"),
            **assignment_form(class_id, title="第三章", **{"rule0-count": "50"})}
    response = teacher_client.post("/teacher/assignments", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "少于要求的 50 道" in html and 'value="第三章"' in html
    data.update({"rule0-count": "3", "closes_at": "2019-01-01T08:00"})
    assert "截止时间须晚于开放时间" in teacher_client.post("/teacher/assignments", data=data).get_data(as_text=True)


def test_assignment_page_shows_code_link_and_qr(teacher_client):
    assignment_id, code = create_assignment(teacher_client, create_class(teacher_client, "c"))
    html = teacher_client.get(f"/teacher/assignments/{assignment_id}").get_data(as_text=True)
    assert f"http://localhost/join/{code}" in html
    svg = teacher_client.get(f"/teacher/assignments/{assignment_id}/qr.svg")
    assert svg.headers["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.data


def test_preview_shows_a_paper_without_answers(teacher_client):
    assignment_id, _ = create_assignment(teacher_client, create_class(teacher_client, "c"),
                                         **{"rule0-count": "", "picked_ids": "fx-secret-single fx-term-clv"})
    html = teacher_client.get(f"/teacher/assignments/{assignment_id}/preview").get_data(as_text=True)
    assert html.count('class="exam-question"') == 2 and "随堂测验专用" in html
    assert "解析" not in html and "扣除成本并考虑资金时间价值" not in html


def test_create_assignment_command_prints_the_code(fixture_app, teacher_client):
    result = fixture_app.test_cli_runner().invoke(args=[
        "create-assignment", "--teacher", "alice", "--class", "市场2302", "--title", "脚本测验",
        "--chapter", "alpha", "--count", "5", "--minutes", "15"])
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    html = fixture_app.test_client().get(f"/join/{code}").get_data(as_text=True)
    assert "脚本测验" in html and "限时 15 分钟" in html
    too_many = fixture_app.test_cli_runner().invoke(args=[
        "create-assignment", "--teacher", "alice", "--class", "x", "--title", "t", "--chapter", "beta"])
    assert too_many.exit_code != 0 and "少于要求" in too_many.output


def test_another_teacher_sees_none_of_it(teacher_client, other_teacher):
    class_id = create_class(teacher_client, "c")
    assignment_id, code = create_assignment(teacher_client, class_id)
    for url in (f"/teacher/classes/{class_id}", f"/teacher/assignments/{assignment_id}",
                f"/teacher/assignments/{assignment_id}/qr.svg", f"/teacher/assignments/{assignment_id}/preview",
                f"/teacher/assignments/{assignment_id}/present"):
        assert other_teacher.get(url).status_code == 404, url
    html = other_teacher.get("/teacher/").get_data(as_text=True)
    assert code not in html and "还没有班级" in html
    reset = other_teacher.post(f"/teacher/classes/{class_id}/students/1/reset",
                               data={"csrf_token": token(other_teacher, "/teacher/")})
    assert reset.status_code == 404
    stolen = other_teacher.post("/teacher/assignments", data={
        "csrf_token": token(other_teacher, "/teacher/"), **assignment_form(class_id)})
    assert stolen.status_code == 404


@pytest.mark.parametrize("field, value, reason", [
    ("opens_at", "0001-01-01T00:00", "开放时间的年份须在 2000–2199 之间"),
    ("closes_at", "9999-12-31T23:59", "截止时间的年份须在 2000–2199 之间"),
    ("title", "\x00\x01", "标题须为 1–60 个字"),
])
def test_odd_assignment_input_is_a_400_with_reason_and_nothing_created(teacher_client, field, value, reason):
    class_id = create_class(teacher_client, "c")
    data = {"csrf_token": token(teacher_client, "/teacher/assignments/new"), **assignment_form(class_id, **{field: value})}
    response = teacher_client.post("/teacher/assignments", data=data)
    assert response.status_code == 400 and reason in response.get_data(as_text=True)
    assert "还没有作业。" in teacher_client.get(f"/teacher/classes/{class_id}").get_data(as_text=True)


def test_an_oversized_roster_is_refused_with_the_limit_named(teacher_client):
    class_id = create_class(teacher_client, "c")
    response = upload(teacher_client, class_id, "名单.csv", b"x" * (300 * 1024))
    assert response.status_code == 413 and "大小上限（256 KB）" in response.get_data(as_text=True)


def test_a_wrongly_joined_student_can_be_taken_off_the_class_until_they_have_a_paper(teacher_client, fixture_app):
    class_id = create_class(teacher_client, "市场2301")
    _, code = create_assignment(teacher_client, class_id)
    typo, real = fixture_app.test_client(), fixture_app.test_client()
    join(typo, code, "张三", "2032001")              # 学号 typed wrong
    join(real, code, "李四", "2023002")
    from tests.teacher.test_taking import start
    start(real, code)
    page = f"/teacher/classes/{class_id}"
    removed = teacher_client.post(page + "/students/2032001/remove", data={"csrf_token": token(teacher_client, page)})
    assert removed.headers["Location"] == page
    html = teacher_client.get(page).get_data(as_text=True)
    assert "已将学号 2032001 移出本班" in html and "2032001</td>" not in html and "名单（1 人）" in html
    assert "姓名" in typo.get(f"/join/{code}").get_data(as_text=True)     # that device may join again, correctly
    kept = teacher_client.post(page + "/students/2023002/remove", data={"csrf_token": token(teacher_client, page)})
    assert kept.status_code == 409 and "已有作答记录" in kept.get_data(as_text=True)
    assert "<h1>市场2301</h1>" in kept.get_data(as_text=True)   # said on the class page, not a dead end
    assert "2023002</td>" in teacher_client.get(page).get_data(as_text=True)


def test_an_assignment_nobody_started_can_be_deleted_and_one_with_papers_cannot(teacher_client, fixture_app):
    class_id = create_class(teacher_client, "c")
    unused, unused_code = create_assignment(teacher_client, class_id, title="发错了")
    used, code = create_assignment(teacher_client, class_id, title="正式测验")
    from tests.teacher.test_taking import start
    student = fixture_app.test_client()
    join(student, code, "张三", "2023001")
    start(student, code)
    page = f"/teacher/assignments/{unused}"
    response = teacher_client.post(page + "/delete", data={"csrf_token": token(teacher_client, page)})
    assert response.headers["Location"] == f"/teacher/classes/{class_id}"
    assert teacher_client.get(page).status_code == 404 and fixture_app.test_client().get(f"/join/{unused_code}").status_code == 404
    page = f"/teacher/assignments/{used}"
    refused = teacher_client.post(page + "/delete", data={"csrf_token": token(teacher_client, page)})
    assert refused.status_code == 409 and "已有学生开始作答" in refused.get_data(as_text=True)
    assert "<h1>正式测验</h1>" in refused.get_data(as_text=True)
    assert teacher_client.get(page).status_code == 200
