"""Malformed requests (issue 7, defect 4): each is a 4xx with a Chinese reason and changes nothing."""
import re

import pytest

from db import connect
from tests.test_exam_views import start_exam
from tests.test_practice_views import csrf, start

HUGE_IDS = [str(2**63), str(2**64), "9" * 19, "9" * 30, "9" * 5000]
UNICODE_DIGITS = ["²", "１", "٣", "１０"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def rows(app) -> list[str]:
    db = connect(app.config["DATABASE"])
    # The search index is derived from the content; the abuse limits count refused starts on purpose.
    return [line for line in db.conn.iterdump() if "search" not in line and "rate_events" not in line]


def routes_with_ids(app) -> list[tuple[str, str]]:
    """Every (method, rule) of the app with an `<int:…>` segment, from the live url_map."""
    return [(method, rule.rule) for rule in app.url_map.iter_rules() if "<int:" in rule.rule
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def fill(rule: str, value: str) -> str:
    return re.sub(r"<int:\w+>", value, rule)


def reason(response) -> str:
    """The Chinese message of an error page or JSON error."""
    if response.is_json:
        return response.get_json()["message"]
    page = response.get_data(as_text=True)
    shown = re.search(r'<section class="error-page">(.*?)</section>|<p class="form-error"[^>]*>(.*?)</p>', page, re.S)
    return shown.group(1) or shown.group(2)


@pytest.mark.parametrize("host", ["a..b", ".example", "a" * 64 + ".example", "x" * 300])
@pytest.mark.parametrize("path", ["/", "/practice", "/no-such-page", "/exam/1"])
def test_bad_host_header_is_400_with_a_reason(client, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert "主机名" in reason(response) and 'href="/"' in response.get_data(as_text=True)


def test_bad_host_on_a_post_changes_nothing(fixture_app, fixture_client):
    location = start(fixture_client, type="single")
    before = rows(fixture_app)
    response = fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": "A"},
                                   headers={"Host": "a..b"})
    assert response.status_code == 400 and rows(fixture_app) == before


@pytest.mark.parametrize("huge", HUGE_IDS + UNICODE_DIGITS)
def test_ids_beyond_sqlite_integers_are_404_on_every_id_route(fixture_app, fixture_client, huge):
    """A learner with attempts of their own (so the lookup really runs) asks for ids no row can have."""
    location = start(fixture_client, type="single")
    start_exam(fixture_client)
    token = csrf(fixture_client, location)
    before = rows(fixture_app)
    for method, rule in routes_with_ids(fixture_app):
        urls = [fill(rule, huge)]
        if "<int:position>" in rule:     # the learner's own attempt, a position no row can have
            urls.append(rule.replace("<int:attempt_id>", "1").replace("<int:position>", huge))
        for url in urls:
            response = fixture_client.open(url, method=method, data={"csrf_token": token, "q0": "A"})
            assert (method, url[:60], response.status_code) == (method, url[:60], 404)
            assert CJK.search(reason(response))
    assert rows(fixture_app) == before


@pytest.mark.parametrize("value", UNICODE_DIGITS + ["9" * 5000, "0", "1", "Ａ"])
def test_unicode_or_numeric_choice_values_are_422(fixture_app, fixture_client, value):
    location = start(fixture_client, type="single")
    before = rows(fixture_app)
    response = fixture_client.post(location, data={"csrf_token": csrf(fixture_client, location), "q0": value})
    assert response.status_code == 422 and "选项不存在" in reason(response)
    assert rows(fixture_app) == before


@pytest.mark.parametrize("form", [
    {"q²": "A"}, {"q１": "true"}, {"q٣": "x"}, {"q" + "9" * 5000: "x"}, {"q" + "1" * 20: "x"},
    {"q0_" + "9" * 5000: "x"}, {"q0": "²"}, {"q0": "１"}, {"q2": "٣"},
])
@pytest.mark.parametrize("action", ["save", "submit"])
def test_unicode_digits_in_exam_fields_are_4xx_and_change_nothing(fixture_app, fixture_client, form, action):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    before = rows(fixture_app)
    response = fixture_client.post(f"{url}/{action}", data={"csrf_token": token, **form})
    assert response.status_code in (400, 422) and CJK.search(reason(response))
    assert rows(fixture_app) == before


@pytest.mark.parametrize("value", UNICODE_DIGITS + ["9" * 5000, "nan", "inf", "-1e999"])
@pytest.mark.parametrize("field", ["size", "self_score"])
def test_number_fields_refuse_what_is_not_a_number_in_range(fixture_app, fixture_client, field, value):
    location = start(fixture_client, type="term")
    token = csrf(fixture_client, location)
    fixture_client.post(location, data={"csrf_token": token, "q0": "整个生命周期"})
    before = rows(fixture_app)
    url = "/practice" if field == "size" else location + "/self"
    response = fixture_client.post(url, data={"csrf_token": token, "type": "term", field: value})
    in_range = (field, value) in {("size", "１０"), ("self_score", "１")}    # full-width digits are numbers (phone IMEs)
    assert response.status_code == (302 if in_range else 400)
    if not in_range:
        assert rows(fixture_app) == before and CJK.search(reason(response))
