"""Every URL of the whole app (not only the teacher area) as anonymous, as the student who owns the work,
as another student, as a teacher and as another teacher: never a 5xx, and a student's own practice and
exam pages are that student's alone."""
import re

import pytest

from tests.teacher.test_access import world  # noqa: F401  (fixture: two teachers, a class, a submitted assignment)
from tests.teacher.conftest import token

ROLES = ("anonymous", "owner", "other_student", "alice", "bob")
PER_ENDPOINT = {"interop.download": {"name": "json"}, "static": {"filename": "css/site.css"}}


@pytest.fixture
def everyone(world):  # noqa: F811
    app, clients, values, _ = world
    owner, other = app.test_client(), app.test_client()
    practice = owner.post("/practice", data={"csrf_token": token(owner, "/practice"), "question": "fx-tf-feeling"})
    exam = owner.post("/exam", data={"csrf_token": token(owner, "/exam")})
    other.get("/")
    version = re.search(r"plotly-basic-([\w.\-]+?)\.min\.js", owner.get("/simulations/clv").get_data(as_text=True))
    own = {"practice": practice.headers["Location"].rsplit("/", 2)[-2], "exam": exam.headers["Location"].rsplit("/", 1)[-1]}
    values = {**values, "slug": "alpha", "name": "clv", "version": version.group(1), "position": 0}
    roles = {"anonymous": clients["anonymous"], "owner": owner, "other_student": other,
             "alice": clients["alice"], "bob": clients["bob"]}
    return app, roles, values, own


def urls(app, values, own) -> list[tuple[str, str, str]]:
    """(method, path, endpoint) of every route outside /teacher/, the owner's attempts filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/teacher/") and rule.endpoint.startswith("teacher."):
            continue   # walked by tests/teacher/test_access.py
        fill = {**values, **PER_ENDPOINT.get(rule.endpoint, {})}
        if "attempt_id" in rule.arguments:
            fill["attempt_id"] = own["exam"] if rule.rule.startswith("/exam") else own["practice"]
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{arg}>", str(fill[arg]), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, path, rule.endpoint))
    return found


def test_the_walk_reaches_every_route_outside_the_teacher_area(everyone):
    app, _, values, own = everyone
    walked = {endpoint for _, _, endpoint in urls(app, values, own)}
    assert walked == {r.endpoint for r in app.url_map.iter_rules()
                      if not (r.rule.startswith("/teacher/") and r.endpoint.startswith("teacher."))}


@pytest.mark.parametrize("who", ROLES)
def test_no_url_gives_anyone_a_server_error(everyone, who):
    app, roles, values, own = everyone
    client = roles[who]
    for method, path, _ in urls(app, values, own):
        if path in ("/me/delete",):
            continue   # would end this role's records midway through the walk; covered in test_views
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token(client, "/me")})
        assert response.status_code < 500, (who, method, path, response.status_code)


@pytest.mark.parametrize("who", ["anonymous", "other_student", "alice", "bob"])
def test_a_students_practice_and_exam_are_theirs_alone(everyone, who):
    app, roles, values, own = everyone
    private = [(m, p) for m, p, e in urls(app, values, own) if "attempt_id" in e or "<int:attempt_id>" in p
               or re.match(r"^/(practice|exam)/\d+", p)]
    assert len(private) >= 8
    for method, path in private:
        response = roles[who].get(path) if method == "GET" else \
            roles[who].post(path, data={"csrf_token": token(roles[who], "/me")})
        assert response.status_code == 404, (who, method, path, response.status_code)
    assert roles["owner"].get(f"/exam/{own['exam']}").status_code == 200
    assert roles["owner"].get(f"/practice/{own['practice']}/0").status_code == 200
