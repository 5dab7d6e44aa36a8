"""Transfer codes (expiry, single use, wrong codes, rate limit) and import of the JSON export."""
from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from db import connect
from records import store, transfer
from records.importer import BadExport, parse_export


def csrf(client, url="/me") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def practise_wrong(client, type_="true_false") -> None:
    """Answer one question wrong in a fresh practice set (into the 错题本)."""
    start = client.post("/practice", data={"csrf_token": csrf(client, "/practice"), "size": "5", "type": type_})
    at = start.headers["Location"]
    html = client.get(at).get_data(as_text=True)
    if type_ == "fill_blank":
        answer = {"q0_0": "错", "q0_1": "错"}
    else:
        answer = {"q0": "false" if "心理感受" in html else "true"}
    client.post(at, data={"csrf_token": csrf(client, at), **answer})


def new_code(client) -> str:
    client.post("/me/transfer/code", data={"csrf_token": csrf(client)})
    return re.search(r'id="transfer-code-value">([A-Z0-9-]+)<', client.get("/me").get_data(as_text=True)).group(1)


def redeem(client, code: str):
    return client.post("/me/transfer", data={"csrf_token": csrf(client, "/me/transfer"), "code": code})


@pytest.mark.parametrize("typed, expected", [
    ("abcd-efgh", "ABCDEFGH"), (" ABCD EFGH ", "ABCDEFGH"), ("ABCDEFG", None), ("ABCDEFGI", None), ("", None),
])
def test_typed_codes_are_normalised(typed, expected):
    assert transfer.normalize(typed) == expected


def test_new_codes_use_only_unambiguous_letters():
    codes = {transfer.new_code() for _ in range(50)}
    assert len(codes) == 50 and all(transfer.normalize(c) == c for c in codes)


def test_code_moves_records_and_merges_the_second_device(fixture_client, fixture_app):
    practise_wrong(fixture_client)
    code = new_code(fixture_client)
    phone = fixture_app.test_client()
    practise_wrong(phone, "fill_blank")
    assert "共 1 道错题" in phone.get("/notebook").get_data(as_text=True)
    response = redeem(phone, code)
    assert response.headers["Location"] == "/me"
    assert "共 2 道错题" in phone.get("/notebook").get_data(as_text=True)
    assert "共 2 道错题" in fixture_client.get("/notebook").get_data(as_text=True)


def test_code_is_single_use(fixture_client, fixture_app):
    code = new_code(fixture_client)
    assert redeem(fixture_app.test_client(), code).status_code == 302
    third = fixture_app.test_client()
    practise_wrong(third)
    response = redeem(third, code)
    assert response.status_code == 400 and "已经用过" in response.get_data(as_text=True)
    assert "共 1 道错题" in third.get("/notebook").get_data(as_text=True)


def test_expired_code_is_refused(fixture_client, fixture_app, monkeypatch):
    code = new_code(fixture_client)
    later = store.now() + transfer.TTL + dt.timedelta(seconds=1)
    monkeypatch.setattr(store, "now", lambda: later)
    response = redeem(fixture_app.test_client(), code)
    assert response.status_code == 400 and "已过期" in response.get_data(as_text=True)


def test_wrong_code_changes_nothing(fixture_client, fixture_app):
    practise_wrong(fixture_client)
    before = fixture_client.get("/me/export.json").get_json()
    response = redeem(fixture_client, "ABCD-EFGH")
    assert response.status_code == 400 and "转移码不对" in response.get_data(as_text=True)
    assert fixture_client.get("/me/export.json").get_json() == before


def test_wrong_codes_are_rate_limited_in_the_database(fixture_client, fixture_app):
    code = new_code(fixture_client)
    phone = fixture_app.test_client()
    for _ in range(transfer.MAX_FAILURES):
        assert redeem(phone, "ZZZZ-ZZZZ").status_code == 400
    response = redeem(phone, code)
    assert response.status_code == 429 and "输错的次数太多" in response.get_data(as_text=True)
    db = connect(fixture_app.config["DATABASE"])
    assert next(db.query("SELECT failures FROM transfer_failures"))["failures"] == transfer.MAX_FAILURES
    assert next(db.query("SELECT used_at FROM transfer_codes"))["used_at"] is None


def test_a_new_code_replaces_the_old_one(fixture_client, fixture_app):
    first = new_code(fixture_client)
    second = new_code(fixture_client)
    assert first != second
    assert redeem(fixture_app.test_client(), first).status_code == 400


