import re

import pytest


def csrf(client, url="/practice") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def start(client, **form):
    data = {"csrf_token": csrf(client), "size": "5", **form}
    response = client.post("/practice", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def shown_letter(html: str, text: str) -> str:
    """The form value of the option showing `text`: the letter the student sees."""
    return re.search(r'value="([A-H])"[^>]*>\s*<span class="choice__letter">\1</span><span class="choice__text">'
                     + re.escape(text) + "<", html).group(1)


def attempt_position(location: str) -> tuple[int, int]:
    attempt, position = re.search(r"/practice/(\d+)/(\d+)", location).groups()
    return int(attempt), int(position)


def chosen_single(fixture_client, location):
    """Start a one-type practice and return (page html, attempt id)."""
    html = fixture_client.get(location).get_data(as_text=True)
    return html, attempt_position(location)[0]


def test_practice_page_lists_chapters_with_counts(fixture_client):
    html = fixture_client.get("/practice").get_data(as_text=True)
    assert "第1章 第一章 甲" in html and "（10 题）" in html and "案例分析" in html


def test_question_page_never_contains_the_key(fixture_client):
    location = start(fixture_client, type="term")
    html = fixture_client.get(location).get_data(as_text=True)
    assert "客户终身价值" in html
    assert "扣除成本并考虑资金时间价值" not in html and "名词解释要点" not in html


def test_right_answer_gets_instant_feedback(fixture_client, fixture_app):
    location = start(fixture_client, type="true_false", size="5")
    html = fixture_client.get(location).get_data(as_text=True)
    truth = "true" if "心理感受" in html else "false"
    token = csrf(fixture_client, location)
    response = fixture_client.post(location, data={"csrf_token": token, "q0": truth})
    assert response.headers["Location"].endswith(location + "#feedback")
    page = fixture_client.get(location).get_data(as_text=True)
    assert "✓ 回答正确" in page and "解析：" in page


def test_wrong_answer_lands_in_notebook_and_leaves_after_two_rights(fixture_client):
    location = start(fixture_client, type="true_false")
    html = fixture_client.get(location).get_data(as_text=True)
    truth = "心理感受" in html
    wrong = "false" if truth else "true"
    fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": wrong})
    assert "✗ 回答错误" in fixture_client.get(location).get_data(as_text=True)
    notebook = fixture_client.get("/notebook").get_data(as_text=True)
    assert "共 1 道错题" in notebook
    for _ in range(2):
        redo = fixture_client.post("/notebook/redo", data={"csrf_token": csrf(fixture_client, "/notebook")})
        redo_at = redo.headers["Location"]
        fixture_client.post(redo_at, data={"csrf_token": csrf(fixture_client, redo_at), "q0": "true" if truth else "false"})
    assert "错题本是空的" in fixture_client.get("/notebook").get_data(as_text=True)


def test_subjective_answer_shows_key_points_then_self_score(fixture_client):
    location = start(fixture_client, type="term")
    token = csrf(fixture_client, location)
    fixture_client.post(location, data={"csrf_token": token, "q0": "客户在整个生命周期里，<b>折现</b>后的收益"})
    html = fixture_client.get(location).get_data(as_text=True)
    assert "✓ 整个生命周期" in html and "✓ 考虑资金的时间价值" in html
    assert "&lt;b&gt;折现&lt;/b&gt;" in html and "<b>折现" not in html
    response = fixture_client.post(location + "/self", data={"csrf_token": token, "self_score": "1"})
    assert response.status_code == 302
    assert "得分 1 / 2" in fixture_client.get(location).get_data(as_text=True)
    assert "共 1 道错题" in fixture_client.get("/notebook").get_data(as_text=True)


def test_an_objective_question_says_it_needs_no_self_score(fixture_client):
    location = start(fixture_client, type="true_false")
    token = csrf(fixture_client, location)
    response = fixture_client.post(location + "/self", data={"csrf_token": token, "self_score": "1"})
    assert response.status_code == 400 and "这道题由系统判分，不需要自评" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "form, status",
    [
        ({"q0": "H"}, 422),          # a letter the question does not show
        ({"q0": "0"}, 422),          # an option index (the old form values) is not a letter
        ({"q0": ["A", "B"]}, 422),   # two answers to a single choice
        ({}, 422),                   # nothing chosen
    ],
)
def test_bad_single_choice_submissions_change_nothing(fixture_client, form, status):
    location = start(fixture_client, type="single")
    response = fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), **form})
    assert response.status_code == status
    assert "提交答案" in fixture_client.get(location).get_data(as_text=True)


