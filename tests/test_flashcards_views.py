"""Flashcard pages over the fixture course (2 cards: a 名词解释 and a short answer tagged key-concept)."""
import datetime as dt
import io
import json
import re

import pytest

from db import close_thread_connections
from flashcards import store
from flashcards.scheduler import local_day
from tests.conftest import FIXTURES, make_app

TERM = "alpha/fx-term-clv"
CONCEPT = "alpha/fx-short-loyalty"


def csrf(client, url="/flashcards/") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def grade(client, card=TERM, rating="3", reps="0", **extra):
    return client.post("/flashcards/review", data={"csrf_token": csrf(client), "card": card, "rating": rating,
                                                   "reps": reps, **extra})


def settings(client, **form):
    data = {"csrf_token": csrf(client), "daily_cap": "50", "buttons": "2", **form}
    return client.post("/flashcards/settings", data=data)


def stats(html: str) -> dict:
    return dict(re.findall(r'id="fc-stat-([a-z]+)">([^<]*)<', html))


def review_rows(app) -> list[dict]:
    with app.app_context():
        from db import get_db
        return list(get_db().query("SELECT * FROM flashcard_reviews ORDER BY id"))


def test_overview_counts_the_deck_and_charts_the_exam_forecast(fixture_client):
    html = fixture_client.get("/flashcards/").get_data(as_text=True)
    assert stats(html) == {"due": "0", "new": "1", "learned": "0 / 2"}     # the exam is far: one new card a day
    assert "距离考试（2099年1月1日）" in html
    chart = json.loads(re.search(r'id="fc-chart-data">(.*?)</script>', html).group(1))
    assert chart == [{"label": "第1章 第一章 甲", "short": "第1章", "recall": 0, "learned": 0, "total": 2}]


