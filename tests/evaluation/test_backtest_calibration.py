from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.evaluation import combine
from forecast.evaluation.backtest import backtest, origins_for
from forecast.evaluation.calibrate import SpreadCalibration, apply_to_table, fit_spread, reliability
from forecast.forecasters import LinearTrend, RandomWalkDrift
from tests.conftest import yearly


@given(st.integers(3, 40), st.integers(1, 8), st.integers(1, 5), st.integers(2, 10))
def test_origins_leave_something_to_score_and_enough_to_train(n, h, k, min_train):
    for origin in origins_for(n, h, k, min_train):
        assert min_train <= origin <= n - 1
    assert len(origins_for(n, h, k, min_train)) <= k


def test_backtest_never_touches_the_future_and_keeps_the_user_model():
    y = yearly(np.arange(20, dtype=float) ** 1.5)
    model = RandomWalkDrift()
    result = backtest({"rw": model}, {"s": y}, h=3, n_origins=2, n_paths=200)
    t = result.table
    assert not hasattr(model, "fitted_")  # fresh copies are fitted, never the caller's
    assert set(t["origin"]) == {"2025", "2026"}  # the latest origins that leave all 3 steps to score
    assert t.groupby("origin")["step"].max().tolist() == [3, 3]
    for origin, rows in t.groupby("origin"):
        train = y[: pd.Period(origin, "Y")]
        assert rows["last"].iloc[0] == train.iloc[-1]
        np.testing.assert_array_equal(rows["y"], y[pd.Period(origin, "Y") + 1 :].iloc[:3])


def test_failures_are_recorded_not_replaced():
    class Broken(RandomWalkDrift):
        name = "broken"

        def _fit(self, y):
            raise RuntimeError("boom")

    y = yearly(np.linspace(1, 10, 12))
    result = backtest({"rw": RandomWalkDrift(), "broken": Broken()}, {"s": y}, h=2, n_origins=2, n_paths=100)
    assert set(result.table["model"]) == {"rw"}
    assert len(result.failures) == 2 and result.failures["error"].str.contains("boom").all()


def _noisy_pool(seed=0, n_series=40):
    rng = np.random.default_rng(seed)
    return {f"s{i}": yearly(np.cumsum(rng.normal(0.5, 2.0, 15)) + 50) for i in range(n_series)}


class OverConfident(RandomWalkDrift):
    """The right model with a third of the right spread."""

    def _sample(self, h, n, rng):
        paths = super()._sample(h, n, rng)
        median = np.median(paths, axis=0)
        return median + (paths - median) / 3


def test_calibration_widens_too_narrow_intervals_to_nominal():
    pool = _noisy_pool()
    narrow = backtest({"rw": OverConfident()}, pool, h=3, n_origins=3, n_paths=300).table
    raw = reliability(narrow)
    cal = fit_spread(narrow, prior_points=0)
    fixed = reliability(apply_to_table(narrow, cal))
    before, after = (r.set_index("nominal")["observed"] for r in (raw, fixed))
    assert before[0.8] < 0.6 and before[0.95] < 0.8
    assert abs(after[0.8] - 0.8) < 0.06 and abs(after[0.95] - 0.95) < 0.04
    assert all(2 < f < 4.5 for f in cal.factors.values())  # about the 3 it was shrunk by


def test_forecasts_without_spread_do_not_set_the_pool_s_stretch():
    """A constant history gives a forecast with no spread: no stretch can widen it, and a few such
    rows in a pool made its 95% stretch ~10^7 (every other series' intervals with it)."""
    pool = _noisy_pool()
    narrow = backtest({"rw": OverConfident()}, pool, h=3, n_origins=3, n_paths=300).table
    constant = {f"flat{i}": yearly(np.full(15, 100.0)) for i in range(4)}
    flat = backtest({"rw": OverConfident()}, constant, h=3, n_origins=3).table
    flat["y"] = 99.0  # a constant that then moved: outside its zero-width forecast
    cal = fit_spread(narrow, prior_points=0)
    with_flat = fit_spread(pd.concat([narrow, flat], ignore_index=True), prior_points=0)
    assert all(2 < f < 4.5 for f in with_flat.factors.values())
    assert with_flat.factors == cal.factors and np.array_equal(with_flat.level_map, cal.level_map)


