"""The simulation models against numbers computed by hand (and the chapters' worked examples)."""
from __future__ import annotations

import numpy as np
import pytest

from simulations import clv, lifecycle, ranking, rfm, satisfaction
from simulations.params import defaults

MONEY = 0.005  # half a fen


# --- 客户终身价值 ---------------------------------------------------------------------------------

def test_clv_textbook_exercise_gives_model_one_and_model_three():
    res = clv.simulate(n=10, Co=500, Po=3000, In=1000, r=8, Cs=100)
    assert res.model1 == pytest.approx(9210.08, abs=MONEY)
    assert res.model3 == pytest.approx(8539.07, abs=MONEY)
    assert res.annuity_factor == pytest.approx(6.710081, abs=5e-7)


def test_clv_yearly_table_matches_the_chapter_present_values():
    res = clv.simulate()
    pv = [round(y.pv_model1, 2) for y in res.yearly]
    assert pv == [925.93, 857.34, 793.83, 735.03, 680.58, 630.17, 583.49, 540.27, 500.25, 463.19]
    assert [y.year for y in res.yearly] == list(range(1, 11))
    assert res.yearly[-1].cumulative_model1 == pytest.approx(res.model1)
    assert res.yearly[-1].cumulative_model3 == pytest.approx(res.model3)
    assert res.yearly[0].discount_factor == pytest.approx(1 / 1.08)


@pytest.mark.parametrize("customer, In, Cs, model1, model3", [
    ("A", 500, 200, 5855.04, 4513.02),
    ("B", 550, 300, 6190.54, 4177.52),
])
def test_clv_customer_a_b_exercise(customer, In, Cs, model1, model3):
    res = clv.simulate(In=In, Cs=Cs)
    assert (res.model1, res.model3) == (pytest.approx(model1, abs=MONEY), pytest.approx(model3, abs=MONEY))


def test_clv_comparison_carries_both_customers():
    a, b = clv.simulate(In=500, Cs=200, In_b=550, Cs_b=300).customers
    assert (a.label, a.model1, a.model3) == ("客户 A", pytest.approx(5855.04, abs=MONEY),
                                             pytest.approx(4513.02, abs=MONEY))
    assert (b.label, b.model1, b.model3) == ("客户 B", pytest.approx(6190.54, abs=MONEY),
                                             pytest.approx(4177.52, abs=MONEY))


def test_clv_retention_one_year_by_hand():
    # One year, margin 1080 at the end of the year, kept with probability 50%, discounted at 8%: 540 / 1.08 = 500.
    res = clv.simulate(n=1, Co=0, Po=0, In=1080, Cs=0, r=8, p=50)
    assert res.model_retention == pytest.approx(500)


def test_clv_retention_ten_years_is_a_geometric_sum():
    q = 0.8 / 1.08
    expected = 2500 + 900 * q * (1 - q ** 10) / (1 - q)
    assert clv.simulate(p=80).model_retention == pytest.approx(expected)


def test_clv_full_retention_equals_model_three():
    res = clv.simulate(p=100)
    assert res.model_retention == pytest.approx(res.model3)


def test_clv_infinite_horizon_margin_multiple():
    res = clv.simulate(r=8, p=80)
    assert res.margin_multiple == pytest.approx(0.8 / 0.28)
    assert res.infinite_horizon == pytest.approx(2500 + 900 * 0.8 / 0.28)


def test_clv_infinite_horizon_diverges_without_churn_or_discount():
    res = clv.simulate(p=100, discount="off")
    assert (res.margin_multiple, res.infinite_horizon) == (None, None)


def test_clv_start_of_year_timing_is_an_annuity_due():
    end, begin = clv.simulate(timing="end"), clv.simulate(timing="begin")
    assert begin.annuity_factor == pytest.approx(end.annuity_factor * 1.08)
    assert begin.yearly[0].discount_factor == 1


def test_clv_without_discounting_adds_the_years_up():
    res = clv.simulate(discount="off")
    assert (res.model1, res.model3, res.annuity_factor) == (2500 + 10000, 2500 + 9000, 10)


def test_clv_zero_rate_is_not_a_division_by_zero():
    assert clv.simulate(r=0).annuity_factor == pytest.approx(10)


