"""Practice and drilling: empty answers, modes, knowledge points, bookmarks, recite, 错题本 filters."""
from __future__ import annotations

import re

import pytest

from tests.test_practice_views import attempt_position, csrf, shown_letter, start


def answer_wrong_true_false(client) -> str:
    at = start(client, type="true_false")
    html = client.get(at).get_data(as_text=True)
    client.post(at, data={"csrf_token": csrf(client, at), "q0": "false" if "心理感受" in html else "true"})
    return at


@pytest.mark.parametrize("type_, message", [
    ("single", "请先选择一个答案再提交。"), ("true_false", "请先选择“正确”或“错误”再提交。"),
    ("multiple", "请至少选择一个选项再提交。"), ("fill_blank", "请至少填写一个空再提交。"),
])
def test_empty_objective_answer_brings_the_same_question_back(fixture_client, type_, message):
    at = start(fixture_client, type=type_)
    stem = re.search(r'<div class="stem" id="stem-0">(.*?)</div>', fixture_client.get(at).get_data(as_text=True)).group(1)
    response = fixture_client.post(at, data={"csrf_token": csrf(fixture_client, at)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="form-error" id="answer-error" role="alert">{message}</p>' in html and stem in html
    assert "提交答案" in html and "回答错误" not in fixture_client.get(at).get_data(as_text=True)


def test_forged_option_keeps_the_question_with_a_reason(fixture_client):
    at = start(fixture_client, type="single")
    response = fixture_client.post(at, data={"csrf_token": csrf(fixture_client, at), "q0": "99"})
    assert response.status_code == 422 and "选项不存在。" in response.get_data(as_text=True)


def test_empty_short_answer_asks_for_confirmation_then_scores_zero(fixture_client):
    at = start(fixture_client, type="term")
    token = csrf(fixture_client, at)
    asked = fixture_client.post(at, data={"csrf_token": token, "q0": "   "})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422 and "确定要提交空白作答吗" in html
    assert '<input type="hidden" name="confirm_empty" value="1">' in html and "仍然提交空白作答" in html
    confirmed = fixture_client.post(at, data={"csrf_token": token, "q0": "", "confirm_empty": "1"})
    assert confirmed.status_code == 302
    assert "得分 0 / 2" in fixture_client.get(at).get_data(as_text=True)


def test_half_filled_blanks_are_kept_when_sent_back(fixture_client):
    at = start(fixture_client, type="calculation")
    response = fixture_client.post(at, data={"csrf_token": csrf(fixture_client, at), "q0": "abc"})
    assert response.status_code == 422 and 'value="abc"' in response.get_data(as_text=True)


def test_unseen_mode_leaves_out_answered_questions(fixture_client):
    answer_wrong_true_false(fixture_client)
    at = start(fixture_client, type="true_false", mode="unseen")
    html = fixture_client.get(at).get_data(as_text=True)
    assert "第 1 / 1 题" in html


def test_wrong_mode_draws_only_from_the_notebook(fixture_client):
    first = answer_wrong_true_false(fixture_client)
    missed = "心理感受" if "心理感受" in fixture_client.get(first).get_data(as_text=True) else "一定是忠诚"
    at = start(fixture_client, mode="wrong", size="20")
    html = fixture_client.get(at).get_data(as_text=True)
    assert "第 1 / 1 题" in html and missed in html


def test_wrong_mode_with_an_empty_notebook_says_so(fixture_client):
    response = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client), "size": "5", "mode": "wrong"})
    assert response.headers["Location"] == "/practice"
    assert "所选范围内没有错题本中的题" in fixture_client.get("/practice").get_data(as_text=True)


def test_knowledge_point_practice_asks_only_that_section(fixture_client):
    at = start(fixture_client, point="alpha:formula", size="20")
    attempt, _ = attempt_position(at)
    done = fixture_client.get(f"/practice/{attempt}/done").get_data(as_text=True)
    assert "共 2 题" in done and "C=b/a" in done and "客户满意度等于" in done


def test_unknown_mode_is_a_400(fixture_client):
    response = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client), "size": "5", "mode": "x"})
    assert response.status_code == 400 and "出题方式或知识点不存在" in response.get_data(as_text=True)


