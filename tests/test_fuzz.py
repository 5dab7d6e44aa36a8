"""Property-based requests against every route of the app (enumerated from `app.url_map`): bad types,
huge numbers, NaN/inf, Unicode digits, invalid UTF-8, unknown and foreign ids, tampered cookies,
bad Host headers. No request of any shape gets a 5xx, and a refused request changes nothing.

Derandomized by default (the same examples on every run, a stable CI); HYPOTHESIS_PROFILE=explore
draws fresh, more numerous examples.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import close_thread_connections, connect
from simulations import SIMULATIONS
from tests.conftest import FIXTURES, make_app

settings.register_profile("fuzz", max_examples=30, derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("explore", parent=settings.get_profile("fuzz"), max_examples=200, derandomize=False)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


def _rules() -> list[tuple[str, tuple[str, ...]]]:
    """Every URL rule and its methods, read from a real app (so a new route is fuzzed without editing this)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp), CONTENT_DIR=str(FIXTURES / "content"))
        rules = [(r.rule, tuple(sorted(r.methods - {"HEAD", "OPTIONS"}))) for r in app.url_map.iter_rules()]
        close_thread_connections()
    return rules


RULES = _rules()

# ---- strategies ------------------------------------------------------------------------------------

NASTY = ["", " ", "0", "-1", "1.5", "1e999", "-1e999", "nan", "NaN", "inf", "-Infinity", "²", "１", "٣", "１０",
         "9" * 5000, str(2**63), str(2**64), str(-2**63 - 1), "0x10", "1_000", "A", "H", "Ａ", "true", "false",
         "null", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "长" * 6000, "../../etc/passwd", "q0"]
FIELDS = ["q", "chapter", "type", "size", "question", "self_score", "display_name", "confirm", "csrf_token",
          "q0", "q1", "q2", "q3", "q4", "q5", "q0_0", "q2_1", "q²", "q１", "q٣", "q" + "9" * 5000, "q-1", "q01",
          *sorted({p.name for sim in SIMULATIONS.values() for p in sim.params})]
BAD_HOSTS = ["a..b", ".", "a" * 64 + ".example", "x" * 300, "[::1", "é.example", "localhost:99999", "a b"]
RAW_BYTES = [b"%ff%fe", b"\xff\xfe\xfa", b"q0=%ff&q1=%c3%28", b"q0=\xc3\x28", b"%", b"&&&==", b"\x00" * 10]

text = st.one_of(st.sampled_from(NASTY), st.sampled_from(NASTY), st.text(max_size=20), st.integers().map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(str))