@pytest.mark.parametrize("params, year", [
    ({}, 0),                                                  # Po ≥ Co: paid back at once
    ({"Co": 4000, "Po": 1000, "In": 1000, "Cs": 100}, 5),      # 900 × (P/A, 8%, 5) = 3593 ≥ 3000
    ({"Co": 4000, "Po": 1000, "In": 100, "Cs": 100}, None),    # nothing left each year
])
def test_clv_break_even_year(params, year):
    assert clv.simulate(**params).break_even_year == year


def test_clv_sensitivity_curves_pass_through_the_current_point():
    res = clv.simulate(n=10, r=8)
    assert res.sensitivity_r.model3[8] == pytest.approx(res.model3)
    assert res.sensitivity_n.model1[9] == pytest.approx(res.model1)
    assert len(res.sensitivity_r.x) == 31 and len(res.sensitivity_n.x) == 30


def test_clv_summary_shows_the_required_numbers():
    texts = {s.key: s.text for s in clv.summary(clv.simulate())}
    assert (texts["model1"], texts["model3"]) == ("9,210.08", "8,539.07")


# --- 客户生命周期 ---------------------------------------------------------------------------------

def test_lifecycle_cohort_counts_sum_to_n_every_month():
    res = lifecycle.simulate(N=1000, months=36)
    totals = {sum(stage[m] for stage in res.counts) + res.churned[m] for m in res.months}
    assert totals == {1000}


def test_lifecycle_cohort_starts_in_the_exploration_stage():
    res = lifecycle.simulate(N=500)
    assert [stage[0] for stage in res.counts] == [500, 0, 0, 0]


def test_lifecycle_same_seed_same_run_other_seed_other_run():
    assert lifecycle.simulate(seed=7) == lifecycle.simulate(seed=7)
    assert lifecycle.simulate(seed=7).counts != lifecycle.simulate(seed=8).counts


def test_lifecycle_nobody_moves_without_transitions():
    res = lifecycle.simulate(N=200, adv1=0, churn1=0)
    assert res.counts[0][-1] == 200 and res.churned[-1] == 0


def test_lifecycle_full_churn_empties_the_cohort_in_one_month():
    res = lifecycle.simulate(N=200, churn1=100)
    assert (res.churned[1], [stage[1] for stage in res.counts]) == (200, [0, 0, 0, 0])


def test_lifecycle_stage_profit_is_customer_months_times_margin():
    res = lifecycle.simulate()
    for totals, stage in zip(res.stages, lifecycle.STAGES):
        assert totals.profit == totals.customer_months * (stage.revenue - stage.cost)
    assert res.total_profit == sum(s.profit for s in res.stages)


@pytest.mark.parametrize("preset, pattern", [(label, label) for label, _ in lifecycle.PRESETS])
def test_lifecycle_presets_show_the_four_patterns(preset, pattern):
    values = dict(defaults(lifecycle.PARAMS), **dict(lifecycle.PRESETS)[preset])
    assert lifecycle.simulate(**values).pattern == pattern


def test_lifecycle_curve_passes_through_the_stage_levels():
    xs, time, level, volume = lifecycle.curve(3, 6, 24, 6, 30, 90)
    assert xs.tolist() == [0, 3, 9, 33, 39]
    points = dict(zip(time.round(6).tolist(), level.tolist()))
    assert (points[0.0], points[39.0]) == (0, 0)
    assert max(level) == 90 and max(volume) == pytest.approx(81)


# --- 客户满意度 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, verdict", [(8, 9, "很满意"), (9, 7.2, "不满意"), (7, 7, "满意")])
def test_satisfaction_verdict_from_gap_and_ratio(a, b, verdict):
    res = satisfaction.simulate(a=a, b=b)
    assert (res.verdict, res.difference, res.ratio) == (verdict, pytest.approx(b - a), pytest.approx(b / a))


def test_satisfaction_chapter_example_ratio():
    assert satisfaction.simulate(a=8, b=9).ratio == 1.125
    assert satisfaction.simulate(a=9, b=7.2).ratio == pytest.approx(0.8)


def test_nps_of_the_chapter_survey():
    assert satisfaction.nps(satisfaction.NPS_EXAMPLE) == (90, 70, 40, 25.0)


