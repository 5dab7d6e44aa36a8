"""Exam-aware spaced repetition: FSRS (the `fsrs` package) bent towards the highest recall on exam day.

Pure: the clock, the exam date, the cap and the stored card states are arguments; no Flask, no SQL.

What this adds to plain FSRS:
- no due date past the exam: a card reviewed before the eve is due on the exam morning at the latest,
  one reviewed on the exam day stays on that day;
- a card FSRS would not show again before the exam gets a final review on the eve (spread backwards
  from the eve so that no day is loaded past the cap), unless it would still be recalled with
  FINAL_RECALL on the exam morning: then a last look on the exam morning is enough;
- new cards are spread over the days left, all introduced a week before the exam (half the days left
  when less), so each has several reviews before the exam;
- a daily cap on distinct cards; an overdue backlog waits in order of risk (lowest recall first),
  while new cards keep a reserved share so they are never starved.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from fsrs import Card, Rating, Scheduler, State

from course.loader import COURSE_TZ as DAY_TZ   # days roll over at Beijing midnight, as every countdown
EXAM_HOUR = 9                    # recall is predicted for 09:00 on the exam day
NEW_LEAD_DAYS = 7                # all new cards introduced at least this long before the exam (when there is time)
NEW_PER_DAY_NO_EXAM = 20         # without a future exam date: plain FSRS with this many new cards a day
DEFAULT_CAP = 50
MIN_CAP, MAX_CAP = 5, 500
FINAL_RECALL = 0.95              # predicted recall on the exam morning that needs no final review on the eve
REVIEW_SHARE = 0.8               # final reviews placed on a day up to this share of the cap (room for new/relearning)
LEARN_AHEAD = dt.timedelta(minutes=20)
# Fuzzing off: the exam clamp and the load spreading already spread due dates, and a fixed clock
# must give a reproducible schedule.
FSRS = Scheduler(enable_fuzzing=False)
STATES = tuple(int(s) for s in State)      # 1-3: Learning, Review, Relearning
RATINGS = tuple(int(r) for r in Rating)    # 1-4: Again, Hard, Good, Easy
LATEST_DAY = dt.date(2200, 1, 1)   # year 9999 overflowed the schedule's date arithmetic (a 500 on 考前冲刺)

TWO_BUTTONS = ((Rating.Again, "忘了"), (Rating.Good, "记得"))
FOUR_BUTTONS = ((Rating.Again, "重来"), (Rating.Hard, "困难"), (Rating.Good, "良好"), (Rating.Easy, "简单"))


@dataclass(frozen=True)
class CardState:
    """A learner's memory of one card, as FSRS sees it."""

    key: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None
    reps: int = 0
    lapses: int = 0


@dataclass(frozen=True)
class DayPlan:
    """What today still holds under the cap."""

    reviews: int          # review cards still allowed today
    new: int              # new cards still allowed today
    due_total: int        # review cards due today (some may wait when over the cap)
    unseen: int           # cards never studied
    new_per_day: int      # new cards a day needed to meet the introduce-by day
    introduce_by: dt.date | None
    feasible: bool        # the cap leaves room for that many new cards a day
    room: int = 0         # cards the cap still allows today beyond the plan (for 再学几张新卡)


@dataclass(frozen=True)
class Queue:
    order: tuple[str, ...]   # card keys in the order they will be shown today
    plan: DayPlan
    learning: int            # cards in their short (minutes) steps, already seen today

    @property
    def next_key(self) -> str | None:
        return self.order[0] if self.order else None

    @property
    def remaining(self) -> int:
        return len(self.order)


# ---- days -------------------------------------------------------------------------------------------

