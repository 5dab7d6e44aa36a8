import datetime as dt
import json
import re

import pytest

from tests.test_practice_views import csrf


def start_exam(client) -> str:
    response = client.post("/exam", data={"csrf_token": csrf(client, "/exam")})
    assert response.status_code == 302
    return response.headers["Location"]


def test_exam_intro_shows_configured_format(fixture_client):
    html = fixture_client.get("/exam").get_data(as_text=True)
    assert "限时 30 分钟，满分 16 分" in html
    assert "一、单项选择" in html and "四、案例分析" in html


def test_an_unfinished_exam_can_be_continued_from_the_exam_page(fixture_app, fixture_client):
    assert "继续考试" not in fixture_client.get("/exam").get_data(as_text=True)
    url = start_exam(fixture_client)
    fixture_client.post(url + "/save", data={"csrf_token": csrf(fixture_client, url), "q2": "true"})
    html = fixture_client.get("/exam").get_data(as_text=True)
    assert "你有一份未交卷的模拟考试：已答 1 / 6 题，还剩约 30 分钟" in html
    assert f'href="{url}">继续考试</a>' in html
    from db import connect

    connect(fixture_app.config["DATABASE"]).execute(
        "UPDATE attempts SET deadline = ? WHERE id = ?", [(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
                                                          int(url.rsplit("/", 1)[1])])
    html = fixture_client.get("/exam").get_data(as_text=True)
    assert "时间已到、尚未交卷" in html and f'href="{url}">交卷并查看成绩</a>' in html
    fixture_client.get(url)                                   # handed in with what was saved
    assert "未交卷" not in fixture_client.get("/exam").get_data(as_text=True)


def test_paper_follows_format_and_hides_answers(fixture_client):
    html = fixture_client.get(start_exam(fixture_client)).get_data(as_text=True)
    assert [s for s in re.findall(r'class="exam-section">(.*?)<small>', html)] == [
        "一、单项选择", "二、判断", "三、名词解释", "四、案例分析"]
    assert html.count('class="exam-question"') == 6
    for secret in ("解析", "参考答案", "一站式在线生活服务", "感知的实际体验，a 是期望值"):
        assert secret not in html


def test_autosave_then_reload_keeps_answers(fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    response = fixture_client.post(url + "/save", data={"csrf_token": token, "q2": "true", "q4": "生命周期与折现"})
    assert response.status_code == 200 and response.get_json()["saved"] == [2, 4]
    html = fixture_client.get(url).get_data(as_text=True)
    assert re.search(r'name="q2" value="true" checked', html)
    assert "生命周期与折现</textarea>" in html


def test_submit_scores_sections_and_reviews(fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/save", data={"csrf_token": token, "q4": "整个生命周期，折现"})
    response = fixture_client.post(url + "/submit", data={"csrf_token": token, "q2": "true"})
    assert response.headers["Location"].endswith(url + "/result")
    html = fixture_client.get(url + "/result").get_data(as_text=True)
    assert "模拟考试成绩" in html and "三、名词解释</td><td>4</td><td>4</td>" in html
    assert "解析：" in html and "得分点" in html


def test_second_submit_lands_on_the_result_and_changes_nothing(fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/submit", data={"csrf_token": token})
    page = lambda: re.sub(r'name="csrf_token" value="[^"]+"', "", fixture_client.get(url + "/result").get_data(as_text=True))
    before = page()   # (the page's forms carry CSRF tokens, which are time-stamped)
    again = fixture_client.post(url + "/submit", data={"csrf_token": token, "q2": "true"})
    assert again.headers["Location"] == url + "/result"
    assert fixture_client.post(url + "/save", data={"csrf_token": token, "q2": "true"}).status_code == 409
    assert page() == before


@pytest.mark.parametrize(
    "form, status",
    [({"q99": "1"}, 400), ({"q0": "H"}, 422), ({"qx": "1"}, 400), ({"q2": "maybe"}, 422)],
)
def test_forged_saves_are_rejected_whole(fixture_client, form, status):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    response = fixture_client.post(url + "/save", data={"csrf_token": token, "q4": "合法作答", **form})
    assert response.status_code == status
    assert "message" in response.get_json() or status == 400
    assert "合法作答</textarea>" not in fixture_client.get(url).get_data(as_text=True)


def test_answers_after_deadline_are_refused(fixture_app, fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    attempt_id = int(url.rsplit("/", 1)[1])
    from db import connect

    db = connect(fixture_app.config["DATABASE"])
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    db.execute("UPDATE attempts SET deadline = ? WHERE id = ?", [past, attempt_id])
    assert fixture_client.post(url + "/save", data={"csrf_token": token, "q2": "true"}).status_code == 409
    fixture_client.post(url + "/submit", data={"csrf_token": token, "q2": "true"})
    saved = list(db.query("SELECT * FROM responses WHERE attempt_id = ?", [attempt_id]))
    assert saved == []
    assert "超过考试时间" in fixture_client.get(url + "/result").get_data(as_text=True)


def test_wrong_exam_answers_go_to_notebook_unanswered_ones_do_not(fixture_client):
    url = start_exam(fixture_client)
    fixture_client.post(url + "/submit", data={"csrf_token": csrf(fixture_client, url), "q2": "true", "q3": "true"})
    assert "共 1 道错题" in fixture_client.get("/notebook").get_data(as_text=True)   # one of the two 判断 is false
    result = fixture_client.get(url + "/result").get_data(as_text=True)
    assert "答对 1 题 · 答错 1 题 · 未作答 4 题" in result and "练习这 4 道未作答的题" in result