def test_study_next_links_practise_exactly_the_weak_point(fixture_client):
    at = start(fixture_client, point="alpha:formula", size="5")
    for position in (0, 1):
        url = at[:-1] + str(position)
        html = fixture_client.get(url).get_data(as_text=True)
        wrong = shown_letter(html, "客户满意度" if "C=b/a" in html else "体验加期望")
        fixture_client.post(url, data={"csrf_token": csrf(fixture_client, url), f"q{position}": wrong})
    progress = fixture_client.get("/progress").get_data(as_text=True)
    assert "/practice/set?point=alpha:formula" in progress
    assert "做过 2 道题，答对 0 道" in progress
    page = fixture_client.get("/practice/set?point=alpha:formula").get_data(as_text=True)
    assert "练习这 2 道题" in page and page.count('name="question"') == 2


def test_bookmark_toggle_list_and_practice(fixture_client):
    token = csrf(fixture_client, "/practice")
    response = fixture_client.post("/bookmarks/toggle", data={"csrf_token": token, "key": "alpha/fx-tf-feeling",
                                                              "next": "/practice/recite?chapter=alpha"})
    assert response.headers["Location"] == "/practice/recite?chapter=alpha"
    listing = fixture_client.get("/bookmarks").get_data(as_text=True)
    assert "共收藏 1 道题" in listing and "客户满意是客户的一种心理感受。" in listing and 'aria-pressed="true"' in listing
    at = start(fixture_client, mode="bookmarks", size="50")
    assert "心理感受" in fixture_client.get(at).get_data(as_text=True)
    again = fixture_client.post("/bookmarks/toggle", data={"csrf_token": token, "key": "alpha/fx-tf-feeling"},
                                headers={"Accept": "application/json"})
    assert again.get_json() == {"bookmarked": False}
    assert "还没有收藏的题" in fixture_client.get("/bookmarks").get_data(as_text=True)


def test_bookmark_of_unknown_question_is_404(fixture_client):
    response = fixture_client.post("/bookmarks/toggle", data={"csrf_token": csrf(fixture_client, "/practice"), "key": "x/y"})
    assert response.status_code == 404


def test_bookmark_redirect_stays_on_site(fixture_client):
    response = fixture_client.post("/bookmarks/toggle", data={"csrf_token": csrf(fixture_client, "/practice"),
                                                              "key": "alpha/fx-tf-feeling", "next": "//evil.example/"})
    assert response.headers["Location"] == "/bookmarks"


def test_bookmarks_travel_in_the_export(fixture_client):
    fixture_client.post("/bookmarks/toggle", data={"csrf_token": csrf(fixture_client, "/practice"), "key": "alpha/fx-tf-feeling"})
    exported = fixture_client.get("/me/export.json").get_json()
    assert [b["question_key"] for b in exported["bookmarks"]] == ["alpha/fx-tf-feeling"]


def test_recite_shows_answers_and_explanations_of_a_chapter(fixture_client):
    html = fixture_client.get("/practice/recite?chapter=alpha&type=single").get_data(as_text=True)
    assert "共 3 题" in html
    assert "<strong>答案：</strong>B" in html and "b 是感知的实际体验，a 是期望值。" in html
    assert html.count('class="is-key"') == 3


def test_recite_of_a_knowledge_point(fixture_client):
    html = fixture_client.get("/practice/recite?point=alpha:loyalty").get_data(as_text=True)
    assert "共 1 题" in html and "满意不一定忠诚" in html


def test_recite_unknown_chapter_is_404(fixture_client):
    assert fixture_client.get("/practice/recite?chapter=nope").status_code == 404


def test_notebook_filters_by_type(fixture_client):
    answer_wrong_true_false(fixture_client)
    at = start(fixture_client, type="fill_blank")
    fixture_client.post(at, data={"csrf_token": csrf(fixture_client, at), "q0_0": "错", "q0_1": "错"})
    all_ = fixture_client.get("/notebook").get_data(as_text=True)
    assert "共 2 道错题" in all_
    only = fixture_client.get("/notebook?type=fill_blank").get_data(as_text=True)
    assert "当前筛选出 1 道" in only and "前两个阶段" in only and "心理感受" not in only
    redo = fixture_client.post("/notebook/redo", data={"csrf_token": csrf(fixture_client, "/notebook"), "type": "fill_blank"})
    assert "前两个阶段" in fixture_client.get(redo.headers["Location"]).get_data(as_text=True)
