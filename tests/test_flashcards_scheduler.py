"""The exam-aware scheduler with a fixed clock: pure functions, no app."""
import datetime as dt

import pytest
from fsrs import Rating, State

from flashcards.scheduler import (DAY_TZ, NEW_PER_DAY_NO_EXAM, CardState, build_queue, cram_order, day_start, due_limit,
                                  grade_card, local_day, new_per_day, new_state, place_due, plan_day, predicted_recall,
                                  review)

EXAM = dt.date(2027, 1, 12)
EVE = dt.date(2027, 1, 11)


def at(day: dt.date, hour: int = 19, minute: int = 0) -> dt.datetime:
    """A local (UTC+8) wall-clock moment, as UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), DAY_TZ).astimezone(dt.UTC)


def reviewed(key: str, due: dt.datetime, last: dt.datetime, stability: float = 10.0) -> CardState:
    return CardState(key, int(State.Review), None, stability, 5.0, due, last, reps=3)


def test_days_roll_over_at_beijing_midnight():
    assert local_day(dt.datetime(2027, 1, 10, 15, 59, tzinfo=dt.UTC)) == dt.date(2027, 1, 10)
    assert local_day(dt.datetime(2027, 1, 10, 16, 0, tzinfo=dt.UTC)) == dt.date(2027, 1, 11)
    assert day_start(EVE) == dt.datetime(2027, 1, 10, 16, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("review_day, limit", [
    (dt.date(2026, 12, 1), day_start(EXAM)),                                  # before: the exam morning at the latest
    (EVE, day_start(EXAM)),
    (EXAM, day_start(EXAM + dt.timedelta(days=1)) - dt.timedelta(seconds=1)),  # on the exam day: stays on it
    (EXAM + dt.timedelta(days=1), None),                                      # after the exam: plain FSRS
])
def test_due_limit(review_day, limit):
    assert due_limit(review_day, EXAM) == limit


def fsrs_says(due: dt.datetime, last: dt.datetime, stability: float) -> CardState:
    """A state as FSRS left it, before the exam clamp."""
    return reviewed("a/x", due, last, stability)


def test_a_card_fsrs_would_show_only_after_the_exam_gets_a_final_review_on_the_eve():
    now = at(dt.date(2027, 1, 2))
    after = fsrs_says(now + dt.timedelta(days=14), now, stability=14)      # recall on the exam morning ~0.93
    assert place_due(after, now, EXAM, {}, cap=50) == day_start(EVE)


def test_a_card_still_well_recalled_on_the_exam_gets_only_a_last_look_that_morning():
    now = at(dt.date(2027, 1, 2))
    after = fsrs_says(now + dt.timedelta(days=90), now, stability=90)
    assert place_due(after, now, EXAM, {}, cap=50) == day_start(EXAM)


def test_a_due_date_before_the_exam_is_left_to_fsrs():
    now = at(dt.date(2026, 12, 1))
    after = review(new_state("a/x", now), Rating.Again, now, EXAM)
    assert after.due == now + dt.timedelta(minutes=1)
    assert after.state == State.Learning
    after = fsrs_says(now + dt.timedelta(days=5), now, stability=5)
    assert place_due(after, now, EXAM, {}, cap=50) == now + dt.timedelta(days=5)


def test_a_long_interval_from_review_is_cut_to_the_exam():
    card = reviewed("a/x", at(dt.date(2027, 1, 2)), at(dt.date(2026, 12, 1)), stability=60)
    after = review(card, Rating.Easy, at(dt.date(2027, 1, 2)), EXAM)
    assert after.due == day_start(EXAM)
    assert after.stability > 60


def test_without_an_exam_date_fsrs_decides_alone():
    card = reviewed("a/x", at(dt.date(2027, 1, 2)), at(dt.date(2026, 12, 1)), stability=60)
    after = review(card, Rating.Good, at(dt.date(2027, 1, 2)), None)
    assert local_day(after.due) > EXAM


def test_final_reviews_move_earlier_when_the_eve_is_full():
    now = at(dt.date(2027, 1, 2))
    after = fsrs_says(now + dt.timedelta(days=14), now, stability=14)
    full = {EVE: 8, EVE - dt.timedelta(days=1): 8}            # cap 10: room for 8 final reviews a day
    assert place_due(after, now, EXAM, full, cap=10) == day_start(dt.date(2027, 1, 9))


def test_final_reviews_never_land_today_even_when_every_day_is_full():
    now = at(dt.date(2027, 1, 9))
    after = fsrs_says(now + dt.timedelta(days=3), now, stability=3)        # recall on the exam morning ~0.93
    full = {dt.date(2027, 1, 10): 99, EVE: 99}
    assert place_due(after, now, EXAM, full, cap=10) == day_start(dt.date(2027, 1, 10))


def test_on_the_eve_a_review_is_due_on_the_exam_morning_at_the_latest():
    now = at(EVE)
    after = fsrs_says(now + dt.timedelta(days=3), now, stability=3)
    assert place_due(after, now, EXAM, {}, cap=10) == day_start(EXAM)


def test_reviewing_a_new_card_counts_reps_and_lapses():
    now = at(dt.date(2026, 12, 1))
    first = grade_card(None, [], "a/x", Rating.Good, now, EXAM, 50)
    assert (first.key, first.reps, first.lapses, first.last_review) == ("a/x", 1, 0, now)
    card = reviewed("a/x", now, now - dt.timedelta(days=5))
    assert review(card, Rating.Again, now, EXAM).lapses == 1


@pytest.mark.parametrize("today, unseen, per_day, introduce_by", [
    (dt.date(2026, 11, 29), 88, 3, dt.date(2027, 1, 5)),     # 44 days left: done a week before
    (dt.date(2027, 1, 8), 10, 4, dt.date(2027, 1, 10)),      # 4 days left: half of them for new cards
    (dt.date(2027, 1, 5), 10, 10, dt.date(2027, 1, 5)),      # a week left: everything now
    (dt.date(2027, 1, 6), 10, 3, dt.date(2027, 1, 9)),       # 6 days left: half of them for new cards
    (EVE, 10, 10, EVE),                                        # the eve: everything now
    (EXAM, 10, 10, EXAM),
])
def test_new_cards_are_spread_to_finish_before_the_exam(today, unseen, per_day, introduce_by):
    assert new_per_day(unseen, today, EXAM) == (per_day, introduce_by)


def test_without_a_future_exam_new_cards_come_at_a_steady_pace():
    assert new_per_day(100, dt.date(2027, 2, 1), EXAM) == (NEW_PER_DAY_NO_EXAM, None)


@pytest.mark.parametrize("due, unseen, done, introduced, cap, reviews, new", [
    (10, 88, 0, 0, 50, 10, 3),         # room for everything
    (100, 88, 0, 0, 50, 47, 3),        # a backlog: new cards keep their share, the rest waits
    (100, 88, 40, 3, 50, 7, 0),        # most of the cap used already today
    (100, 88, 50, 0, 50, 0, 0),        # cap reached
    (0, 0, 0, 0, 50, 0, 0),            # nothing left
])
def test_plan_day_splits_the_cap(due, unseen, done, introduced, cap, reviews, new):
    plan = plan_day(due, unseen, done, introduced, dt.date(2026, 11, 29), EXAM, cap)
    assert (plan.reviews, plan.new) == (reviews, new)
    assert plan.reviews + plan.new + done + introduced <= cap


def test_extra_new_cards_on_request_stay_under_the_cap():
    today = dt.date(2026, 11, 29)
    assert plan_day(0, 88, 0, 3, today, EXAM, 50).new == 0               # today's share (3) is done
    more = plan_day(0, 88, 0, 3, today, EXAM, 50, extra_new=5)
    assert (more.new, more.room) == (5, 42)
    assert plan_day(0, 88, 45, 3, today, EXAM, 50, extra_new=5).new == 2  # the cap still holds


def test_queue_order_learning_step_due_then_riskiest_review_then_new_then_learning_ahead():
    now = at(dt.date(2026, 12, 10))
    states = {
        "a/step-now": CardState("a/step-now", int(State.Learning), 1, 2.0, 5.0, now - dt.timedelta(minutes=1), now),
        "a/step-soon": CardState("a/step-soon", int(State.Learning), 1, 2.0, 5.0, now + dt.timedelta(minutes=5), now),
        "a/step-later": CardState("a/step-later", int(State.Relearning), 0, 2.0, 5.0, now + dt.timedelta(hours=1), now),
        "a/safe": reviewed("a/safe", now - dt.timedelta(hours=1), now - dt.timedelta(days=3), stability=30),
        "a/risky": reviewed("a/risky", now - dt.timedelta(hours=1), now - dt.timedelta(days=9), stability=3),
        "a/later": reviewed("a/later", now + dt.timedelta(days=3), now - dt.timedelta(days=1)),
    }
    keys = [*states, "a/new1", "a/new2", "a/new3", "a/new4"]
    touched = {"a/step-now": False, "a/step-soon": False, "a/step-later": False}   # studied today, none new today
    queue = build_queue(keys, states, touched, now, EXAM, cap=50)
    assert queue.order == ("a/step-now", "a/risky", "a/safe", "a/new1", "a/step-soon")
    assert (queue.learning, queue.plan.reviews, queue.plan.due_total, queue.plan.new) == (2, 2, 2, 1)
    tight = build_queue(keys, states, touched, now, EXAM, cap=5)      # 3 touched today: 2 left, one kept for new
    assert tight.order == ("a/step-now", "a/risky", "a/new1", "a/step-soon")


def test_predicted_recall_falls_towards_the_exam():
    now = at(dt.date(2026, 12, 1))
    card = reviewed("a/x", now + dt.timedelta(days=5), now, stability=5)
    far, near = predicted_recall(card, EXAM, now), predicted_recall(card, dt.date(2026, 12, 3), now)
    assert 0 < far < near < 1
    assert predicted_recall(None, EXAM, now) == 0


def test_cram_takes_every_card_due_by_the_exam_weakest_first():
    now = at(dt.date(2027, 1, 9))
    states = {
        "a/strong": reviewed("a/strong", day_start(EVE), now - dt.timedelta(days=1), stability=80),
        "a/weak": reviewed("a/weak", day_start(EVE), now - dt.timedelta(days=6), stability=2),
        "a/after": reviewed("a/after", day_start(EXAM) + dt.timedelta(days=40), now, stability=80),
    }
    assert cram_order(["a/strong", "a/weak", "a/new", "a/after"], states, EXAM, now) == ["a/new", "a/weak", "a/strong"]
