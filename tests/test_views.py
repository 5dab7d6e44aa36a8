import re

import pytest


def test_home_shows_course_map_in_order(fixture_client):
    html = fixture_client.get("/").get_data(as_text=True)
    assert re.findall(r'href="/chapters/([a-z-]+)"', html) == ["alpha", "beta", "gamma-case"]
    assert "课程地图" in html and "距离考试" in html


def test_chapter_page_has_toc_maths_and_pager(fixture_client):
    response = fixture_client.get("/chapters/beta")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="#objectives">学习目标</a>' in html
    assert 'rel="prev" href="/chapters/alpha"' in html and 'rel="next" href="/chapters/gamma-case"' in html
    assert "<math" in fixture_client.get("/chapters/alpha").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/chapters/nope", "/chapters/..%2Fcourse", "/chapters/ALPHA", "/nowhere"])
def test_unknown_pages_are_chinese_404s(fixture_client, url):
    response = fixture_client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_broken_chapter_gives_explained_503_and_site_stays_up(tmp_path):
    from tests.conftest import make_app

    content = tmp_path / "content"
    (content / "chapters").mkdir(parents=True)
    (content / "course.yaml").write_text("chapters: [ok, broken]\n", encoding="utf-8")
    (content / "chapters" / "ok.md").write_text("---\ntitle: 好\nnumber: 1\n---\n", encoding="utf-8")
    (content / "chapters" / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    client = make_app(tmp_path, CONTENT_DIR=str(content)).test_client()
    assert client.get("/").status_code == 200
    response = client.get("/chapters/broken")
    assert response.status_code == 503 and "暂时无法显示" in response.get_data(as_text=True)


def test_content_edits_show_without_restart(tmp_path):
    from tests.conftest import make_app

    content = tmp_path / "content"
    (content / "chapters").mkdir(parents=True)
    (content / "course.yaml").write_text("chapters: [one]\n", encoding="utf-8")
    chapter = content / "chapters" / "one.md"
    chapter.write_text("---\ntitle: 旧标题\nnumber: 1\n---\n", encoding="utf-8")
    client = make_app(tmp_path, CONTENT_DIR=str(content)).test_client()
    assert "旧标题" in client.get("/chapters/one").get_data(as_text=True)
    chapter.write_text("---\ntitle: 新标题啊\nnumber: 1\n---\n", encoding="utf-8")
    assert "新标题啊" in client.get("/chapters/one").get_data(as_text=True)


def test_chapter_page_links_to_its_practice(fixture_client):
    html = fixture_client.get("/chapters/alpha").get_data(as_text=True)
    assert 'href="/practice?chapter=alpha#practice-form-heading">练习本章题目（10 题）' in html
    case_html = fixture_client.get("/chapters/gamma-case").get_data(as_text=True)
    assert "practice?chapter=cases" in case_html


def test_chapter_without_questions_hides_related_block(fixture_client):
    assert "相关练习与模拟" not in fixture_client.get("/chapters/beta").get_data(as_text=True)


def test_home_offers_the_study_tools(client):
    html = client.get("/").get_data(as_text=True)
    for href in ('href="/practice"', 'href="/exam"', 'href="/notebook"', 'href="/simulations/"'):
        assert href in html


def test_days_roll_over_at_beijing_midnight():
    import datetime as dt

    from course.loader import course_day

    assert course_day(dt.datetime(2026, 11, 29, 15, 59, tzinfo=dt.UTC)) == dt.date(2026, 11, 29)
    assert course_day(dt.datetime(2026, 11, 29, 16, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 30)


def test_home_and_flashcards_count_the_same_days_to_the_exam(client):
    import re

    home = re.search(r"还有 <strong>(\d+)</strong> 天", client.get("/").get_data(as_text=True)).group(1)
    cards = re.search(r"还有 <strong>(\d+)</strong> 天", client.get("/flashcards/").get_data(as_text=True)).group(1)
    assert home == cards