@pytest.mark.parametrize("counts, score", [
    ((0,) * 10 + (5,), 100.0),          # all promoters
    ((5,) + (0,) * 10, -100.0),         # all detractors
    ((0,) * 7 + (3, 3, 0, 0), 0.0),     # passives count in the total only
    ((0,) * 11, None),                  # nobody answered
])
def test_nps_known_distributions(counts, score):
    assert satisfaction.nps(counts)[3] == score


@pytest.mark.parametrize("kind, x, value", [
    ("basic", 0, -1), ("basic", 1, 0), ("performance", 0, -1), ("performance", 0.5, 0), ("performance", 1, 1),
    ("excitement", 0, 0), ("excitement", 1, 1),
])
def test_kano_curves_at_their_ends(kind, x, value):
    assert satisfaction.kano(kind, x) == value


def test_loyalty_in_competitive_markets_needs_complete_satisfaction():
    assert (satisfaction.loyalty(5, True), satisfaction.loyalty(1, True)) == (100, 0)
    assert satisfaction.loyalty(1, False) > satisfaction.loyalty(4, True)


# --- RFM --------------------------------------------------------------------------------------------

# The chapter's worked example (7.4): customer → (R, F, M, composite score, segment).
CHAPTER_SCORES = {
    "A": (5, 5, 5, 5.0, "重要价值客户"), "B": (2, 5, 5, 4.1, "重要保持客户"), "C": (5, 2, 4, 3.7, "重要发展客户"),
    "D": (1, 2, 4, 2.5, "重要挽留客户"), "E": (4, 4, 3, 3.6, "一般价值客户"), "F": (4, 1, 2, 2.3, "一般发展客户"),
    "G": (3, 4, 3, 3.3, "一般保持客户"), "H": (3, 3, 2, 2.6, "一般挽留客户"), "I": (2, 1, 1, 1.3, "一般挽留客户"),
    "J": (1, 3, 1, 1.6, "一般挽留客户"),
}


def test_rfm_quintiles_of_the_chapter_example():
    res = rfm.simulate(data="textbook")
    assert {c.id: (c.r, c.f, c.m, c.score, c.segment) for c in res.customers} == CHAPTER_SCORES


def test_rfm_ties_share_a_score():
    # The four 1s fill the bottom 40% and all score 1; the 20/40/60/80% cut points are 1, 1.6, 3.4 and 5.2.
    scores, cuts = ranking.quintile_scores([1, 1, 1, 1, 2, 3, 4, 5, 6, 7])
    assert (scores.tolist(), cuts.round(2).tolist()) == ([1, 1, 1, 1, 3, 3, 4, 4, 5, 5], [1.0, 1.6, 3.4, 5.2])


def test_rfm_recency_scores_run_the_other_way():
    scores, _ = ranking.quintile_scores([10, 20, 30, 40, 50], higher_is_better=False)
    assert scores.tolist() == [5, 4, 3, 2, 1]


def test_abc_of_the_chapter_wholesaler_example():
    profits = np.array([40, 25, 10, 8, 5, 4, 3, 2, 2, 1], dtype=float)
    assert ranking.abc_classes(profits) == {"A": 2, "B": 2, "C": 6}


def test_customer_pyramid_uses_the_chapter_shares():
    res = rfm.simulate(N=100)
    assert [lv.customers for lv in res.levels] == [1, 4, 15, 80]
    assert sum(lv.revenue_share for lv in res.levels) == pytest.approx(1)


def test_rfm_retention_is_one_minus_churn_every_month():
    res = rfm.simulate()
    assert all(p.retention_rate == pytest.approx(1 - p.churn_rate) for p in res.periods)
    assert [p.at_start for p in res.periods][0] == 300
    assert all(a.at_start - a.churned == b.at_start for a, b in zip(res.periods, res.periods[1:]))


def test_rfm_without_churn_keeps_everyone():
    assert {p.retention_rate for p in rfm.simulate(churn=0).periods} == {1.0}


def test_rfm_generated_data_is_reproducible_and_complete():
    res = rfm.simulate(N=200, seed=3)
    assert res == rfm.simulate(N=200, seed=3)
    assert len(res.customers) == 200 and min(c.frequency for c in res.customers) >= 1
    assert sum(s.customers for s in res.segments) == 200
    assert sum(res.abc_counts.values()) == 200


def test_rfm_concentration_follows_the_spread():
    assert rfm.simulate(spread=1.8).top20_share > rfm.simulate(spread=0.3).top20_share