def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(DAY_TZ).date()


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight of `day`, in UTC (FSRS wants UTC datetimes)."""
    return dt.datetime.combine(day, dt.time(), DAY_TZ).astimezone(dt.UTC)


def exam_moment(exam_date: dt.date) -> dt.datetime:
    return dt.datetime.combine(exam_date, dt.time(EXAM_HOUR), DAY_TZ).astimezone(dt.UTC)


def due_limit(review_day: dt.date, exam_date: dt.date | None) -> dt.datetime | None:
    """The latest due date a review made on `review_day` may get; None once the exam has passed."""
    if exam_date is None or review_day > exam_date:
        return None
    if review_day < exam_date:
        return day_start(exam_date)                                                 # the exam morning
    return day_start(exam_date + dt.timedelta(days=1)) - dt.timedelta(seconds=1)   # exam day: stays on it


# ---- one review ---------------------------------------------------------------------------------------

def new_state(key: str, now: dt.datetime) -> CardState:
    return CardState(key, int(State.Learning), 0, None, None, now, None)


def _card(state: CardState) -> Card:
    return Card(card_id=1, state=State(state.state), step=state.step, stability=state.stability,
                difficulty=state.difficulty, due=state.due, last_review=state.last_review)


def review(state: CardState, rating: Rating, now: dt.datetime, exam_date: dt.date | None,
           load: dict[dt.date, int] | None = None, cap: int = DEFAULT_CAP) -> CardState:
    """Grade a card at `now`: FSRS's next state, its due date kept before the exam and spread by `load`."""
    card, _ = FSRS.review_card(_card(state), Rating(rating), now.astimezone(dt.UTC))
    after = CardState(state.key, int(card.state), card.step, card.stability, card.difficulty, card.due,
                      card.last_review, state.reps + 1, state.lapses + (rating == Rating.Again and state.state == State.Review))
    return replace(after, due=place_due(after, now, exam_date, load or {}, cap))


def grade_card(current: CardState | None, others: list[CardState], key: str, rating: Rating, now: dt.datetime,
               exam_date: dt.date | None, cap: int) -> CardState:
    """One review as the app stores it: a new card starts now; final reviews are spread over `others`' load."""
    load = due_load(others, local_day(now))
    return review(current or new_state(key, now), rating, now, exam_date, load, cap)


def place_due(after: CardState, now: dt.datetime, exam_date: dt.date | None, load: dict[dt.date, int],
              cap: int) -> dt.datetime:
    """FSRS's due date, unless it passes the exam.

    Then FSRS would not show the card again before the exam. If it would still be recalled well on the
    exam morning (FINAL_RECALL), a last look on the exam day is enough; otherwise it gets a final review
    on the latest day before the exam with room under the cap (the eve first, then earlier).
    """
    limit = due_limit(local_day(now), exam_date)
    if limit is None or after.due <= limit:
        return after.due
    today = local_day(now)
    if today >= exam_date - dt.timedelta(days=1):
        return limit                                              # the eve or the exam day: no days left to spread over
    if retrievability(after, exam_moment(exam_date)) >= FINAL_RECALL:
        return day_start(exam_date)
    room = max(1, int(cap * REVIEW_SHARE))
    day = exam_date - dt.timedelta(days=1)
    while day > today + dt.timedelta(days=1) and load.get(day, 0) >= room:
        day -= dt.timedelta(days=1)
    return day_start(day)


def due_load(states: list[CardState], after: dt.date) -> dict[dt.date, int]:
    """How many cards fall due on each day after `after` (for spreading final reviews)."""
    load: dict[dt.date, int] = {}
    for s in states:
        day = local_day(s.due)
        if day > after:
            load[day] = load.get(day, 0) + 1
    return load


def retrievability(state: CardState, at: dt.datetime) -> float:
    """FSRS's predicted chance of recall at `at`; 0 for a card never studied."""
    if state.last_review is None or state.stability is None:
        return 0.0
    return float(FSRS.get_card_retrievability(_card(state), at.astimezone(dt.UTC)))