def test_home_page_and_nav_link_to_flashcards(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/flashcards/"') == 2 and "名词解释记忆卡" in html


def test_review_shows_the_term_first_and_the_answer_hidden(fixture_client):
    html = fixture_client.get("/flashcards/review").get_data(as_text=True)
    assert '<h1 class="fc-card__front" id="fc-title">客户终身价值</h1>' in html
    assert re.search(r'<div class="fc-back" id="fc-back" tabindex="-1" hidden>', html)
    assert re.search(r'id="fc-grade" method="post" action="/flashcards/review" hidden>', html)
    assert re.findall(r'fc-grade__label">([^<]+)<', html) == ["忘了", "记得"]
    shown = fixture_client.get("/flashcards/review?show=1").get_data(as_text=True)
    assert 'id="fc-back" tabindex="-1">' in shown and "考虑资金的时间价值" in shown


def test_a_grade_is_stored_with_its_review_log_and_the_card_comes_back_until_learned(fixture_app, fixture_client):
    response = grade(fixture_client, rating="3")
    assert response.headers["Location"] == "/flashcards/review"
    html = fixture_client.get("/flashcards/review").get_data(as_text=True)
    assert "客户终身价值</h1>" in html and '<span class="fc-tag">学习中</span>' in html   # its 10-minute step
    home = fixture_client.get("/flashcards/").get_data(as_text=True)   # the counts add up to the button's
    counts = stats(home)
    total = int(re.search(r"开始今天的复习（(\d+) 张）", home).group(1))
    assert counts["learning"] == "1" and int(counts["due"]) + int(counts["new"]) + int(counts["learning"]) == total
    assert grade(fixture_client, rating="3", reps="1").status_code == 302
    done = fixture_client.get("/flashcards/review").get_data(as_text=True)
    assert "今天的记忆卡已完成" in done and re.search(r"下一张卡片 \d+ 天后 到期", done)
    rows = review_rows(fixture_app)
    assert [(r["card_key"], r["rating"], r["buttons"], r["state_before"], r["state"]) for r in rows] == [
        (TERM, 3, 2, None, 1), (TERM, 3, 2, 1, 2)]                 # new → learning → review
    assert stats(fixture_client.get("/flashcards/").get_data(as_text=True))["learned"] == "1 / 2"


def test_a_key_concept_card_shows_its_knowledge_point_and_answer(fixture_client):
    tomorrow = local_day(dt.datetime.now(dt.UTC)) + dt.timedelta(days=1)
    settings(fixture_client, exam_date=tomorrow.isoformat())   # the exam tomorrow: every new card today
    grade(fixture_client, rating="4")                        # 简单: the term card leaves today's queue
    html = fixture_client.get("/flashcards/review?show=1").get_data(as_text=True)
    assert '<h1 class="fc-card__front" id="fc-title">客户满意与客户忠诚</h1>' in html
    assert "满意是忠诚的基础，但满意不一定忠诚" in html and "<li>满意不一定忠诚</li>" in html


def test_grading_needs_the_csrf_token(fixture_app, fixture_client):
    fixture_client.get("/flashcards/")
    response = fixture_client.post("/flashcards/review", data={"card": TERM, "rating": "3", "reps": "0"})
    assert response.status_code == 400
    assert review_rows(fixture_app) == []


@pytest.mark.parametrize("form, status, message", [
    ({"rating": "0"}, 400, "评分无效"),
    ({"rating": "5"}, 400, "评分无效"),
    ({"rating": "记得"}, 400, "评分无效"),
    ({"rating": ""}, 400, "评分无效"),
    ({"card": "alpha/fx-single-1"}, 400, "不在卡组中"),
    ({"card": "../etc/passwd"}, 400, "不在卡组中"),
    ({"reps": "-1"}, 400, "复习次数"),
    ({"reps": "abc"}, 400, "复习次数"),
    ({"reps": "3"}, 409, "已经评过分"),
])
def test_bad_grades_are_refused_and_change_nothing(fixture_app, fixture_client, form, status, message):
    response = grade(fixture_client, **{"rating": "3", **form})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert review_rows(fixture_app) == []


def test_a_double_submitted_grade_is_stored_once(fixture_app, fixture_client):
    assert grade(fixture_client, reps="0").status_code == 302
    assert grade(fixture_client, reps="0").status_code == 409
    assert len(review_rows(fixture_app)) == 1


def test_cram_lists_everything_due_by_the_exam_and_writes_nothing(fixture_app, fixture_client):
    grade(fixture_client, rating="3")
    with fixture_app.app_context():
        from db import get_db
        learner = review_rows(fixture_app)[0]["learner_id"]
        before = store.card_states(get_db(), learner)
    html = fixture_client.get("/flashcards/cram").get_data(as_text=True)
    fronts = re.findall(r'<span class="fc-card__front">([^<]+)</span>', html)
    assert fronts == ["客户满意与客户忠诚", "客户终身价值"]      # unseen first: weakest on the exam day
    assert "评分不写入复习计划" in html and "csrf_token" not in html
    assert fixture_client.post("/flashcards/cram").status_code == 405
    with fixture_app.app_context():
        from db import get_db
        assert store.card_states(get_db(), learner) == before
    assert len(review_rows(fixture_app)) == 1


def test_four_buttons_setting(fixture_client):
    assert settings(fixture_client, buttons="4").headers["Location"] == "/flashcards/"
    html = fixture_client.get("/flashcards/review").get_data(as_text=True)
    assert re.findall(r'fc-grade__label">([^<]+)<', html) == ["重来", "困难", "良好", "简单"]
    assert grade(fixture_client, rating="2").status_code == 302


def test_own_exam_date_and_chapter_choice(fixture_client):
    settings(fixture_client, exam_date="2098-06-30", chapter="alpha", daily_cap="20")
    html = fixture_client.get("/flashcards/").get_data(as_text=True)
    assert "距离考试（2098年6月30日，你设置的日期）" in html
    assert 'name="chapter" value="alpha" checked' in html and 'name="daily_cap" min="5" max="500" value="20"' in html


@pytest.mark.parametrize("form, message", [
    ({"exam_date": "2020-01-01"}, "考试日期不能早于今天"),
    ({"exam_date": "明天"}, "考试日期格式"),
    ({"daily_cap": "0"}, "每日上限须为 5 到 500"),
    ({"daily_cap": "many"}, "每日上限须为 5 到 500"),
    ({"buttons": "3"}, "评分按钮只能是 2 个或 4 个"),
    ({"chapter": "nope"}, "所选章节不在卡组中"),
])
def test_bad_settings_are_refused(fixture_client, form, message):
    response = settings(fixture_client, **form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert "name=\"buttons\" value=\"2\" checked" in fixture_client.get("/flashcards/").get_data(as_text=True)


def test_type_first_suggests_a_grade_from_the_key_points(fixture_app, fixture_client):
    settings(fixture_client, type_first="1")
    html = fixture_client.get("/flashcards/review").get_data(as_text=True)
    assert 'id="fc-typed" name="typed"' in html
    page = fixture_client.post("/flashcards/review/check", data={
        "csrf_token": csrf(fixture_client), "card": TERM, "typed": "客户整个生命周期内带来的收益，要折现"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "建议评为「记得」" in text and "答到 100% 的得分点" in text
    assert review_rows(fixture_app) == []                      # checking saves nothing
    grade(fixture_client, typed="客户整个生命周期内带来的收益，要折现")
    [row] = review_rows(fixture_app)
    assert (row["typed"], row["suggested"]) == ("客户整个生命周期内带来的收益，要折现", 3)


def test_type_first_check_needs_csrf_and_a_known_card(fixture_client):
    assert fixture_client.post("/flashcards/review/check", data={"card": TERM, "typed": "x"}).status_code == 400
    response = fixture_client.post("/flashcards/review/check",
                                   data={"csrf_token": csrf(fixture_client), "card": "nope", "typed": "x"})
    assert response.status_code == 400


def test_state_survives_an_app_restart(tmp_path):
    app = make_app(tmp_path, CONTENT_DIR=str(FIXTURES / "content"))
    client = app.test_client()
    grade(client, rating="3")
    cookie = client.get_cookie("crm_learner").value
    close_thread_connections()
    restarted = make_app(tmp_path, CONTENT_DIR=str(FIXTURES / "content"))
    again = restarted.test_client()
    again.set_cookie("crm_learner", cookie)
    assert stats(again.get("/flashcards/").get_data(as_text=True))["learned"] == "1 / 2"
    assert len(review_rows(restarted)) == 1
    close_thread_connections()


def test_my_data_export_includes_flashcards_and_delete_removes_them(fixture_app, fixture_client):
    settings(fixture_client, buttons="4")
    grade(fixture_client, rating="4")
    data = fixture_client.get("/me/export.json").get_json()
    assert [r["card_key"] for r in data["flashcards"]["reviews"]] == [TERM]
    assert data["flashcards"]["settings"]["buttons"] == 4
    token = csrf(fixture_client, "/me")
    fixture_client.post("/me/delete", data={"csrf_token": token, "confirm": "yes"})
    with fixture_app.app_context():
        from db import get_db
        db = get_db()
        assert [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in store.LEARNER_TABLES] == [0, 0, 0]


def test_flashcards_follow_the_learner_to_another_device(fixture_app, fixture_client):
    grade(fixture_client, rating="1")                               # the laptop: forgot it
    fixture_client.post("/me/transfer/code", data={"csrf_token": csrf(fixture_client, "/me")})
    code = re.search(r'id="transfer-code-value">([A-Z0-9-]+)<', fixture_client.get("/me").get_data(as_text=True)).group(1)
    phone = fixture_app.test_client()
    grade(phone, rating="3")                                        # the phone, later: learned it
    grade(phone, rating="3", reps="1")
    phone.post("/me/transfer", data={"csrf_token": csrf(phone, "/me/transfer"), "code": code})
    rows = review_rows(fixture_app)
    assert len(rows) == 3 and len({r["learner_id"] for r in rows}) == 1
    with fixture_app.app_context():
        from db import get_db
        [state] = store.card_states(get_db(), rows[0]["learner_id"]).values()
    assert (state.key, state.reps, state.state) == (TERM, 2, 2)     # the newer state (the phone's) won
    assert stats(fixture_client.get("/flashcards/").get_data(as_text=True))["learned"] == "1 / 2"


def test_learn_more_new_cards_than_todays_share(fixture_app, fixture_client):
    grade(fixture_client, rating="4")                               # today's one new card, 简单: gone till later
    done = fixture_client.get("/flashcards/review").get_data(as_text=True)
    assert "还有 1 张新卡没学" in done and 'href="/flashcards/review?more=5">再学 5 张新卡</a>' in done
    html = fixture_client.get("/flashcards/review?more=5").get_data(as_text=True)
    assert "客户满意与客户忠诚</h1>" in html and '<input type="hidden" name="more" value="5">' in html
    response = grade(fixture_client, card=CONCEPT, rating="4", more="5")
    assert response.headers["Location"] == "/flashcards/review?more=5"
    assert "再学 5 张新卡" not in fixture_client.get(response.headers["Location"]).get_data(as_text=True)   # none left
    assert len(review_rows(fixture_app)) == 2


@pytest.mark.parametrize("more", ["-1", "abc", "201", "５"])
def test_bad_more_is_refused(fixture_client, more):
    response = fixture_client.get(f"/flashcards/review?more={more}")
    assert response.status_code == 400 and "多学新卡的数量" in response.get_data(as_text=True)


def test_an_exam_date_in_year_9999_is_refused_and_cram_still_works(fixture_client):
    response = settings(fixture_client, exam_date="9999-12-31")
    assert response.status_code == 400 and "考试日期须早于 2200 年" in response.get_data(as_text=True)
    assert fixture_client.get("/flashcards/cram").status_code == 200


# ---- 我的数据 → 导入 brings the flashcards back ---------------------------------------------------------

def import_file(client, data: dict):
    body = json.dumps(data, ensure_ascii=False).encode()
    return client.post("/me/import", data={"csrf_token": csrf(client, "/me"), "file": (io.BytesIO(body), "d.json")},
                       content_type="multipart/form-data", follow_redirects=True)


def test_importing_my_export_on_a_new_device_restores_cards_log_and_settings(fixture_app, fixture_client):
    settings(fixture_client, buttons="4", exam_date="2098-06-30", chapter="alpha", daily_cap="20")
    grade(fixture_client, rating="3")
    grade(fixture_client, rating="4", reps="1")
    exported = fixture_client.get("/me/export.json").get_json()
    before = stats(fixture_client.get("/flashcards/").get_data(as_text=True))
    phone = fixture_app.test_client()
    page = import_file(phone, exported).get_data(as_text=True)
    assert "导入完成" in page and "记忆卡 1 张的进度已合并" in page and "不会导入" not in page
    overview = phone.get("/flashcards/").get_data(as_text=True)
    assert stats(overview) == before                                     # learned, due, streak: as on the laptop
    assert "2098年6月30日，你设置的日期" in overview and 'name="daily_cap" min="5" max="500" value="20"' in overview
    mine = phone.get("/me/export.json").get_json()["flashcards"]
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("id", "learner_id")} for r in rows]  # noqa: E731
    assert strip(mine["reviews"]) == strip(exported["flashcards"]["reviews"])
    assert strip(mine["cards"]) == strip(exported["flashcards"]["cards"])
    assert strip([mine["settings"]]) == strip([exported["flashcards"]["settings"]])   # four buttons too
    import_file(phone, exported)                                          # the same file again changes nothing
    assert phone.get("/me/export.json").get_json()["flashcards"] == mine


def test_an_imported_card_keeps_the_newer_state_and_the_device_keeps_its_settings(fixture_app, fixture_client):
    grade(fixture_client, rating="1")                                     # the file: forgot it, long ago
    exported = fixture_client.get("/me/export.json").get_json()
    phone = fixture_app.test_client()
    settings(phone, buttons="4")
    grade(phone, rating="3")                                              # the phone, later: learned it
    grade(phone, rating="3", reps="1")
    import_file(phone, exported)
    data = phone.get("/me/export.json").get_json()["flashcards"]
    assert [(c["card_key"], c["reps"], c["state"]) for c in data["cards"]] == [(TERM, 2, 2)]
    assert len(data["reviews"]) == 3 and data["settings"]["buttons"] == 4


@pytest.mark.parametrize("change, message", [
    (lambda f: f["cards"][0].update(state=7), "第 1 张记忆卡的状态不对"),
    (lambda f: f["cards"][0].update(due="9999-12-31T00:00:00+00:00"), "第 1 张记忆卡的时间超出了合理范围"),
    (lambda f: f["cards"][0].update(card_key="../etc"), "第 1 张记忆卡的题目标识不对"),
    (lambda f: f["cards"][0].update(difficulty=float("inf")), "第 1 张记忆卡的记忆参数不对"),
    (lambda f: f["cards"].append(dict(f["cards"][0])), "同一张记忆卡出现了两次"),
    (lambda f: f["reviews"][0].update(rating=9), "第 1 条背卡记录的评分不对"),
    (lambda f: f["reviews"][0].update(typed="长" * 3000), "第 1 条背卡记录的默写内容不对"),
    (lambda f: f["settings"].update(daily_cap=100000), "每日上限应是 5 到 500"),
    (lambda f: f.update(cards="all"), "cards 和 reviews 应是列表"),
])
def test_a_damaged_flashcard_section_is_refused_and_nothing_is_imported(fixture_app, fixture_client, change, message):
    settings(fixture_client, buttons="4")
    grade(fixture_client, rating="3")
    practice = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client, "/practice"), "size": "5"})
    fixture_client.get(practice.headers["Location"])
    exported = fixture_client.get("/me/export.json").get_json()
    change(exported["flashcards"])
    phone = fixture_app.test_client()
    response = import_file(phone, exported)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "导入失败，没有改动任何记录" in page and message in page
    assert phone.get("/me/export.json").get_json()["attempts"] == []       # the practice record did not come either
    assert len(review_rows(fixture_app)) == 1                               # only the laptop's own review


def test_an_imported_past_exam_date_or_unknown_chapter_gives_way_to_the_course(fixture_app, fixture_client):
    settings(fixture_client, exam_date="2098-06-30", chapter="alpha")
    exported = fixture_client.get("/me/export.json").get_json()
    exported["flashcards"]["settings"].update(exam_date="2020-01-01", chapters='["alpha", "gone"]')
    phone = fixture_app.test_client()
    import_file(phone, exported)
    mine = phone.get("/me/export.json").get_json()["flashcards"]["settings"]
    assert mine["exam_date"] is None and json.loads(mine["chapters"]) == ["alpha"]
    assert "你设置的日期" not in phone.get("/flashcards/").get_data(as_text=True)