def pairs(fields: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(st.tuples(st.one_of(st.sampled_from(fields), st.sampled_from(fields), st.text(max_size=8)), text),
                    max_size=6)


ODD_SEGMENTS = ["0", str(2**63 - 1), str(2**63), "9" * 25, "9" * 5000, "１", "٣", "²", "-1", "1.5", "%ff%fe", "%00",
                "00001", "..", "%2e%2e", "a" * 300]


def segment(converter: str, known: list[str], hostile: bool) -> st.SearchStrategy[str]:
    """One URL path segment, already percent-encoded (raw `%ff` is invalid UTF-8 on purpose)."""
    if not hostile and known:
        return st.sampled_from(known)
    free = text.map(lambda s: quote(s, safe="")).filter(lambda s: 0 < len(s) < 20000)
    if converter == "int":
        return st.one_of(st.sampled_from(ODD_SEGMENTS), st.integers(0, 10**6).map(str))
    return st.one_of(st.sampled_from(ODD_SEGMENTS), free)


# ---- the world a request can find ------------------------------------------------------------------

def _csrf(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def _cookies(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", "crm_learner") if client.get_cookie(name)}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An app with an owner (practice, open exam, submitted exam) and a stranger with an attempt of their own."""
    app = make_app(tmp_path_factory.mktemp("fuzz"), CONTENT_DIR=str(FIXTURES / "content"))
    owner, stranger = app.test_client(), app.test_client()
    token = _csrf(owner, "/practice")
    ids = []
    for client in (owner, stranger):
        location = client.post("/practice", data={"csrf_token": _csrf(client, "/practice"), "size": "5"}).headers["Location"]
        ids.append(location.split("/")[2])
    owner.post(f"/practice/{ids[0]}/0", data={"csrf_token": token, "q0": "A"})
    exams = [owner.post("/exam", data={"csrf_token": token}).headers["Location"].rsplit("/", 1)[1] for _ in range(4)]
    owner.post(f"/exam/{exams[0]}/submit", data={"csrf_token": token, "q2": "true"})
    owner.get("/search?q=客户")   # build the search index: later writes are the fuzzed requests' own
    known = {
        "attempt_id": [ids[0], *exams, ids[1]],      # the owner's practice and exams, then the stranger's practice
        "position": ["0", "1", "2", "3", "4", "5"],
        "slug": ["alpha", "beta", "gamma-case"],
        "name": list(SIMULATIONS),
        "version": ["0", "2.35.2", "..%2f..%2fapp.py"],
        "filename": ["css/site.css", "js/exam.js", "../app.py", "%2e%2e/app.py", "nope.css"],
    }
    owner_cookies = _cookies(owner)
    learner = owner_cookies.get("crm_learner", "")
    jars = {
        "owner": owner_cookies,
        "stranger": _cookies(stranger),
        "none": {},
        "tampered": {**owner_cookies, "crm_learner": learner[:-1] + ("A" if learner[-1:] != "A" else "B")},
        "garbage": {"session": "eyJub3QiOiJzaWduZWQifQ.x.y", "crm_learner": "%ff" * 10},
    }
    probe = connect(app.config["DATABASE"])
    yield app, token, known, jars, probe
    probe.conn.close()
    close_thread_connections()


# Written on purpose by refused requests: failed logins and transfer codes, and every request that
# starts an attempt (the abuse limits count them). The search index is derived from the content.
LIMIT_LOGS = {"login_failures", "transfer_failures", "rate_events"}


def state(probe) -> dict[str, list]:
    """Every row of every table a refused request must leave alone."""
    tables = [r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: probe.execute(f"SELECT * FROM [{t}]").fetchall() for t in tables
            if t not in LIMIT_LOGS and not t.startswith(("search_", "sqlite_"))}


# ---- the property ----------------------------------------------------------------------------------

HOSTILE = ["path", "method", "body", "cookie", "host", "none"]   # besides the query and form, always drawn


@st.composite
def requests(draw, rule: str, methods: tuple[str, ...], known: dict, token: str, jars: dict):
    """A request to `rule` that is valid but for the query, the form fields and one more hostile part:
    so each example reaches the view's own checks instead of stopping at the first guard."""
    hostile = draw(st.sampled_from(HOSTILE))
    drawn = {}
    path = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
                  lambda m: drawn.setdefault(m.group(2), draw(segment(m.group(1) or "default", known.get(m.group(2), []),
                                                                      hostile == "path"))),
                  rule)
    position = drawn.get("position", "0")
    fields = [f"q{position}", f"q{position}_0", f"q{position}_1", *FIELDS]   # the answer field of this position
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"] if hostile == "method" else methods))
    query = draw(st.one_of(pairs(fields).map(urlencode), st.sampled_from(RAW_BYTES).map(lambda b: b.decode("latin-1"))))
    form = [("csrf_token", token), *draw(pairs(fields))]
    data, content_type = urlencode(form).encode(), "application/x-www-form-urlencoded"
    if hostile == "body":
        data, content_type = draw(st.sampled_from([
            (b"csrf_token=" + token.encode() + b"&q0=%ff%fe&q1=\xc3\x28", "application/x-www-form-urlencoded"),
            (b"\xff\xfe\xfa" * 100, "application/x-www-form-urlencoded"),
            (data, "multipart/form-data; boundary=x"),
            (data, "multipart/form-data"),
            (data, "text/plain"),
            (b'{"q0": NaN, "csrf_token": 1e999}', "application/json"),
            (urlencode(form[1:]).encode(), "application/x-www-form-urlencoded"),     # no CSRF token
            (b"csrf_token=" + token.encode() + b"&q0=" + b"9" * 300_000, "application/x-www-form-urlencoded"),
        ]))
    headers = {"Accept": draw(st.sampled_from(["text/html", "application/json", "*/*", "\xff;q=nan", ""]))}
    if hostile == "host":
        headers["Host"] = draw(st.sampled_from(BAD_HOSTS))
    cookies = jars[draw(st.sampled_from(sorted(jars)))] if hostile == "cookie" else jars["owner"]
    return method, path + ("?" + query if query else ""), data, content_type, headers, cookies


@pytest.mark.parametrize("rule, methods", RULES, ids=[r for r, _ in RULES])
def test_no_request_gets_a_5xx_and_refusals_change_nothing(world, rule, methods):
    app, token, known, jars, probe = world

    @PROFILE
    @given(requests(rule, methods, known, token, jars))
    def check(request):
        method, url, data, content_type, headers, cookies = request
        client = app.test_client()
        for name, value in cookies.items():
            client.set_cookie(name, value)
        before = state(probe)
        response = client.open(url, method=method, data=data, content_type=content_type, headers=headers)
        assert response.status_code < 500, (method, url[:200], response.status_code)
        if response.status_code >= 400:
            assert state(probe) == before, (method, url[:200], response.status_code, "refused but wrote")

    check()


def test_every_route_is_fuzzed():
    """The parametrization is the live url_map: a route added by any package is fuzzed too."""
    assert {"/exam/<int:attempt_id>/submit", "/practice/<int:attempt_id>/<int:position>", "/me/delete",
            "/simulations/<name>/data.json", "/search", "/static/<path:filename>"} <= {r for r, _ in RULES}
