from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecast.schema import Indicator, Target
from forecast.targets import feasibility as fz

RATE = Indicator(id="r", unit="%", direction="higher", lower=0, upper=100)
PM = Indicator(id="p", unit="µg/m³", direction="lower", lower=0)
HIST = pd.Series([80.0, 85.0, 90.0], index=[2014, 2015, 2016])


def target(**kw):
    base = dict(id="t", comparator=">=", value=95, year=2020)
    return Target(**(base | kw))


def test_rules_for_each_comparator():
    assert fz.rule_for(target(), RATE, HIST, 2017) == fz.Rule(">=", 95, (2020,))
    assert fz.rule_for(target(comparator="<="), RATE, HIST, 2017).sense == "<="
    assert fz.rule_for(target(comparator="=="), RATE, HIST, 2017).sense == ">="
    assert fz.rule_for(target(comparator="==", value=30), PM, HIST, 2017).sense == "<="
    assert fz.rule_for(target(comparator="maintain>="), RATE, HIST, 2017).years == (2017, 2018, 2019, 2020)
    reduce = fz.rule_for(target(comparator="reduce_by_pct", value=10, base_year=2015), PM, HIST, 2017)
    assert reduce.sense == "<=" and reduce.threshold == pytest.approx(76.5)
    grow = fz.rule_for(target(comparator="increase_by_pct", value=10, base_year=2014), RATE, HIST, 2017)
    assert grow.sense == ">=" and grow.threshold == pytest.approx(88.0)
    with pytest.raises(LookupError, match="base year 2010 is not in the data"):
        fz.rule_for(target(comparator="reduce_by_pct", value=10, base_year=2010), PM, HIST, 2017)


def test_plan_file_aliases():
    assert target(comparator=">").comparator.value == ">="
    assert target(comparator="decline>=", value=18, base_year=2015).comparator.value == "reduce_by_pct"
    with pytest.raises(ValueError, match="needs a numeric value"):
        target(value=None)


@pytest.mark.parametrize(
    "p, key",
    [
        (0.95, "very_likely"),
        (0.9, "very_likely"),
        (0.7, "likely"),
        (0.5, "about_even"),
        (0.2, "unlikely"),
        (0.05, "very_unlikely"),
    ],
)
def test_likelihood_bands(p, key):
    assert fz.band(p) == key


def test_official_category_matches_hand_computation():
    # base 80 (2014) -> 90 (2016): CAGR 6.07%; to reach 95 by 2020 from 80 needs 2.91%/yr: R > 0.95.
    rule = fz.Rule(">=", 95, (2020,))
    out = fz.official_category(HIST, rule, 2020, base_year=2014)
    assert out["category"] == "on_track"
    assert out["observed_cagr"] == pytest.approx((90 / 80) ** 0.5 - 1)
    assert out["required_cagr"] == pytest.approx((95 / 80) ** (1 / 6) - 1)
    worse = pd.Series([90.0, 88.0], index=[2015, 2016])
    assert fz.official_category(worse, rule, 2020, None)["category"] == "deterioration"
    slow = pd.Series([80.0, 80.5], index=[2015, 2016])
    assert fz.official_category(slow, rule, 2020, None)["category"] == "limited_progress"
    assert fz.official_category(HIST, fz.Rule(">=", 85, (2020,)), 2020, None)["category"] == "achieved"


def test_assess_counts_paths():
    values = np.linspace(90, 100, 1001)[:, None]  # a target-year value per path
    out = fz.assess(target(), fz.Rule(">=", 95, (2020,)), HIST, values, None, {}, [])
    assert out.probability == pytest.approx(0.5, abs=0.002)
    assert out.status is fz.Status.forecast
    assert out.median == pytest.approx(95)
    assert out.interval80 == pytest.approx((91, 99))
    assert out.required_change == pytest.approx((95 / 90) ** 0.25 - 1)


def test_maintain_needs_every_year():
    values = np.array([[96, 94, 97], [96, 96, 96]], dtype=float)
    out = fz.assess(target(comparator="maintain>="), fz.Rule(">=", 95, (2018, 2019, 2020)), HIST, values, None, {}, [])
    assert out.probability == 0.5


def test_observed_target_year_is_compared_not_forecast():
    hist = pd.Series([80.0, 85.0, 96.0], index=[2018, 2019, 2020])
    out = fz.assess_observed(target(), fz.Rule(">=", 95, (2020,)), hist)
    assert out.status is fz.Status.observed and out.actual_met is True and out.probability is None


@given(st.floats(50, 100), st.floats(50, 100))
def test_probability_is_monotone_in_the_threshold(a, b):
    values = np.random.default_rng(0).normal(90, 5, size=(500, 1))
    lo, hi = sorted((a, b))
    p_lo = fz.assess(target(value=lo), fz.Rule(">=", lo, (2020,)), HIST, values, None, {}, []).probability
    p_hi = fz.assess(target(value=hi), fz.Rule(">=", hi, (2020,)), HIST, values, None, {}, []).probability
    assert p_lo >= p_hi


def test_probability_wording_never_claims_certainty():
    assert fz.format_probability(0.0) == "<1%"
    assert fz.format_probability(1.0) == ">99%"
    assert fz.format_probability(0.42) == "42%"
    assert fz.format_probability(0.996) == ">99%" and fz.format_probability(0.004) == "<1%"
