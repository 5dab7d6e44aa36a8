"""交卷 and autosave under the deadline and under concurrency (issue 7, defects 1–3)."""
import datetime as dt
import random
import threading
import time

import pytest

from db import connect
from quizzes import current_banks
from quizzes.engine import grade
from quizzes.types import TYPES
from quizzes.model import Attempt, Item
from quizzes.submit import GRACE, Clock, clock, variant_at
from tests.test_exam_views import start_exam
from tests.test_practice_views import csrf

TERM = 4                       # the fixture paper: 2 single, 2 true/false, 1 term (4 points), 1 case
RIGHT, WRONG = "整个生命周期，折现", "不记得了"


def attempt_id(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def twin(app, client):
    """Another browser tab of the same student: same cookies, its own connection and thread."""
    other = app.test_client()
    for name in ("session", "crm_learner"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            other.set_cookie(name, cookie.value)
    return other


def set_deadline(app, url: str, delta: dt.timedelta) -> None:
    connect(app.config["DATABASE"]).execute(
        "UPDATE attempts SET deadline = ? WHERE id = ?", [(dt.datetime.now(dt.UTC) + delta).isoformat(), attempt_id(url)])


def stored(app, url: str) -> tuple[dict, dict]:
    db = connect(app.config["DATABASE"])
    attempt = next(db.query("SELECT * FROM attempts WHERE id = ?", [attempt_id(url)]))
    rows = {r["position"]: r for r in db.query("SELECT * FROM responses WHERE attempt_id = ?", [attempt_id(url)])}
    return attempt, rows


def run_together(*jobs):
    """Start every job at the same moment on its own thread; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        results[i] = job()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# ---- the one deadline rule ---------------------------------------------------------------------

DEADLINE = dt.datetime(2026, 6, 20, 10, 0, tzinfo=dt.UTC)
EXAM = Attempt(1, "learner", "exam", 7, (Item("alpha/x", "v1", 4.0, "term"),), "2026-06-20T08:00:00+00:00",
               deadline=DEADLINE)


@pytest.mark.parametrize("moment, expected", [
    (DEADLINE - dt.timedelta(minutes=2, seconds=5), Clock(125, True)),
    (DEADLINE, Clock(0, True)),
    (DEADLINE + GRACE, Clock(0, True)),                                   # the page's auto-submit lands here
    (DEADLINE + GRACE + dt.timedelta(seconds=1), Clock(0, False)),
])
def test_deadline_rule_has_the_grace_in_it(moment, expected):
    assert clock(EXAM, moment) == expected


# ---- defect 2: inside the grace window ---------------------------------------------------------

def test_submit_inside_the_grace_window_counts_the_final_answers(fixture_app, fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    set_deadline(fixture_app, url, -dt.timedelta(seconds=5))
    response = fixture_client.post(url + "/submit", data={"csrf_token": token, f"q{TERM}": RIGHT})
    assert response.headers["Location"] == url + "/result"
    attempt, rows = stored(fixture_app, url)
    assert (rows[TERM]["response"], rows[TERM]["score"], attempt["score"]) == (f'"{RIGHT}"', 4.0, 4.0)
    assert "超过考试时间" not in fixture_client.get(url + "/result").get_data(as_text=True)


def test_autosave_inside_the_grace_window_is_kept(fixture_app, fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    set_deadline(fixture_app, url, -dt.timedelta(seconds=5))
    assert fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT}).status_code == 200
    set_deadline(fixture_app, url, -GRACE - dt.timedelta(seconds=2))
    assert fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG}).status_code == 409
    assert stored(fixture_app, url)[1][TERM]["response"] == f'"{RIGHT}"'


def test_exam_page_counts_down_to_the_deadline(fixture_app, fixture_client):
    url = start_exam(fixture_client)
    set_deadline(fixture_app, url, dt.timedelta(seconds=90.5))
    assert 'data-remaining="90"' in fixture_client.get(url).get_data(as_text=True)


def test_cleared_answer_is_removed_not_kept(fixture_app, fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT})
    response = fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": "  "})
    assert response.get_json()["saved"] == []
    assert TERM not in stored(fixture_app, url)[1]


# ---- defect 1: a double-clicked 交卷 ------------------------------------------------------------

def test_ten_parallel_submits_grade_once_and_all_land_on_the_result(fixture_app, fixture_client):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT})
    tabs = [twin(fixture_app, fixture_client) for _ in range(10)]
    form = {"csrf_token": token, f"q{TERM}": RIGHT, "q2": "true", "q3": "true"}   # one 判断 of the two is wrong
    responses = run_together(*[lambda tab=tab: tab.post(url + "/submit", data=form) for tab in tabs])
    assert [(r.status_code, r.headers.get("Location")) for r in responses] == [(302, url + "/result")] * 10
    attempt, rows = stored(fixture_app, url)
    db = connect(fixture_app.config["DATABASE"])
    notebook_rows = db.execute("SELECT count(*), sum(wrong_count) FROM notebook").fetchone()
    assert attempt["submitted_at"] and rows[TERM]["score"] == 4.0
    assert notebook_rows[0] == notebook_rows[1] == 1     # graded once: the wrong item counted once


# ---- defect 3: autosave racing the submission --------------------------------------------------

@pytest.fixture
def slow_grading(monkeypatch):
    """Grading a 名词解释 takes 30 ms (a long paper on a busy server): a wide window for a racing autosave."""
    grade_term = TYPES["term"].grade

    def slow(*args):
        time.sleep(0.03)
        return grade_term(*args)

    monkeypatch.setattr(TYPES["term"], "grade", slow)


def test_racing_autosave_never_disagrees_with_the_stored_score(fixture_app, fixture_client, slow_grading):
    """Autosaves keep arriving while 交卷 runs: the stored score is the grade of the last acknowledged answer."""
    rng = random.Random(7)
    for _ in range(15):
        url = start_exam(fixture_client)
        token = csrf(fixture_client, url)
        saver, submitter = twin(fixture_app, fixture_client), twin(fixture_app, fixture_client)
        acknowledged, statuses = [], []

        def autosave():
            for i in range(300):          # until the submission refuses it
                answer = RIGHT if i % 2 else WRONG
                status = saver.post(url + "/save", data={"csrf_token": token, f"q{TERM}": answer}).status_code
                statuses.append(status)
                if status != 200:
                    return
                acknowledged.append(answer)

        def submit_soon():
            time.sleep(rng.random() / 20)
            return submitter.post(url + "/submit", data={"csrf_token": token})

        _, submitted = run_together(autosave, submit_soon)
        attempt, rows = stored(fixture_app, url)
        assert submitted.headers["Location"] == url + "/result"
        assert statuses[-1] == 409 and set(statuses[:-1]) <= {200}    # refused after submission, never a 500
        if acknowledged:
            assert rows[TERM]["response"] == f'"{acknowledged[-1]}"'
            assert (rows[TERM]["score"], attempt["score"]) == ((4.0, 4.0) if acknowledged[-1] == RIGHT else (0.0, 0.0))
        else:
            assert TERM not in rows and attempt["score"] == 0


def test_stored_scores_are_the_grades_of_the_stored_answers(fixture_app, fixture_client):
    """The whole paper regraded from what is stored gives exactly the stored scores."""
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/submit", data={"csrf_token": token, f"q{TERM}": RIGHT, "q2": "true", "q3": "false"})
    with fixture_app.test_request_context():
        from quizzes import store

        db = connect(fixture_app.config["DATABASE"])
        learner = next(db.query("SELECT learner_id FROM attempts WHERE id = ?", [attempt_id(url)]))["learner_id"]
        attempt = store.get_attempt(db, attempt_id(url), learner)
        by_key = current_banks().by_key()
        regraded = {pos: grade(variant_at(attempt, pos, by_key), row["response"], attempt.items[pos].points).score
                    for pos, row in store.responses(db, attempt.id).items()}
        assert regraded == {pos: row["score"] for pos, row in store.responses(db, attempt.id).items()}
        assert sorted(regraded) == [2, 3, TERM]


# ---- autosaved answers are graded once, and 交卷 reuses the grade ----------------------------------

@pytest.fixture
def term_gradings(monkeypatch):
    """How many times a 名词解释 answer is graded."""
    grade_term, calls = TYPES["term"].grade, []

    def counted(*args):
        calls.append(args[1])
        return grade_term(*args)

    monkeypatch.setattr(TYPES["term"], "grade", counted)
    return calls


def test_autosave_grades_a_changed_answer_once_and_submit_reuses_that_grade(fixture_app, fixture_client, term_gradings):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    saved = fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG})
    assert set(saved.get_json()) == {"saved", "kept_elsewhere", "at"}   # nothing about the grade reaches the browser
    _, rows = stored(fixture_app, url)
    assert (rows[TERM]["draft_score"], rows[TERM]["score"], rows[TERM]["correct"]) == (0.0, None, None)
    for _ in range(3):   # autosave sends the whole paper each time: an unchanged answer is not graded again
        fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT, "q2": "true"})
    _, rows = stored(fixture_app, url)
    assert term_gradings == [WRONG, RIGHT]
    assert rows[TERM]["draft_score"] == 4.0 and rows[TERM]["draft_version"] == rows[TERM]["version"]
    fixture_client.post(url + "/submit", data={"csrf_token": token, f"q{TERM}": RIGHT, "q2": "true"})
    attempt, rows = stored(fixture_app, url)
    assert term_gradings == [WRONG, RIGHT]                # 交卷 graded nothing anew
    assert rows[TERM]["score"] == 4.0 and rows[TERM]["correct"] == 1


def test_a_draft_grade_from_another_key_or_another_answer_is_not_trusted(fixture_app, fixture_client, term_gradings):
    """A stored draft grade counts only for the exact answer and the question version that produced it."""
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG})
    connect(fixture_app.config["DATABASE"]).execute(     # as if graded by a key since changed in the bank
        "UPDATE responses SET draft_score = 4.0, draft_correct = 1, draft_version = 'older' WHERE attempt_id = ?",
        [attempt_id(url)])
    fixture_client.post(url + "/submit", data={"csrf_token": token, f"q{TERM}": WRONG})
    attempt, rows = stored(fixture_app, url)
    assert (rows[TERM]["score"], attempt["score"]) == (0.0, 0.0)
    assert term_gradings == [WRONG, WRONG]


def test_an_answer_changed_at_submit_is_graded_as_submitted(fixture_app, fixture_client, term_gradings):
    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG})
    fixture_client.post(url + "/submit", data={"csrf_token": token, f"q{TERM}": RIGHT})
    attempt, rows = stored(fixture_app, url)
    assert (rows[TERM]["response"], rows[TERM]["score"], attempt["score"]) == (f'"{RIGHT}"', 4.0, 4.0)


@pytest.mark.parametrize("looks_at", ["", "/result"])
def test_a_paper_left_open_past_its_time_is_handed_in_by_the_next_page_that_shows_it(fixture_app, fixture_client, looks_at):
    url = start_exam(fixture_client)
    fixture_client.post(url + "/save", data={"csrf_token": csrf(fixture_client, url), f"q{TERM}": RIGHT})
    set_deadline(fixture_app, url, -GRACE - dt.timedelta(seconds=2))   # the tab was closed; nobody pressed 交卷
    response = fixture_client.get(url + looks_at)
    assert response.headers["Location"] == url + "/result"
    result = fixture_client.get(url + "/result").get_data(as_text=True)
    assert "考试时间已到，试卷已自动交卷" in result and "总分" in result
    attempt, rows = stored(fixture_app, url)
    assert attempt["submitted_at"] and (rows[TERM]["score"], attempt["score"]) == (4.0, 4.0)


def test_inside_the_grace_window_the_paper_is_still_shown(fixture_app, fixture_client):
    url = start_exam(fixture_client)
    set_deadline(fixture_app, url, -dt.timedelta(seconds=5))
    assert fixture_client.get(url).status_code == 200
    assert stored(fixture_app, url)[0]["submitted_at"] is None


def set_answered_at(app, url: str, position: int, moment: dt.datetime) -> None:
    connect(app.config["DATABASE"]).execute("UPDATE responses SET answered_at = ? WHERE attempt_id = ? AND position = ?",
                                            [moment.isoformat(timespec="seconds"), attempt_id(url), position])


def test_an_older_copy_does_not_overwrite_an_answer_saved_elsewhere_since(fixture_app, fixture_client):
    import json

    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT})    # "the other device"
    now = dt.datetime.now(dt.UTC)
    set_answered_at(fixture_app, url, TERM, now)
    based_on = (now - dt.timedelta(minutes=5)).isoformat(timespec="seconds")          # this tab drew it before that
    response = fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG, "q2": "true",
                                                        "since": json.dumps({f"q{TERM}": based_on, "q2": based_on})})
    assert response.status_code == 200
    assert (response.get_json()["saved"], response.get_json()["kept_elsewhere"]) == ([2], [TERM])
    rows = stored(fixture_app, url)[1]
    assert rows[TERM]["response"] == f'"{RIGHT}"' and rows[2]["response"] == "true"
    same = fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT,   # the same answer: no conflict
                                                    "since": json.dumps({f"q{TERM}": based_on})})
    assert (same.get_json()["saved"], same.get_json()["kept_elsewhere"]) == ([TERM], [])
    newer = (now + dt.timedelta(seconds=1)).isoformat(timespec="seconds")             # based on the latest: taken
    response = fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG,
                                                        "since": json.dumps({f"q{TERM}": newer})})
    assert response.get_json()["kept_elsewhere"] == [] and stored(fixture_app, url)[1][TERM]["response"] == f'"{WRONG}"'


def test_submit_keeps_an_answer_saved_elsewhere_after_the_copy_it_was_sent_with(fixture_app, fixture_client):
    import json

    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT})
    now = dt.datetime.now(dt.UTC)
    set_answered_at(fixture_app, url, TERM, now)
    stale = (now - dt.timedelta(minutes=5)).isoformat(timespec="seconds")
    fixture_client.post(url + "/submit", data={"csrf_token": token, f"q{TERM}": WRONG,
                                               "since": json.dumps({f"q{TERM}": stale})})
    attempt, rows = stored(fixture_app, url)
    assert attempt["submitted_at"] and rows[TERM]["response"] == f'"{RIGHT}"' and rows[TERM]["score"] == 4.0


@pytest.mark.parametrize("since", ["not json", "[1, 2]", '{"q4": "yesterday"}', '{"q4": "2026-01-01T00:00:00"}',
                                   '{"q4": 5}'])
def test_a_malformed_since_is_a_400_and_saves_nothing(fixture_app, fixture_client, since):
    url = start_exam(fixture_client)
    response = fixture_client.post(url + "/save", data={"csrf_token": csrf(fixture_client, url), f"q{TERM}": RIGHT,
                                                        "since": since})
    assert response.status_code == 400 and "格式有误" in response.get_json()["message"]
    assert stored(fixture_app, url)[1] == {}


def test_an_older_copy_does_not_bring_back_an_answer_cleared_elsewhere_since(fixture_app, fixture_client):
    import json

    url = start_exam(fixture_client)
    token = csrf(fixture_client, url)
    based_on = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(timespec="seconds")
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": RIGHT})
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": ""})      # cleared on "the other device"
    assert TERM not in stored(fixture_app, url)[1]
    assert f'id="item-{TERM}" data-position="{TERM}" data-saved-at="' in fixture_client.get(url).get_data(as_text=True)
    stale = fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG,
                                                     "since": json.dumps({f"q{TERM}": based_on})})
    assert stale.get_json()["kept_elsewhere"] == [TERM] and TERM not in stored(fixture_app, url)[1]
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).isoformat(timespec="seconds")
    fixture_client.post(url + "/save", data={"csrf_token": token, f"q{TERM}": WRONG, "since": json.dumps({f"q{TERM}": later})})
    assert stored(fixture_app, url)[1][TERM]["response"] == f'"{WRONG}"'