def test_me_shows_code_and_qr_svg(fixture_client):
    code = new_code(fixture_client)
    html = fixture_client.get("/me").get_data(as_text=True)
    assert '<svg' in html and "转移码二维码" in html and f"/me/transfer?code={code}" in html


def test_tables_added_later_follow_the_learner(fixture_client, fixture_app):
    db = connect(fixture_app.config["DATABASE"])
    db.execute("CREATE TABLE cards_demo (learner_id TEXT NOT NULL, card TEXT, PRIMARY KEY (learner_id, card))")
    phone = fixture_app.test_client()
    practise_wrong(phone)
    phone_id = next(db.query("SELECT id FROM learners"))["id"]
    db.execute("INSERT INTO cards_demo VALUES (?, 'a'), (?, 'b')", [phone_id, phone_id])
    code = new_code(fixture_client)
    redeem(phone, code)
    owners = {r["learner_id"] for r in db.query("SELECT learner_id FROM cards_demo")}
    assert len(owners) == 1 and owners != {phone_id}


def test_import_restores_an_export(fixture_client, fixture_app):
    practise_wrong(fixture_client)
    exported = fixture_client.get("/me/export.json").get_data()
    other = fixture_app.test_client()
    response = other.post("/me/import", data={"csrf_token": csrf(other), "file": (io.BytesIO(exported), "d.json")},
                          content_type="multipart/form-data")
    assert response.headers["Location"] == "/me"
    assert "新增 1 次练习或考试记录" in other.get("/me").get_data(as_text=True)
    assert "共 1 道错题" in other.get("/notebook").get_data(as_text=True)
    again = other.post("/me/import", data={"csrf_token": csrf(other), "file": (io.BytesIO(exported), "d.json")},
                       content_type="multipart/form-data")
    assert again.status_code == 302
    assert "1 次已存在而跳过" in other.get("/me").get_data(as_text=True)
    entry = other.get("/me/export.json").get_json()["notebook"][0]
    assert entry["wrong_count"] == 1


@pytest.mark.parametrize("content, reason", [
    (b"not json", "不是有效的 JSON"),
    (b'{"attempts": 3, "notebook": []}', "缺少 attempts 或 notebook"),
    (json.dumps({"attempts": [{"id": 1, "kind": "teacher", "items": []}], "notebook": []}).encode(), "无法导入"),
    (json.dumps({"attempts": [], "notebook": [{"question_key": "../x"}]}).encode(), "错题本第 1 条的题目标识不对"),
])
def test_bad_import_gives_a_reason_and_changes_nothing(fixture_client, content, reason):
    practise_wrong(fixture_client)
    before = fixture_client.get("/me/export.json").get_json()
    response = fixture_client.post("/me/import", data={"csrf_token": csrf(fixture_client),
                                                       "file": (io.BytesIO(content), "d.json")},
                                   content_type="multipart/form-data")
    assert response.status_code == 400
    assert "导入失败，没有改动任何记录" in response.get_data(as_text=True) and reason in response.get_data(as_text=True)
    assert fixture_client.get("/me/export.json").get_json() == before


def test_import_needs_the_csrf_token(fixture_client):
    response = fixture_client.post("/me/import", data={"file": (io.BytesIO(b"{}"), "d.json")},
                                   content_type="multipart/form-data")
    assert response.status_code == 400


def test_parse_export_rejects_a_response_outside_the_paper():
    attempt = {"id": 1, "kind": "practice", "seed": 1, "config": {}, "started_at": "2026-01-01T00:00:00+00:00",
               "items": [{"key": "a/b", "version": "v", "points": 1}],
               "responses": [{"position": 3, "question_key": "a/b", "version": "v", "response": 1, "max_score": 1,
                              "answered_at": "2026-01-01T00:00:00+00:00"}]}
    with pytest.raises(BadExport, match="题号超出"):
        parse_export(json.dumps({"attempts": [attempt], "notebook": []}).encode())


