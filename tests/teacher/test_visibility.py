"""`visibility: assignment` banks: in assignments only, never where students look questions up."""
import re
import shutil

import yaml

from quizzes import current_banks
from tests.test_practice_views import csrf

SECRET_STEMS = ("随堂测验专用：客户满意度公式中 a 代表", "随堂测验专用：简述提高客户满意度")


def test_assignment_banks_are_kept_apart(fixture_app):
    with fixture_app.test_request_context():
        banks = current_banks()
    assert {q.id for q in banks.questions()}.isdisjoint({"fx-secret-single", "fx-secret-short"})
    assert "fx-secret-single" not in banks.by_id()
    assert {"fx-secret-single", "fx-secret-short"} <= {q.id for q in banks.for_assignments()}
    assert banks.by_key()["alpha/fx-secret-single"].type == "single"   # stored attempts still read back


def test_not_in_search(fixture_client):
    html = fixture_client.get("/search?q=随堂测验专用").get_data(as_text=True)
    assert not any(stem in html for stem in SECRET_STEMS)


def test_not_in_practice_listing_sets_or_draws(fixture_client):
    assert fixture_client.get("/practice/set?q=fx-secret-single").status_code == 404
    response = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client), "question": "fx-secret-single"})
    assert response.status_code == 400
    response = fixture_client.post("/practice", data={"csrf_token": csrf(fixture_client), "chapter": "alpha", "size": "50"})
    url = response.headers["Location"].rsplit("/", 1)[0]
    html = fixture_client.get(url + "/done").get_data(as_text=True)
    assert not any(stem in html for stem in SECRET_STEMS)
    assert "随堂测验专用" not in fixture_client.get("/practice").get_data(as_text=True)


def test_not_in_mock_exams(fixture_client):
    for _ in range(8):   # the fixture exam draws 2 of 3 public singles: a leak would show within a few papers
        response = fixture_client.post("/exam", data={"csrf_token": csrf(fixture_client, "/exam")})
        html = fixture_client.get(response.headers["Location"]).get_data(as_text=True)
        assert "随堂测验专用" not in html


def copy_content(tmp_path):
    from tests.conftest import FIXTURES
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", target)
    return target


def test_check_reports_a_bad_visibility(fixture_app, tmp_path):
    content = copy_content(tmp_path)
    path = content / "questions" / "alpha.quiz.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["visibility"] = "teachers"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = fixture_app.test_cli_runner().invoke(args=["check", "--content", str(content)])
    assert result.exit_code == 1 and re.search(r"alpha\.quiz\.yaml:1: visibility 须为 public 或 assignment", result.output)



def test_not_bookmarkable(fixture_client):
    response = fixture_client.post("/bookmarks/toggle", data={"csrf_token": csrf(fixture_client), "key": "alpha/fx-secret-single"})
    assert response.status_code == 404
    assert "随堂测验专用" not in fixture_client.get("/bookmarks").get_data(as_text=True)
