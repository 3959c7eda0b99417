"""Optimised and dynamic Theta, ETS with model selection, and the ARIMA guards against explosive paths:
what each promises beyond the shared contract (test_contract.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.forecasters import ForecasterError, build
from forecast.forecasters import arima as arima_module
from forecast.forecasters.dotm import DynamicOptimisedTheta, OptimisedTheta, _trend_lines
from tests.conftest import yearly

values = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=40)


@settings(max_examples=60, deadline=None)
@given(values)
def test_dynamic_trend_line_is_the_least_squares_line_of_the_data_so_far(z):
    z = np.asarray(z)
    a, b, mean = _trend_lines(z, dynamic=True)
    for t in range(2, len(z) + 1):
        slope, intercept = np.polyfit(np.arange(1, t + 1), z[:t], 1)
        scale = 1 + np.abs(z[:t]).max()
        assert abs(b[t - 1] - slope) <= 1e-7 * scale
        assert abs(a[t - 1] - intercept) <= 1e-6 * scale * t
    assert mean == pytest.approx(z.mean(), abs=1e-9 * (1 + np.abs(z).max()))


def _sse(model, y, alpha, l0, w):
    """In-sample one-step squared errors of the paper's recursion, written out plainly."""
    a_line, b_line, _ = _trend_lines(y, model.dynamic)
    level, total = l0, 0.0
    level = alpha * y[0] + (1 - alpha) * level
    for t in range(2, len(y) + 1):
        mu = level + w * ((1 - alpha) ** (t - 1) * a_line[t - 2] + (1 - (1 - alpha) ** t) / alpha * b_line[t - 2])
        total += (y[t - 1] - mu) ** 2
        level = alpha * y[t - 1] + (1 - alpha) * level
    return total


@pytest.mark.parametrize("cls", [OptimisedTheta, DynamicOptimisedTheta], ids=lambda c: c.name)
def test_fit_is_the_in_sample_mse_optimum(cls):
    y = 10 + np.cumsum(np.random.default_rng(4).normal(0.6, 1.0, 25))
    model = cls().fit(yearly(y))
    best = _sse(model, y, model.alpha_, model.l0_, model.w_)
    assert best == pytest.approx(float(np.sum(model.residuals_**2)), rel=1e-9)
    rng = np.random.default_rng(0)
    for _ in range(200):  # no nearby admissible parameter set fits better (grid step of alpha: 0.005)
        alpha = float(np.clip(model.alpha_ + rng.normal(0, 0.05), 0.1, 0.99))
        w = float(np.clip(model.w_ + rng.normal(0, 0.1), 0, 1 - 1 / model.theta_max))
        l0 = model.l0_ + rng.normal(0, 2.0)
        assert _sse(model, y, alpha, l0, w) >= best * (1 - 1e-3)


def test_theta_stays_at_least_one_and_alpha_in_its_bounds():
    for seed in range(5):
        y = yearly(50 - np.cumsum(np.random.default_rng(seed).normal(0.5, 2.0, 15)))
        model = DynamicOptimisedTheta(alpha_min=0.2).fit(y)
        assert model.theta_ >= 1 and 0.2 <= model.alpha_ <= 0.99


@pytest.mark.parametrize("cls", [OptimisedTheta, DynamicOptimisedTheta], ids=lambda c: c.name)
def test_paths_centre_on_the_point_forecast(cls):
    y = yearly(100 + np.cumsum(np.random.default_rng(1).normal(2.0, 3.0, 30)))
    model = cls().fit(y)
    paths = model.sample_paths(6, 4000, np.random.default_rng(2))
    point = model.point_forecast(6)
    np.testing.assert_allclose(np.median(paths[:, 0]), point[0], atol=0.1 * model.sigma_)
    assert abs(np.median(paths[:, -1]) - point[-1]) < 0.5 * np.std(paths[:, -1])
    assert point[-1] > y.iloc[-1]  # a series rising 2 a year keeps rising


@pytest.mark.parametrize("name", ["dotm", "otm"])
def test_constant_series_forecasts_the_constant(name):
    paths = build(name).fit(yearly([5.0] * 8)).sample_paths(3, 50, np.random.default_rng(0))
    np.testing.assert_allclose(paths, 5.0)


def test_dotm_deseasonalises_a_seasonal_monthly_series_only():
    t = np.arange(60)
    y = pd.Series(100 + t + 20 * np.sin(2 * np.pi * t / 12), index=pd.period_range("2015-01", periods=60, freq="M"))
    assert DynamicOptimisedTheta().fit(y).season_ is not None
    flat = pd.Series(100 + t + np.random.default_rng(0).normal(0, 1, 60), index=y.index)
    assert DynamicOptimisedTheta().fit(flat).season_ is None


# -- ETS with model selection ------------------------------------------------------------------
def test_auto_ets_picks_a_trend_for_a_trending_series_and_none_for_a_flat_one():
    rng = np.random.default_rng(3)
    rising = yearly(20 + 3 * np.arange(30) + rng.normal(0, 1, 30))
    flat = yearly(20 + rng.normal(0, 1, 30))
    assert build("auto_ets").fit(rising).form_[1] == "add"
    assert build("auto_ets").fit(flat).form_[1] == "none"


def test_auto_ets_tries_no_form_with_as_many_parameters_as_points():
    y = yearly([3.0, 3.4, 3.9, 4.1, 4.8])  # 5 points: trend forms (5-6 parameters) are refused
    model = build("auto_ets").fit(y)
    assert model.form_[1] == "none"
    with pytest.raises(ForecasterError, match="no ETS form"):
        build("auto_ets", trends=("damped",)).fit(y)


def test_auto_ets_multiplicative_error_only_for_positive_series():
    y = yearly(np.linspace(-5, 5, 20) + np.random.default_rng(0).normal(0, 0.5, 20))
    assert build("auto_ets", errors=("add", "mul")).fit(y).form_[0] == "add"


# -- ARIMA never explodes ----------------------------------------------------------------------
# The first seven years of two M3 yearly series (N0061, N0103): AR(2) fitted to them lands on the
# unit circle (coefficients 0 and 1) and its paths reached 1e10 times the data's scale.
JUMPS = [
    [1346.81, 1550.15, 1751.12, 1903.71, 2192.33, 4841.33, 5432.19],
    [1283.4, 1462.2, 1492.6, 1740.6, 2159.2, 5001.8, 5326.0],
]


@pytest.mark.parametrize("values", JUMPS, ids=["N0061", "N0103"])
def test_arima_refuses_fits_on_the_unit_circle(values):
    y = yearly(values)
    model = build("auto_arima").fit(y)
    roots = np.concatenate([np.atleast_1d(model.result_.arroots), np.atleast_1d(model.result_.maroots)])
    assert roots.size == 0 or np.abs(roots).min() >= arima_module.MIN_ROOT
    paths = model.sample_paths(6, 400, np.random.default_rng(0))
    assert np.abs(paths - values[-1]).max() < 20 * np.ptp(values)


@pytest.mark.parametrize("values", JUMPS, ids=["N0061", "N0103"])
def test_arima_rejects_exploding_paths_rather_than_using_them(values, monkeypatch):
    monkeypatch.setattr(arima_module, "MIN_ROOT", 0.0)  # the root check off: the path guard must catch it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ForecasterError, match="exploded"):
            build("auto_arima").fit(yearly(values)).sample_paths(6, 400, np.random.default_rng(0))