def test_flashcards_follow_and_the_latest_review_wins(fixture_client, fixture_app):
    db = connect(fixture_app.config["DATABASE"])
    card = ("INSERT INTO flashcard_cards (learner_id, card_key, state, due, last_review, reps, introduced_at) "
            "VALUES (?, ?, 2, ?, ?, ?, '2026-11-01T00:00:00+00:00')")
    code = new_code(fixture_client)
    pc = next(db.query("SELECT id FROM learners"))["id"]
    db.execute(card, [pc, "alpha/fx-term-clv", "2026-12-01", "2026-11-20T00:00:00+00:00", 3])
    db.execute(card, [pc, "alpha/only-pc", "2026-12-01", "2026-11-20T00:00:00+00:00", 1])
    phone = fixture_app.test_client()
    phone.get("/me/transfer")
    phone.post("/bookmarks/toggle", data={"csrf_token": csrf(phone, "/me/transfer"), "key": "alpha/fx-tf-feeling"})
    other = next(r["id"] for r in db.query("SELECT id FROM learners WHERE id != ?", [pc]))
    db.execute(card, [other, "alpha/fx-term-clv", "2026-12-09", "2026-11-28T00:00:00+00:00", 7])
    assert redeem(phone, code).status_code == 302
    cards = {r["card_key"]: r["reps"] for r in db.query("SELECT card_key, reps FROM flashcard_cards WHERE learner_id = ?", [pc])}
    assert cards == {"alpha/fx-term-clv": 7, "alpha/only-pc": 1}
    assert [r["id"] for r in db.query("SELECT id FROM learners")] == [pc]


def test_the_same_mistake_on_both_devices_adds_up(fixture_client, fixture_app):
    practise_wrong(fixture_client, "fill_blank")
    code = new_code(fixture_client)
    phone = fixture_app.test_client()
    practise_wrong(phone, "fill_blank")
    redeem(phone, code)
    entries = phone.get("/me/export.json").get_json()["notebook"]
    assert [(e["question_key"], e["wrong_count"]) for e in entries] == [("alpha/fx-fill-stages", 2)]
    assert "做错 2 次" in phone.get("/notebook").get_data(as_text=True)


def test_import_says_which_records_it_leaves_out():
    exported = {"learner": None, "attempts": [], "notebook": [], "bookmarks": [], "flashcards": {"cards": [1]}}
    assert parse_export(json.dumps(exported).encode()).not_imported == ("flashcards",)


def test_an_export_with_a_class_assignment_imports_the_rest():
    practice = {"id": 1, "kind": "practice", "seed": 1, "config": {}, "started_at": "2026-01-01T00:00:00+00:00",
                "items": [{"key": "a/b", "version": "v", "points": 1}], "responses": []}
    assignment = {**practice, "id": 2, "kind": "assignment", "config": {"assignment_id": 7}}
    data = parse_export(json.dumps({"attempts": [practice, assignment], "notebook": []}).encode())
    assert [a.kind for a in data.attempts] == ["practice"]
    assert data.not_imported == ("assignments",)


# ---- records moving between two devices that joined the same class ---------------------------------

def class_with_assignment(app) -> tuple[object, int, str]:
    from tests.teacher.conftest import create_assignment, create_class, login, make_teacher
    make_teacher(app, "alice")
    teacher = app.test_client()
    login(teacher, "alice")
    assignment_id, code = create_assignment(teacher, create_class(teacher, "市场2301"), release="immediately",
                                            shuffle_options="", shuffle_questions="", **{"rule0-count": ""},
                                            picked_ids="fx-secret-single fx-tf-feeling fx-secret-short",
                                            **{"points-single": "1", "points-true_false": "1",
                                               "points-short_answer": "6"})
    return teacher, assignment_id, code


def join_and_submit(client, code: str, student_no: str, **answers) -> tuple[str, str]:
    """(personal code, attempt URL) of a student who joins as 张三 and submits one attempt."""
    from tests.teacher.conftest import join, personal_code, token
    from tests.teacher.test_taking import start
    personal = personal_code(join(client, code, "张三", student_no))
    url = start(client, code)
    client.post(url + "/submit", data={"csrf_token": token(client, url), **answers})
    return personal, url


def acting_as(client, code: str) -> str:
    """The 学号 a device continues the assignment as, from the student's page."""
    return re.search(r'<p class="lead">张三（(\d+)）', client.get(f"/join/{code}").get_data(as_text=True)).group(1)


def result_rows(teacher, assignment_id: int) -> list[list[str]]:
    import csv
    raw = teacher.get(f"/teacher/assignments/{assignment_id}/export/results.csv").data.decode("utf-8-sig")
    return [[r[0], r[2], r[4]] for r in list(csv.reader(io.StringIO(raw)))[1:]]


