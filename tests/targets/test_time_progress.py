"""时序进度 (time-elapsed progress): the planners' own convention, beside the probability."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecast.schema import Indicator, Target
from forecast.targets.feasibility import rules
from forecast.targets.feasibility.progress import time_progress

ORDER = {"behind": 0, "on_schedule": 1, "ahead": 2}
values = st.floats(min_value=1, max_value=1000, allow_nan=False)
years = st.tuples(st.integers(2000, 2030), st.integers(1, 10), st.integers(1, 10)).map(
    lambda t: (t[0], t[0] + t[1], t[0] + t[1] + t[2])
)  # base < latest < target


@given(values, values, values, values, st.sampled_from([">=", "<="]), years)
def test_monotone_in_the_latest_value(base, threshold, a, b, sense, ys):
    base_year, latest_year, target_year = ys
    lo, hi = sorted((a, b))
    worse, better = (lo, hi) if sense == ">=" else (hi, lo)
    cat = [
        time_progress(base, v, threshold, sense, base_year, latest_year, target_year)["category"]
        for v in (worse, better)
    ]
    assert ORDER[cat[0]] <= ORDER[cat[1]]


@given(values, values, values, st.sampled_from([">=", "<="]), years, st.booleans())
def test_on_schedule_or_better_exactly_when_progress_keeps_up_with_time(base, threshold, latest, sense, ys, maintain):
    base_year, latest_year, target_year = ys
    d = time_progress(base, latest, threshold, sense, base_year, latest_year, target_year, maintain)
    elapsed = (latest_year - base_year) / (target_year - base_year)
    assert d["elapsed"] == elapsed
    assert (d["category"] != "behind") == (d["progress"] >= elapsed)
    meets = latest >= threshold if sense == ">=" else latest <= threshold
    # ahead: the target level is reached before its year (a maintain target is on schedule while it holds)
    assert (d["category"] in ("ahead", "on_schedule") if maintain else d["category"] == "ahead") == meets
    assert not (maintain and d["category"] == "ahead")


def test_both_directions_by_hand():
    # Raise 80 -> 90 over 2015-2020: 2018 is 60% of the time. 86 is 60% of the way: on schedule; 85 is behind.
    d = time_progress(80, 86, 90, ">=", 2015, 2018, 2020)
    assert d["category"] == "on_schedule" and d["progress"] == pytest.approx(0.6) and d["elapsed"] == pytest.approx(0.6)
    assert time_progress(80, 85, 90, ">=", 2015, 2018, 2020)["category"] == "behind"
    assert time_progress(80, 91, 90, ">=", 2015, 2018, 2020)["category"] == "ahead"
    # Cut 60 -> 40 µg/m³: 48 in 2018 is 60% of the way down at 60% of the time; 50 is behind.
    assert time_progress(60, 48, 40, "<=", 2015, 2018, 2020)["category"] == "on_schedule"
    assert time_progress(60, 50, 40, "<=", 2015, 2018, 2020)["category"] == "behind"
    assert time_progress(60, 39, 40, "<=", 2015, 2018, 2020)["category"] == "ahead"


@given(
    st.floats(min_value=1, max_value=50), st.floats(min_value=10, max_value=200), st.floats(min_value=0, max_value=1)
)
def test_reduce_by_targets_measure_the_way_to_the_level_they_imply(cut, base, share):
    ind = Indicator(id="x", unit="t", direction="lower")
    target = Target(id="t", comparator="reduce_by_pct", value=cut, unit="%", year=2020, base_year=2015)
    rule = rules.rule_for(target, ind, pd.Series({2015: base, 2018: base}), first_year=2019)
    latest = base - share * (base - rule.threshold)  # `share` of the way from the base to the implied level
    d = time_progress(base, latest, rule.threshold, rule.sense, 2015, 2018, 2020)
    assert abs(d["progress"] - share) < 1e-9
    assert (d["category"] == "behind") == (d["progress"] < 0.6)


def test_maintain_targets_are_on_schedule_while_they_hold():
    assert time_progress(91, 92, 90, ">=", 2015, 2018, 2020, maintain=True)["category"] == "on_schedule"
    assert time_progress(91, 89, 90, ">=", 2015, 2018, 2020, maintain=True)["category"] == "behind"


def test_no_time_elapsed_or_no_base_is_not_computable():
    assert time_progress(None, 5, 10, ">=", 2015, 2018, 2020)["category"] == "not_computable"
    assert time_progress(1, 5, 10, ">=", 2018, 2018, 2020)["category"] == "not_computable"
