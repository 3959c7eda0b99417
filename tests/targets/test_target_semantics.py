"""Every target type is a statement about simulated paths; these properties must hold for any paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from forecast.schema import Indicator, Plan, Target
from forecast.targets import feasibility as fz
from forecast.units import UnitError

RATE = Indicator(id="rate", unit="%", direction="higher", lower=0, upper=100)
PM = Indicator(id="pm", unit="µg/m³", direction="lower", lower=0)
HIST = pd.Series([80.0, 85.0, 90.0], index=[2014, 2015, 2016])
YEARS = (2017, 2018, 2019, 2020)

# (n_paths, years 2017..2020) of plausible rate values
paths = arrays(np.float64, st.tuples(st.integers(1, 40), st.just(len(YEARS))), elements=st.floats(0, 100))
levels = st.floats(1, 99)


def target(**kw) -> Target:
    return Target(**(dict(id="t", comparator=">=", value=95, year=2020) | kw))


def p_met(t: Target, indicator: Indicator, values: np.ndarray, history: pd.Series = HIST) -> float:
    """What a run computes: the rule on annual values, counted over paths."""
    rule = fz.rule_for(fz.in_series_unit(t, indicator), indicator, history, first_year=YEARS[0])
    columns = [YEARS.index(y) for y in rule.years]
    return float(np.mean(np.all(rule.holds(values[:, columns]), axis=1)))


@given(paths, levels)
def test_maintain_is_never_more_likely_than_reaching_by_the_target_year(values, v):
    reach = p_met(target(value=v), RATE, values)
    assert p_met(target(comparator="maintain>=", value=v), RATE, values) <= reach
    assert p_met(target(comparator="maintain<=", value=v), RATE, values) <= p_met(
        target(comparator="<=", value=v), RATE, values
    )


@given(paths, levels, st.floats(0, 10))
def test_about_is_reaching_the_value_give_or_take_the_tolerance(values, v, tol):
    about = p_met(target(comparator="about", value=v, tolerance=tol), RATE, values)
    assert about >= p_met(target(value=v), RATE, values)  # 左右 never makes a target harder
    assert about == p_met(target(value=v - tol), RATE, values)
    # lower-is-better: the band opens upwards
    pm = p_met(target(comparator="about", value=v, tolerance=tol), PM, values)
    assert pm == p_met(target(comparator="<=", value=v + tol), PM, values)


@given(paths, levels, st.floats(0, 10), st.floats(0, 10))
def test_a_wider_about_band_is_never_less_likely(values, v, a, b):
    narrow, wide = sorted((a, b))
    assert p_met(target(comparator="about", value=v, tolerance=narrow), RATE, values) <= p_met(
        target(comparator="about", value=v, tolerance=wide), RATE, values
    )


def test_about_default_tolerance_is_two_percent_of_the_value():
    rule = fz.rule_for(target(comparator="about", value=50), RATE, HIST, 2017)
    assert rule.sense == ">=" and rule.threshold == pytest.approx(49.0)


@given(paths, st.floats(-5, 15), st.sampled_from([2014, 2015, 2016]))
def test_average_growth_is_compound_growth_from_the_base_year(values, p, base_year):
    n = 2020 - base_year
    compound = ((1 + p / 100) ** n - 1) * 100
    growth = p_met(target(comparator="avg_growth>=", value=p, base_year=base_year), RATE, values)
    assert growth == p_met(target(comparator="increase_by_pct", value=compound, base_year=base_year), RATE, values)


@given(paths, st.floats(0, 99), st.floats(0, 99))
def test_a_deeper_cut_is_never_more_likely(values, a, b):
    small, big = sorted((a, b))
    p_small = p_met(target(comparator="reduce_by_pct", value=small, base_year=2015), PM, values)
    assert p_met(target(comparator="reduce_by_pct", value=big, base_year=2015), PM, values) <= p_small


@given(paths, st.floats(0, 99), st.floats(1, 500))
def test_a_stated_base_value_stands_in_only_when_the_data_lacks_the_base_year(values, cut, stated):
    t = target(comparator="reduce_by_pct", value=cut, base_year=2010, base_value=stated)
    assert fz.rule_for(t, PM, HIST, 2017).threshold == pytest.approx(stated * (1 - cut / 100))
    observed = target(comparator="reduce_by_pct", value=cut, base_year=2015, base_value=stated)
    assert fz.rule_for(observed, PM, HIST, 2017).threshold == pytest.approx(85 * (1 - cut / 100))


def test_missing_base_year_is_a_clear_error():
    with pytest.raises(LookupError, match=r"base year 2010 is not in the data \(years observed: 2014–2016\)"):
        fz.rule_for(target(comparator="increase_by_pct", value=5, base_year=2010), RATE, HIST, 2017)
    with pytest.raises(LookupError, match="names no base year"):
        fz.rule_for(target(comparator="avg_growth>=", value=5), RATE, HIST, 2017)


@given(paths, st.floats(10, 990))
def test_a_target_in_permille_is_converted_to_a_series_in_percent(values, permille):
    in_permille = p_met(target(value=permille, unit="‰"), RATE, values)
    assert in_permille == p_met(target(value=permille / 10, unit="%"), RATE, values)


@pytest.mark.parametrize(
    "a, b, k",
    [
        ("‰", "%", 0.1),
        ("％", "%", 1.0),
        ("μg/m3", "µg/m³", 1.0),
        ("mg/m³", "微克/立方米", 1000.0),
        ("亿元", "万元", 1e4),
        ("分", "%", 1.0),
        ("", "亿元", 1.0),
        ("件", "个", 1.0),
        ("万人", "人", 1e4),
        ("人次", "人", 1.0),
        ("万吨", "吨", 1e4),
        ("mg/L", "mg/l", 1.0),
        ("公顷", "亩", 15.0),
        ("Foo/L", "foo/l", 1.0),
    ],
)
def test_unit_factors(a, b, k):
    from forecast.units import factor

    assert factor(a, b) == pytest.approx(k)


@pytest.mark.parametrize(
    "a, b", [("µg/m³", "%"), ("亿元", "个"), ("%", "天"), ("furlongs", "%"), ("mg/L", "mg/m³"), ("百分点", "%")]
)
def test_incompatible_units_are_refused_with_both_names(a, b):
    with pytest.raises(UnitError, match="not convertible|cannot be compared"):
        fz.in_series_unit(target(unit=a, value=5), Indicator(id="x", unit=b, direction="higher"))


def test_relative_targets_keep_their_percentage():
    t = target(comparator="reduce_by_pct", value=15.2, unit="%", base_year=2015)
    assert fz.in_series_unit(t, PM) is t
    stated = target(comparator="reduce_by_pct", value=10, unit="%", base_year=2010, base_value=60)
    assert fz.rule_for(fz.in_series_unit(stated, PM), PM, HIST, 2017).threshold == pytest.approx(54)


def test_a_stated_base_value_in_a_level_unit_is_converted():
    money = Indicator(id="gdp", unit="万元", direction="higher", lower=0)
    t = target(comparator="reduce_by_pct", value=10, unit="亿元", base_year=2010, base_value=1.2)
    rule = fz.rule_for(fz.in_series_unit(t, money), money, pd.Series([10500.0], index=[2016]), 2017)
    assert rule.threshold == pytest.approx(1.2e4 * 0.9)  # 1.2 亿元 = 12000 万元, cut by 10%


def test_conflicting_restatements_are_flagged_on_both():
    table = target(id="table", value=85, related=["text"])
    text = target(id="text", value=80, related="table")
    same = target(id="same", value=85, related=["table"])
    assessments = [fz.not_assessable(t, fz.Status.no_series) for t in (table, text, same)]
    fz.flag_restatements([table, text, same], assessments)
    assert fz.statement_text(assessments[0].conflicts[0]) == "text: >= 80 by 2020"
    assert assessments[1].conflicts[0]["value"] == 85
    assert assessments[2].conflicts == []  # same statement restated: no conflict


def test_a_restatement_in_another_unit_is_not_a_conflict():
    pct = target(id="pct", value=85, unit="%", related=["ratio"])
    permille = target(id="ratio", value=850, unit="‰", related=["pct"])
    assessments = [fz.not_assessable(t, fz.Status.no_series) for t in (pct, permille)]
    fz.flag_restatements([pct, permille], assessments)
    assert assessments[0].conflicts == [] and assessments[1].conflicts == []


def test_plan_targets_keep_related_links():
    plan = Plan(id="p", targets=[target(id="a", related=["b"]), target(id="b", related=["a"])])
    assert plan.targets[0].related == ["b"]


months = st.lists(st.booleans(), min_size=24, max_size=24)


@given(months, st.integers(1, 12), st.sampled_from(["mean", "last"]))
def test_annual_statistic_respects_the_validity_rule(present, needed, how):
    from forecast.ingest.series import annual

    ind = Indicator(
        id="m", unit="µg/m³", direction="lower", lower=0, frequency="M", aggregation=how, min_periods_per_year=needed
    )
    index = pd.period_range("2019-01", periods=24, freq="M")
    y = pd.Series(np.arange(24, dtype=float) + 1, index=index)[present]
    out = annual(y, ind)
    for year in (2019, 2020):
        in_year = y[[p.year == year for p in y.index]]
        assert (year in out.index) == (len(in_year) >= needed)
        if year in out.index:
            assert out[year] == pytest.approx(in_year.mean() if how == "mean" else in_year.iloc[-1])


def test_a_validity_rule_must_fit_the_frequency():
    with pytest.raises(ValueError, match="exceeds the 12 periods"):
        Indicator(id="m", direction="lower", frequency="M", min_periods_per_year=13)
    with pytest.raises(ValueError, match="annual sum needs every period"):
        Indicator(id="m", direction="lower", frequency="M", aggregation="sum", min_periods_per_year=11)


def test_replayed_maintain_target_is_judged_on_every_year_it_covers():
    rule = fz.Rule(">=", 95, (2018, 2019, 2020))
    blank = lambda: fz.not_assessable(target(), fz.Status.forecast)  # noqa: E731
    dipped = fz.with_outcome(
        blank(), target(comparator="maintain>="), rule, pd.Series({2018: 96.0, 2019: 94.0, 2020: 97.0})
    )
    assert (dipped.actual, dipped.actual_met) == (97.0, False)  # the 2019 dip breaks "保持"
    held = fz.with_outcome(
        blank(), target(comparator="maintain>="), rule, pd.Series({2018: 96.0, 2019: 95.0, 2020: 97.0})
    )
    assert held.actual_met is True
    unknown = fz.with_outcome(blank(), target(comparator="maintain>="), rule, pd.Series({2018: 96.0, 2020: 97.0}))
    assert unknown.actual is None  # a year is missing: not judged


@given(st.floats(0, 1))
def test_a_forecast_is_at_risk_exactly_when_less_than_likely(p):
    result = {"status": "forecast", "probability": p, "band": fz.band(p)}
    assert fz.at_risk(result) == (p < 0.66)
    assert sum(fz.tally([result]).values()) == 1


def test_observed_targets_count_as_met_or_missed():
    results = [
        {"status": "observed", "actual_met": True},
        {"status": "observed", "actual_met": False},
        {"status": "no_series", "probability": None},
    ]
    counts = fz.tally(results)
    assert (counts["observed_met"], counts["observed_missed"], counts["not_assessed"]) == (1, 1, 1)
    assert [fz.at_risk(r) for r in results] == [False, True, False]