def enrolments(app) -> list[tuple[str, int]]:
    """(学号, how many enrolments its learner has in the class) per enrolment."""
    return [(r["student_no"], r["n"]) for r in connect(app.config["DATABASE"]).query(
        "SELECT e.student_no, (SELECT count(*) FROM enrolments o WHERE o.class_id = e.class_id "
        "AND o.learner_id = e.learner_id) AS n FROM enrolments e ORDER BY e.student_no")]


@pytest.mark.parametrize("owner", ["phone", "laptop"])
def test_devices_joined_under_two_numbers_keep_both_roster_entries_and_the_code_owners_number(fixture_app, owner):
    """A typo'd 学号 on one device: the teacher keeps both roster entries with their attempts and grades; the
    device that enters the code continues as the code owner's 学号, the other one is reached with its code."""
    from tests.teacher.conftest import token
    teacher, assignment_id, code = class_with_assignment(fixture_app)
    devices = {"phone": fixture_app.test_client(), "laptop": fixture_app.test_client()}
    numbers = {"phone": "2023001", "laptop": "2023010"}
    personal = {"phone": join_and_submit(devices["phone"], code, "2023001", q0="A", q1="true")[0]}
    personal["laptop"], laptop_url = join_and_submit(devices["laptop"], code, "2023010", q2="主要是提升实际体验")
    page = f"/teacher/assignments/{assignment_id}/grading/{laptop_url.rsplit('/', 1)[1]}/2"
    teacher.post(page, data={"csrf_token": token(teacher, page), "score": "4.5", "comment": "请写全两点。"})
    practise_wrong(devices["laptop"])
    other = "laptop" if owner == "phone" else "phone"

    assert redeem(devices[other], new_code(devices[owner])).headers["Location"] == "/me"

    assert acting_as(devices[owner], code) == acting_as(devices[other], code) == numbers[owner]
    assert enrolments(fixture_app) == [("2023001", 1), ("2023010", 1)]
    assert result_rows(teacher, assignment_id) == [["2023001", "1", "2.0"], ["2023010", "1", "4.5"]]
    assert "共 1 道错题" in devices[owner].get("/notebook").get_data(as_text=True)
    device = devices[other]
    device.post(f"/join/{code}/switch", data={"csrf_token": token(device, f"/join/{code}")})
    device.post(f"/join/{code}/resume", data={"csrf_token": token(device, f"/join/{code}"),
                                              "student_no": numbers[other], "personal_code": personal[other]})
    assert acting_as(device, code) == numbers[other]
    mine = device.get(f"/join/{code}").get_data(as_text=True)
    assert ("4.5 / 8" if other == "laptop" else "2 / 8") in mine
    result = device.get(laptop_url + "/result").get_data(as_text=True) if other == "laptop" else ""
    assert other == "phone" or "请写全两点。" in result


def test_a_device_that_never_joined_takes_the_class_along(fixture_app):
    teacher, assignment_id, code = class_with_assignment(fixture_app)
    phone, laptop = fixture_app.test_client(), fixture_app.test_client()
    join_and_submit(phone, code, "2023001", q0="A")
    practise_wrong(laptop)
    redeem(phone, new_code(laptop))
    assert acting_as(phone, code) == acting_as(laptop, code) == "2023001"
    assert enrolments(fixture_app) == [("2023001", 1)]
    assert result_rows(teacher, assignment_id) == [["2023001", "1", "1.0"]]


def test_a_device_that_resumed_the_same_number_is_already_the_same_learner(fixture_app):
    from tests.teacher.conftest import token
    teacher, assignment_id, code = class_with_assignment(fixture_app)
    phone, laptop = fixture_app.test_client(), fixture_app.test_client()
    personal, _ = join_and_submit(phone, code, "2023001", q0="A")
    refused = laptop.post(f"/join/{code}", data={"csrf_token": token(laptop, f"/join/{code}"), "name": "张三",
                                                 "student_no": "2023001"})
    assert refused.status_code == 409 and "另一台设备上加入" in refused.get_data(as_text=True)
    laptop.post(f"/join/{code}/resume", data={"csrf_token": token(laptop, f"/join/{code}"),
                                              "student_no": "2023001", "personal_code": personal})
    assert redeem(phone, new_code(laptop)).headers["Location"] == "/me"
    assert acting_as(phone, code) == acting_as(laptop, code) == "2023001"
    assert enrolments(fixture_app) == [("2023001", 1)]
    assert result_rows(teacher, assignment_id) == [["2023001", "1", "1.0"]]