def test_calibration_shrinks_toward_one_with_little_evidence():
    table = backtest({"lin": LinearTrend(window=4)}, _noisy_pool(n_series=3), h=2, n_origins=1, n_paths=200).table
    strong, weak = fit_spread(table, prior_points=0), fit_spread(table, prior_points=1000)
    for step in strong.factors:
        assert abs(np.log(weak.factors[step])) < abs(np.log(strong.factors[step])) + 1e-12
        assert abs(weak.factors[step] - 1) < 0.05


@settings(max_examples=25, deadline=None)
@given(st.floats(0.3, 4.0), st.integers(1, 5))
def test_spread_scaling_keeps_the_median_and_order(factor, h):
    paths = np.random.default_rng(1).normal(size=(400, h)).cumsum(axis=1)
    out = SpreadCalibration({k: factor for k in range(1, h + 1)}).apply_paths(paths)
    np.testing.assert_allclose(np.median(out, axis=0), np.median(paths, axis=0), atol=1e-9)
    assert (np.argsort(out[:, -1]) == np.argsort(paths[:, -1])).all()


def test_weights_prefer_the_better_model_and_sum_to_one():
    pool = _noisy_pool(n_series=10)
    table = backtest(
        {"rw": RandomWalkDrift(), "lin3": LinearTrend(window=3)}, pool, h=3, n_origins=3, n_paths=200
    ).table
    w = combine.weights(table, keep_within=1.0)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert (w["rw"] >= w["lin3"]).mean() > 0.8  # a random walk is the right model here


@settings(max_examples=25, deadline=None)
@given(st.floats(0.0, 1.0))
def test_mixture_quantiles_lie_between_the_components(weight):
    levels = np.array([0.1, 0.5, 0.9])
    a = np.array([[[0.0, 1.0, 2.0]]])
    b = np.array([[[10.0, 11.0, 12.0]]])
    mixed = combine.mix_quantiles(np.concatenate([a, b]), np.array([[weight, 1 - weight]]), levels)[0]
    assert np.all(np.diff(mixed) >= 0) and mixed[0] >= 0.0 and mixed[-1] <= 12.0
    if weight == 1.0:
        np.testing.assert_allclose(mixed, [0.0, 1.0, 2.0])


def test_symmetric_level_map_keeps_the_median():
    pool = _noisy_pool()
    table = backtest({"rw": OverConfident()}, pool, h=2, n_origins=3, n_paths=200).table
    table = table.assign(y=table["y"] + 3.0)  # every outcome above the forecasts: a pure bias
    full, sym = fit_spread(table, prior_points=0), fit_spread(table, prior_points=0, symmetric=True)
    assert full.mapped(np.array([0.5]))[0] > 0.6  # the full map moves the median up to the outcomes
    assert sym.mapped(np.array([0.5]))[0] == pytest.approx(0.5, abs=1e-9)
    levels = np.array([0.1, 0.25, 0.75, 0.9])
    np.testing.assert_allclose(sym.mapped(levels) + sym.mapped(1 - levels), 1.0, atol=1e-9)


@pytest.mark.parametrize("bias", [0.0, 3.0, -6.0])
def test_symmetric_map_gives_central_intervals_their_coverage_even_under_bias(bias):
    # A pool whose outcomes sit to one side of the forecasts: the symmetric map must correct the
    # width of central intervals to what was observed, never read a shift as a narrow spread.
    pool = _noisy_pool()
    table = backtest({"rw": OverConfident()}, pool, h=2, n_origins=3, n_paths=200).table
    table = table.assign(y=table["y"] + bias)
    cal = fit_spread(table, prior_points=0, symmetric=True)
    after = reliability(apply_to_table(table, cal)).set_index("nominal")["observed"]
    for level in (0.8, 0.95):
        assert after[level] == pytest.approx(level, abs=0.05)
