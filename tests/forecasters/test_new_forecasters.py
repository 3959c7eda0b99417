"""Theta, AutoARIMA and SeasonalNaive: what each model specifically promises (the shared contract is
in test_contract.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import ForecasterError
from forecast.forecasters.arima import AutoARIMA
from forecast.forecasters.snaive import SeasonalNaive
from forecast.forecasters.theta import Theta
from tests.conftest import yearly

NEW_MODELS = (Theta, AutoARIMA, SeasonalNaive)  # the shared contract runs for them in test_contract.py


def monthly(values, start="2010-01") -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.period_range(start, periods=len(values), freq="M"))


def _seasonal_walk(n, seed, level=50.0, amplitude=10.0, drift=0.1):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return monthly(level + amplitude * np.sin(2 * np.pi * t / 12) + np.cumsum(rng.normal(drift, 1.0, n)))


# -- Theta ----------------------------------------------------------------------------------------
def _theta_model_forecast(y: pd.Series, h: int, **kwargs) -> np.ndarray:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ThetaModel(y.to_numpy(), **kwargs).fit().forecast(h, theta=2).to_numpy()


THETA_CASES = {
    "yearly": (yearly(10 + np.cumsum(np.random.default_rng(0).normal(0.5, 1, 20))), {"deseasonalize": False}),
    "monthly-multiplicative": (_seasonal_walk(120, 1), {"period": 12, "method": "multiplicative"}),
    "monthly-additive": (_seasonal_walk(120, 2, level=-5.0), {"period": 12, "method": "additive"}),
}


@pytest.mark.parametrize("case", list(THETA_CASES))
def test_theta_point_forecast_is_theta_models(case):
    y, kwargs = THETA_CASES[case]
    model = Theta().fit(y)
    np.testing.assert_allclose(model.point_forecast(24), _theta_model_forecast(y, 24, **kwargs), rtol=1e-10)
    assert model.multiplicative_ == (kwargs.get("method") == "multiplicative")


@pytest.mark.parametrize("case", list(THETA_CASES))
def test_theta_paths_are_centred_on_theta_models_forecast(case):
    y, kwargs = THETA_CASES[case]
    model = Theta().fit(y)
    paths = model.sample_paths(24, 20000, np.random.default_rng(11))
    expected = _theta_model_forecast(y, 24, **kwargs)
    spread = np.quantile(paths, 0.75, axis=0) - np.quantile(paths, 0.25, axis=0)
    # Monte Carlo error of a median from 20000 draws is about 1% of the interquartile range
    assert np.all(np.abs(np.median(paths, axis=0) - expected) < 0.05 * spread)


def test_theta_sigma_is_the_one_step_error_and_spread_grows_like_ses():
    y, _ = THETA_CASES["yearly"]
    model = Theta().fit(y)
    assert model.sigma_ > 0 and len(model.residuals_) == len(y) - 1
    paths = model.sample_paths(10, 20000, np.random.default_rng(2))
    sd = paths.std(axis=0)
    # Var(y_{T+k}) = sigma^2 (1 + (k-1) alpha^2) up to the Student-t inflation shared by all k
    ratio = (sd[-1] / sd[0]) ** 2
    np.testing.assert_allclose(ratio, 1 + 9 * model.alpha_**2, rtol=0.08)


def test_theta_short_sub_annual_series_is_not_deseasonalised():
    y = _seasonal_walk(20, 3)  # fewer than two full seasons
    model = Theta().fit(y)
    assert model.season_ is None
    assert model.sample_paths(6, 100, np.random.default_rng(0)).shape == (100, 6)


# -- AutoARIMA --------------------------------------------------------------------------------------
def test_auto_arima_random_walk_with_drift_gets_d1_and_drift():
    rng = np.random.default_rng(0)
    model = AutoARIMA().fit(yearly(100 + np.cumsum(rng.normal(2.0, 1.0, 40)), start=1981))
    assert model.order_[1] == 1
    assert model.trend_ == "c"  # constant of the differenced series: the drift
    assert model.seasonal_order_ == (0, 0, 0, 0)


def test_auto_arima_white_noise_around_a_level_gets_d0():
    rng = np.random.default_rng(0)
    model = AutoARIMA().fit(yearly(50 + rng.normal(0, 1.0, 40), start=1981))
    assert model.order_[1] == 0
    assert model.trend_ in ("c", "ct")
    paths = model.sample_paths(5, 4000, np.random.default_rng(1))
    assert abs(np.median(paths[:, -1]) - 50) < 1


def test_auto_arima_respects_order_limits():
    rng = np.random.default_rng(4)
    y = yearly(np.cumsum(rng.normal(0, 1, 30)) + 0.5 * rng.normal(size=30))
    model = AutoARIMA(max_p=0, max_q=0, max_d=0).fit(y)
    assert model.order_ == (0, 0, 0)
    full = AutoARIMA().fit(y)
    assert full.order_[0] + full.order_[2] <= 2


def test_auto_arima_seasonal_differencing_for_a_strong_season():
    model = AutoARIMA().fit(_seasonal_walk(120, 5))
    assert model.seasonal_order_ == (0, 1, 0, 12)
    assert model.order_[1] <= 1  # d + D <= 2


def test_auto_arima_paths_centre_on_the_forecast():
    rng = np.random.default_rng(0)
    model = AutoARIMA().fit(yearly(100 + np.cumsum(rng.normal(2.0, 1.0, 40)), start=1981))
    paths = model.sample_paths(6, 4000, np.random.default_rng(3))
    expected = np.asarray(model.result_.forecast(6))
    spread = np.quantile(paths, 0.75, axis=0) - np.quantile(paths, 0.25, axis=0)
    assert np.all(np.abs(np.median(paths, axis=0) - expected) < 0.1 * spread)


# -- SeasonalNaive ----------------------------------------------------------------------------------
def test_snaive_repeats_the_last_season():
    y = _seasonal_walk(36, 6)
    model = SeasonalNaive().fit(y)
    paths = model.sample_paths(24, 20000, np.random.default_rng(0))
    last_season = y.to_numpy()[-12:]
    spread = np.quantile(paths, 0.75, axis=0) - np.quantile(paths, 0.25, axis=0)
    median = np.median(paths, axis=0)
    assert np.all(np.abs(median - np.tile(last_season, 2)) < 0.05 * spread)


def test_snaive_yearly_is_naive_and_spread_grows_per_season():
    y = yearly([3.0, 4.0, 3.5, 5.0, 4.2, 4.8])
    paths = SeasonalNaive().fit(y).sample_paths(4, 20000, np.random.default_rng(0))
    assert abs(np.median(paths[:, 0]) - 4.8) < 0.05
    sd = paths.std(axis=0)
    np.testing.assert_allclose(sd / sd[0], np.sqrt([1, 2, 3, 4]), rtol=0.05)

    model = SeasonalNaive().fit(_seasonal_walk(36, 7))
    monthly_sd = model.sample_paths(24, 20000, np.random.default_rng(1)).std(axis=0)
    np.testing.assert_allclose(monthly_sd[:12] / monthly_sd[0], 1, rtol=0.05)  # one season ahead
    np.testing.assert_allclose(monthly_sd[12:] / monthly_sd[0], np.sqrt(2), rtol=0.05)  # two seasons


def test_snaive_sigma_is_rms_of_seasonal_differences():
    y = _seasonal_walk(30, 8)
    model = SeasonalNaive().fit(y)
    steps = y.to_numpy()[12:] - y.to_numpy()[:-12]
    assert model.sigma_ == pytest.approx(np.sqrt(np.mean(steps**2)))
    assert model.dof_ == 18


def test_snaive_needs_a_season_plus_one_for_sub_annual_data():
    y = _seasonal_walk(13, 9)
    with pytest.raises(ForecasterError, match="at least 13"):
        SeasonalNaive().fit(y.iloc[:12])
    assert "at least 13" in SeasonalNaive().not_applicable(y.iloc[:12])  # a skip for the runners
    assert SeasonalNaive().not_applicable(y) is None
    paths = SeasonalNaive().fit(y).sample_paths(3, 10, np.random.default_rng(0))
    assert paths.shape == (10, 3)
    quarterly = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.period_range("2020Q1", periods=4, freq="Q"))
    with pytest.raises(ForecasterError, match="at least 5"):
        SeasonalNaive().fit(quarterly)


# -- all three --------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", NEW_MODELS, ids=lambda c: c.name)
def test_constant_series_forecasts_the_constant(cls):
    paths = cls().fit(yearly([5.0] * 8)).sample_paths(3, 50, np.random.default_rng(0))
    np.testing.assert_allclose(np.median(paths, axis=0), 5.0, rtol=1e-4)  # optimiser tolerance


@pytest.mark.parametrize("cls", NEW_MODELS, ids=lambda c: c.name)
def test_shortest_allowed_series_gives_finite_paths(cls):
    y = yearly([2.0, 3.5, 3.0, 4.1, 5.2, 4.9][: cls.min_obs])
    paths = cls().fit(y).sample_paths(3, 200, np.random.default_rng(0))
    assert np.isfinite(paths).all()