def predicted_recall(state: CardState | None, exam_date: dt.date | None, now: dt.datetime) -> float:
    """Recall on the exam morning if nothing more is studied (0 for unseen cards)."""
    if state is None:
        return 0.0
    at = exam_moment(exam_date) if exam_date and exam_moment(exam_date) > now else now
    return retrievability(state, at)


# ---- a day's work -------------------------------------------------------------------------------------

def new_per_day(unseen_at_day_start: int, today: dt.date, exam_date: dt.date | None) -> tuple[int, dt.date | None]:
    """New cards a day, and the day by which every new card should have been seen."""
    if exam_date is None or exam_date < today:
        return min(unseen_at_day_start, NEW_PER_DAY_NO_EXAM), None
    days_left = (exam_date - today).days
    # A week ahead; starting later, half the days left (at least by the eve when there is one).
    lead = NEW_LEAD_DAYS if days_left >= NEW_LEAD_DAYS else max(days_left // 2, min(days_left, 1))
    introduce_by = exam_date - dt.timedelta(days=lead)
    days = (introduce_by - today).days + 1
    return math.ceil(unseen_at_day_start / days), introduce_by


def plan_day(due_total: int, unseen: int, reviewed_today: int, introduced_today: int, today: dt.date,
             exam_date: dt.date | None, cap: int, extra_new: int = 0) -> DayPlan:
    """Split what is left of today's cap between due reviews and new cards.

    `extra_new`: new cards the learner asked for beyond today's share (再学几张), still under the cap.
    """
    per_day, introduce_by = new_per_day(unseen + introduced_today, today, exam_date)
    allowance = max(0, cap - reviewed_today - introduced_today)
    new_left = max(0, min(per_day + extra_new - introduced_today, unseen))
    reserved = min(new_left, cap // 2)                     # a backlog never starves new cards entirely
    reviews = min(due_total, max(0, allowance - reserved))
    new = min(new_left, allowance - reviews)
    return DayPlan(reviews, new, due_total, unseen, per_day, introduce_by, per_day <= cap // 2 or per_day <= cap - due_total,
                   allowance - reviews - new)


def build_queue(deck_keys: list[str], states: dict[str, CardState], touched_today: dict[str, bool], now: dt.datetime,
                exam_date: dt.date | None, cap: int, extra_new: int = 0) -> Queue:
    """The next card to show. `touched_today` maps each card studied today to whether it was new today.

    Order: cards whose short learning step has come, due reviews most at risk first, new cards in deck
    order, and last the learning steps coming within LEARN_AHEAD (rather than waiting for them).
    """
    today = local_day(now)
    tomorrow = day_start(today + dt.timedelta(days=1))
    in_deck = [k for k in deck_keys if k in states]
    learning = sorted((states[k] for k in in_deck if k in touched_today and states[k].due <= now + LEARN_AHEAD),
                      key=lambda s: s.due)
    due = sorted((states[k] for k in in_deck if k not in touched_today and states[k].due < tomorrow),
                 key=lambda s: (retrievability(s, now), s.due))
    unseen = [k for k in deck_keys if k not in states]
    introduced = sum(1 for new in touched_today.values() if new)
    plan = plan_day(len(due), len(unseen), len(touched_today) - introduced, introduced, today, exam_date, cap, extra_new)
    ready = [s.key for s in learning if s.due <= now]
    ahead = [s.key for s in learning if s.due > now]
    order = ready + [s.key for s in due[:plan.reviews]] + unseen[:plan.new] + ahead
    return Queue(tuple(order), plan, len(learning))


def cram_order(deck_keys: list[str], states: dict[str, CardState], exam_date: dt.date | None,
               now: dt.datetime) -> list[str]:
    """Cram: every card due by the exam (all studied cards, and unseen ones), weakest at the exam first."""
    limit = day_start(exam_date + dt.timedelta(days=1)) if exam_date else None
    keys = [k for k in deck_keys if k not in states or limit is None or states[k].due < limit]
    return sorted(keys, key=lambda k: predicted_recall(states.get(k), exam_date, now))