def test_second_answer_to_same_question_is_409(fixture_client):
    location = start(fixture_client, type="single")
    token = csrf(fixture_client, location)
    assert fixture_client.post(location, data={"csrf_token": token, "q0": "A"}).status_code == 302
    response = fixture_client.post(location, data={"csrf_token": token, "q0": "B"})
    assert response.status_code == 409 and "已经作答过" in response.get_data(as_text=True)


def test_missing_csrf_token_is_rejected(fixture_client):
    location = start(fixture_client, type="single")
    response = fixture_client.post(location, data={"q0": "A"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


@pytest.mark.parametrize("form", [{"chapter": "omega"}, {"type": "essay"}, {"size": "7"}])
def test_bad_practice_settings_are_400(fixture_client, form):
    data = {"csrf_token": csrf(fixture_client), "size": "5", **form}
    assert fixture_client.post("/practice", data=data).status_code == 400


def test_position_outside_attempt_is_404(fixture_client):
    location = start(fixture_client)
    attempt, _ = attempt_position(location)
    assert fixture_client.get(f"/practice/{attempt}/99").status_code == 404


def test_another_learners_attempt_is_404(fixture_app):
    owner, stranger = fixture_app.test_client(), fixture_app.test_client()
    location = start(owner)
    assert stranger.get(location).status_code == 404


def test_progress_counts_answers_per_chapter(fixture_client):
    location = start(fixture_client, type="single")
    fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": "A"})
    html = fixture_client.get("/progress").get_data(as_text=True)
    assert re.search(r"第1章 第一章 甲</a></th>\s*<td data-label=\"已做题目\">.*?1 / 10</td>", html, re.S)


def test_learner_can_name_export_and_delete_their_data(fixture_client):
    location = start(fixture_client, type="single")
    fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": "A"})
    fixture_client.post("/me", data={"csrf_token": csrf(fixture_client, "/me"), "display_name": "<小王>"})
    assert 'value="&lt;小王&gt;"' in fixture_client.get("/me").get_data(as_text=True)
    data = fixture_client.get("/me/export.json").get_json()
    assert data["learner"]["display_name"] == "<小王>"
    assert [len(a["responses"]) for a in data["attempts"]] == [1]
    assert fixture_client.post("/me/delete", data={"csrf_token": csrf(fixture_client, "/me")}).status_code == 400
    fixture_client.post("/me/delete", data={"csrf_token": csrf(fixture_client, "/me"), "confirm": "yes"})
    assert fixture_client.get("/me/export.json").get_json()["attempts"] == []
    assert fixture_client.get(location).status_code == 404


def test_oversized_submission_is_413(fixture_client):
    location = start(fixture_client, type="term")
    response = fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": "长" * 200_000})
    assert response.status_code == 413 and "太大" in response.get_data(as_text=True)


def test_concurrent_answers_all_land(fixture_app):
    """Eight students answer at the same moment on separate threads: every answer is stored."""
    import threading

    clients = [fixture_app.test_client() for _ in range(8)]
    prepared = []
    for client in clients:
        location = start(client, type="single")
        prepared.append((client, location, csrf(client, location)))
    barrier = threading.Barrier(len(prepared))
    statuses = []

    def submit(client, location, token):
        barrier.wait()
        statuses.append(client.post(location, data={"csrf_token": token, "q0": "A"}).status_code)

    threads = [threading.Thread(target=submit, args=p) for p in prepared]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from db import connect

    db = connect(fixture_app.config["DATABASE"])
    assert statuses == [302] * 8
    assert db.execute("SELECT count(*) FROM responses").fetchone()[0] == 8


def test_broken_bank_is_left_out_and_site_stays_up(tmp_path):
    import shutil

    from tests.conftest import FIXTURES, make_app

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    (content / "questions" / "cases.yaml").write_text("chapter: cases\nquestions:\n  - id: [broken\n", encoding="utf-8")
    client = make_app(tmp_path, CONTENT_DIR=str(content)).test_client()
    html = client.get("/practice").get_data(as_text=True)
    assert "题库共 10 道题" in html
    assert client.get("/").status_code == 200
    result = make_app(tmp_path, CONTENT_DIR=str(content)).test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1 and "cases.yaml:4: YAML 语法错误" in result.output


def test_practice_set_of_chosen_questions(fixture_client):
    html = fixture_client.get("/practice/set?q=fx-calc-clv&q=fx-tf-feeling").get_data(as_text=True)
    assert "练习这 2 道题" in html and "客户满意是客户的一种心理感受" in html and "解析" not in html
    response = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client),
                                                      "question": ["fx-calc-clv", "fx-tf-feeling"]})
    page = fixture_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "第 1 / 2 题" in page and "终身价值" in page


