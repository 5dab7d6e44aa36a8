"""FSRS invariants over simulated weeks of study with a fixed clock, through the real store and scheduler."""
import datetime as dt
import random
from functools import partial

import pytest
from fsrs import Rating, State

from db import connect
from flashcards import store
from flashcards.scheduler import (DAY_TZ, CardState, build_queue, day_start, grade_card, local_day, new_per_day,
                                  predicted_recall, retrievability)
from migrations import migrate

EXAM = dt.date(2027, 1, 12)
START = dt.date(2026, 12, 3)
KEYS = [f"bank/card-{i:02d}" for i in range(88)]
LEARNER = "learner-1"


def open_db(path):
    database = connect(path)
    database.execute("PRAGMA synchronous = OFF")     # weeks of reviews commit one by one; no fsync needed here
    migrate(database)
    return database


SKIPPED_WEEK = frozenset(START + dt.timedelta(days=d) for d in range(10, 17))
SCENARIOS = {                      # name: (daily cap, days without study)
    "every-day": (40, frozenset()),
    "skips-a-week": (40, SKIPPED_WEEK),
    "tight-cap-skips-a-week": (12, SKIPPED_WEEK),
}


@pytest.fixture(scope="module")
def studied(tmp_path_factory):
    """Each scenario simulated once from START to the exam day (the tests below only read the results)."""
    results = {}
    for name, (cap, skip) in SCENARIOS.items():
        database = open_db(tmp_path_factory.mktemp(name) / "fc.sqlite3")
        run(database, cap, skip)
        results[name] = database
    yield results
    for database in results.values():
        database.conn.close()


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), DAY_TZ).astimezone(dt.UTC)


def study_day(db, day: dt.date, cap: int, rng: random.Random, exam: dt.date = EXAM) -> int:
    """A learner works through today's queue; remembers a review card with FSRS's own probability."""
    now, shown = at(day), 0
    while True:
        states = store.card_states(db, LEARNER)
        queue = build_queue(KEYS, states, store.touched_on(db, LEARNER, day), now, exam, cap)
        if queue.next_key is None:
            return shown
        state = states.get(queue.next_key)
        chance = retrievability(state, now) if state and state.state == State.Review else 0.7
        rating = Rating.Good if rng.random() < chance else Rating.Again
        store.record_review(db, LEARNER, queue.next_key, state.reps if state else 0, store.Graded(int(rating), 2, "v1"),
                            now, partial(grade_card, key=queue.next_key, rating=rating, now=now, exam_date=exam, cap=cap))
        now += dt.timedelta(seconds=40)
        shown += 1
        assert shown < 2000, "the queue never empties"


def reviews(db) -> list[dict]:
    return list(db.query("SELECT * FROM flashcard_reviews ORDER BY id"))


def run(db, cap: int, skip: frozenset = frozenset(), seed: int = 7) -> None:
    rng = random.Random(seed)
    day = START
    while day <= EXAM:
        if day not in skip:
            study_day(db, day, cap, rng)
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_due_date_past_the_exam(studied, scenario):
    rows = reviews(studied[scenario])
    assert len(rows) > 500
    for row in rows:
        reviewed, due = dt.datetime.fromisoformat(row["reviewed_at"]), dt.datetime.fromisoformat(row["due"])
        assert local_day(due) <= EXAM, row
        if local_day(reviewed) < EXAM:
            assert due <= day_start(EXAM), row          # the exam morning at the latest


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_daily_cap_is_respected(studied, scenario):
    cap, skip = SCENARIOS[scenario]
    per_day = store.reviews_per_day(studied[scenario], LEARNER)
    assert max(per_day.values()) <= cap
    assert set(per_day) & skip == set()


def test_new_cards_are_spread_and_all_introduced_a_week_before_the_exam(studied):
    first = {}
    for row in reviews(studied["every-day"]):
        first.setdefault(row["card_key"], local_day(dt.datetime.fromisoformat(row["reviewed_at"])))
    assert set(first) == set(KEYS)
    assert max(first.values()) <= new_per_day(len(KEYS), START, EXAM)[1] == EXAM - dt.timedelta(days=7)
    per_day = {}
    for day in first.values():
        per_day[day] = per_day.get(day, 0) + 1
    assert max(per_day.values()) <= 3           # 88 cards over 34 days, not all on the first day


@pytest.mark.parametrize("scenario", ["every-day", "skips-a-week"])
def test_recall_is_high_on_the_exam_morning(studied, scenario):
    """Before the exam day every card was reviewed late enough to be recalled on the morning."""
    db = studied[scenario]
    eve_night = at(EXAM - dt.timedelta(days=1), 23)
    last_before_exam = {}
    for row in reviews(db):
        if dt.datetime.fromisoformat(row["reviewed_at"]) <= eve_night:
            last_before_exam[row["card_key"]] = row
    recall = [predicted_recall(CardState(k, r["state"], r["step"], r["stability"], r["difficulty"],
                                         dt.datetime.fromisoformat(r["due"]), dt.datetime.fromisoformat(r["reviewed_at"])),
                               EXAM, eve_night) for k, r in last_before_exam.items()]
    assert len(recall) == len(KEYS)
    assert min(recall) >= 0.85
    assert sum(recall) / len(recall) >= 0.95


def test_a_backlog_after_a_skipped_week_is_spread_not_dumped(studied):
    per_day = store.reviews_per_day(studied["tight-cap-skips-a-week"], LEARNER)
    back = START + dt.timedelta(days=17)
    assert per_day[back] == per_day[back + dt.timedelta(days=1)] == 12     # the cap, and the rest the next day


def test_state_survives_reopening_the_database(tmp_path):
    path = tmp_path / "fc.sqlite3"
    first = open_db(path)
    study_day(first, START, 20, random.Random(1))
    before = store.card_states(first, LEARNER)
    count = store.review_count(first, LEARNER)
    first.conn.close()
    again = connect(path)
    migrate(again)
    assert store.card_states(again, LEARNER) == before
    assert store.review_count(again, LEARNER) == count > 0
    again.conn.close()
