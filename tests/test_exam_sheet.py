"""Mock exam: answer-sheet flags, history with time used, result filters, unanswered is not wrong."""
from __future__ import annotations

import re

from tests.test_exam_views import start_exam
from tests.test_practice_views import csrf


def flag(client, url, position, on=None, **form):
    data = {"csrf_token": csrf(client, "/exam"), "flag": str(position), **form}
    if on is not None:
        data["on"] = "1" if on else "0"
    return client.post(url + "/flag", data=data, headers={"Accept": "application/json"} if on is not None else {})


def test_answer_sheet_lists_every_question_by_section(fixture_client):
    url = start_exam(fixture_client)
    html = fixture_client.get(url).get_data(as_text=True)
    nav = re.search(r'<nav aria-label="答题卡".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<p class="answer-sheet__section">(.*?)</p>', nav) == ["一、单项选择", "二、判断", "三、名词解释", "四、案例分析"]
    assert re.findall(r'href="#item-(\d+)"', nav) == [str(i) for i in range(6)]
    assert '已答 <strong id="sheet-answered">0</strong> / 6' in html


def test_flag_is_stored_and_shown_after_reload(fixture_client):
    url = start_exam(fixture_client)
    assert flag(fixture_client, url, 4, on=True).get_json() == {"position": 4, "flagged": True}
    html = fixture_client.get(url).get_data(as_text=True)
    assert 'class="exam-question is-flagged" id="item-4"' in html and '<strong id="sheet-flagged">1</strong>' in html
    assert flag(fixture_client, url, 4, on=False).get_json() == {"position": 4, "flagged": False}
    assert "is-flagged" not in re.search(r'id="item-4".*?>', fixture_client.get(url).get_data(as_text=True)).group(0)


def test_flag_without_javascript_toggles_and_saves_the_paper(fixture_client):
    url = start_exam(fixture_client)
    response = flag(fixture_client, url, 2, q2="true")
    assert response.headers["Location"] == url + "#item-2"
    html = fixture_client.get(url).get_data(as_text=True)
    assert 'is-flagged" id="item-2"' in html and '已答 <strong id="sheet-answered">1</strong>' in html
    flag(fixture_client, url, 2)
    assert 'is-flagged" id="item-2"' not in fixture_client.get(url).get_data(as_text=True)


def test_flag_outside_the_paper_or_after_submission_is_refused(fixture_client):
    url = start_exam(fixture_client)
    assert flag(fixture_client, url, 9, on=True).status_code == 400
    fixture_client.post(url + "/submit", data={"csrf_token": csrf(fixture_client, url)})
    assert flag(fixture_client, url, 1, on=True).status_code == 409


def test_history_lists_each_exam_with_score_and_time_used(fixture_client):
    first = start_exam(fixture_client)
    fixture_client.post(first + "/submit", data={"csrf_token": csrf(fixture_client, first), "q2": "true", "q3": "true"})
    second = start_exam(fixture_client)
    fixture_client.post(second + "/submit", data={"csrf_token": csrf(fixture_client, second)})
    for page in ("/exam", "/progress"):
        html = fixture_client.get(page).get_data(as_text=True)
        assert "共 2 次，最高 1 分，最近一次 0 分" in html
        assert html.count("查看成绩与解析") == 2 and f'href="{first}/result"' in html and f'href="{second}/result"' in html
        assert re.search(r'<td data-label="用时">0 分 0\d 秒</td>', html)
        assert '<td data-label="作答">2 / 6 题</td>' in html and '<td data-label="作答">0 / 6 题</td>' in html
        assert 'id="score-trend"' in html and "plotly-basic" in html


def test_history_is_empty_for_a_new_learner(fixture_client):
    assert "还没有交过卷" in fixture_client.get("/exam").get_data(as_text=True)


def test_result_filters_wrong_and_unanswered(fixture_client):
    url = start_exam(fixture_client)
    fixture_client.post(url + "/submit", data={"csrf_token": csrf(fixture_client, url), "q2": "true", "q3": "true"})
    everything = fixture_client.get(url + "/result").get_data(as_text=True)
    assert everything.count('class="review-list__item"') == 6
    wrong = fixture_client.get(url + "/result?show=wrong").get_data(as_text=True)
    assert wrong.count('class="review-list__item"') == 1 and "✗ 回答错误" in wrong
    assert "本部分没有答错的题" in wrong
    unanswered = fixture_client.get(url + "/result?show=unanswered").get_data(as_text=True)
    assert unanswered.count('class="review-list__item"') == 4 and unanswered.count("未作答</span>") == 4
    assert re.findall(r'<h3 class="exam-section"[^>]*>(.*?)<small>', unanswered) == ["一、单项选择", "二、判断", "三、名词解释", "四、案例分析"]


def test_progress_counts_only_what_was_done(fixture_client):
    url = start_exam(fixture_client)
    fixture_client.post(url + "/submit", data={"csrf_token": csrf(fixture_client, url), "q2": "true", "q3": "true"})
    html = fixture_client.get("/progress").get_data(as_text=True)
    row = re.search(r'第1章 第一章 甲</a></th>(.*?)</tr>', html, re.S).group(1)
    assert "2 / 10" in row and ">50%<" in row and '<a href="/notebook">1</a>' in row


def test_unanswered_questions_can_be_practised_from_the_result(fixture_client):
    url = start_exam(fixture_client)
    fixture_client.post(url + "/submit", data={"csrf_token": csrf(fixture_client, url), "q2": "true", "q3": "true"})
    html = fixture_client.get(url + "/result").get_data(as_text=True)
    ids = re.findall(r'<input type="hidden" name="question" value="([^"]+)">', html)
    response = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client, url + "/result"), "question": ids})
    assert len(ids) == 4 and "第 1 / 4 题" in fixture_client.get(response.headers["Location"]).get_data(as_text=True)