@pytest.mark.parametrize("ids", [["nope"], ["fx-tf-feeling"] * 51])  # a chosen set holds at most 50
def test_practice_set_rejects_unknown_or_too_many(fixture_client, ids):
    assert fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client), "question": ids}).status_code == 400


def test_calculation_answer_is_graded_against_its_variant(fixture_client):
    response = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client), "question": ["fx-calc-clv"]})
    location = response.headers["Location"]
    fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": "1"})
    html = fixture_client.get(location).get_data(as_text=True)
    assert "✗ 回答错误" in html and "解题过程：" in html and "(P/A," in html


def test_study_next_always_suggests_the_least_covered_chapter():
    from course.loader import load_course
    from quizzes import chapter_anchors
    from quizzes.bank import load_banks
    from quizzes.review import study_next
    from tests.conftest import FIXTURES

    course = load_course(FIXTURES / "content")
    banks = load_banks(FIXTURES / "content", chapter_anchors(course))
    answered = [{"question_key": "alpha/fx-single-ratio", "correct": 1}]
    assert [(link.slug, link.reason) for link in study_next(course, banks, answered)] == [("alpha", "还有 9 题没做过")]
    wrong = [{"question_key": "alpha/fx-single-ratio", "correct": 0}]
    assert [(link.anchor, link.reason) for link in study_next(course, banks, wrong)][0] == ("formula", "做过 1 道题，答对 0 道")


def test_study_next_counts_questions_not_attempts():
    from course.loader import load_course
    from quizzes import chapter_anchors
    from quizzes.bank import load_banks
    from quizzes.review import study_next
    from tests.conftest import FIXTURES

    course = load_course(FIXTURES / "content")
    banks = load_banks(FIXTURES / "content", chapter_anchors(course))
    answered = [{"question_key": "alpha/fx-single-ratio", "correct": 0}] * 3 + [
        {"question_key": "alpha/fx-single-formula", "correct": 0}, {"question_key": "alpha/fx-single-formula", "correct": 1}]
    first = study_next(course, banks, answered)[0]
    assert (first.anchor, first.reason) == ("formula", "做过 2 道题，答对 1 道")


def test_review_marks_the_students_choice(fixture_client):
    location = start(fixture_client, type="multiple")
    letter = shown_letter(fixture_client.get(location).get_data(as_text=True), "虚假质量")
    fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": [letter]})
    html = fixture_client.get(location).get_data(as_text=True)
    assert re.search(r'<li class=" is-mine">.*?虚假质量<span class="mine-tag">你的选择</span>', html)
    assert html.count('class="is-key"') == 3


def test_an_answer_stores_the_version_it_was_graded_against(tmp_path):
    """The key of a question changes between starting a practice set and answering it: the answer is graded
    by the new key, and the new version is what the response records."""
    import shutil

    from db import connect
    from quizzes import current_banks
    from tests.conftest import FIXTURES, make_app

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", content)
    app = make_app(tmp_path, CONTENT_DIR=str(content))
    client = app.test_client()
    location = client.post("/practice", data={"csrf_token": csrf(client), "question": ["fx-tf-feeling"]}).headers["Location"]
    bank = content / "questions" / "alpha.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("    answer: true\n    explanation: 满意是需求被满足后的愉悦感。",
                                 "    answer: false\n    explanation: 修订后的解析。"), encoding="utf-8")
    client.post(location, data={"csrf_token": csrf(client, location), "q0": "false"})
    assert "✓ 回答正确" in client.get(location).get_data(as_text=True)
    with app.test_request_context():
        version = current_banks().by_key()["alpha/fx-tf-feeling"].version
    stored = next(connect(app.config["DATABASE"]).query("SELECT version, correct FROM responses"))
    assert stored == {"version": version, "correct": 1}
