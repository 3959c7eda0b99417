"""Prophet and gradient-boosted lags: their own promises.

The shared contract runs for both on 60 months in test_contract.py (the table in contract.py).
Prophet tests carry the `slow` mark (deselect with -m "not slow") and skip without prophet installed.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import pickle

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import ForecasterError
from forecast.forecasters.gbm import GradientBoostingLags
from forecast.forecasters.prophet_model import ProphetForecaster
from tests.conftest import yearly
from tests.forecasters.contract import monthly

HAVE_PROPHET = importlib.util.find_spec("prophet") is not None
PROPHET = [pytest.mark.slow, pytest.mark.skipif(not HAVE_PROPHET, reason="prophet not installed")]

SERIES60 = monthly(60)


# -- Prophet -----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not HAVE_PROPHET, reason="prophet not installed")
class TestProphet:
    def test_rejects_yearly_series(self):
        with pytest.raises(ForecasterError, match="monthly or quarterly"):
            ProphetForecaster().fit(yearly(np.linspace(10, 30, 30)))

    def test_runs_on_quarterly_series(self):
        t = np.arange(24)
        y = pd.Series(20 + 0.3 * t + 2 * np.cos(np.pi * t / 2), index=pd.period_range("2015Q1", periods=24, freq="Q"))
        paths = ProphetForecaster().fit(y).sample_paths(8, 200, np.random.default_rng(0))
        assert paths.shape == (200, 8)
        median = np.median(paths, axis=0)
        assert median[0] > median[1] > median[2] < median[3]  # Q1 peak, Q3 trough, as in the history

    def test_json_round_trip_gives_same_paths(self):
        model = ProphetForecaster().fit(SERIES60)
        text = model.to_json()
        json.loads(text)  # plain JSON
        again = ProphetForecaster.from_json(text)
        assert again.last_period_ == model.last_period_ and again.get_params() == model.get_params()
        np.testing.assert_array_equal(
            model.sample_paths(6, 100, np.random.default_rng(5)), again.sample_paths(6, 100, np.random.default_rng(5))
        )

    def test_pickle_holds_json_not_the_stan_backend(self):
        model = ProphetForecaster().fit(SERIES60)
        state = model.__getstate__()
        assert isinstance(state["model_"], str)
        assert b"CmdStan" not in pickle.dumps(model)
        assert model.model_.stan_backend is not None  # pickling did not strip the live model

    def test_global_numpy_random_state_is_left_alone(self):
        model = ProphetForecaster().fit(SERIES60)
        np.random.seed(123)
        expected = np.random.random(3)
        np.random.seed(123)
        model.sample_paths(4, 50, np.random.default_rng(0))
        np.testing.assert_array_equal(np.random.random(3), expected)

    def test_quiet_and_logging_levels_restored(self, caplog):
        ProphetForecaster().fit(SERIES60)  # first import of prophet sets its own levels
        names = ("cmdstanpy", "prophet", "prophet.plot")
        before = [logging.getLogger(n).level for n in names]
        with caplog.at_level(logging.DEBUG):
            ProphetForecaster().fit(SERIES60).sample_paths(3, 10, np.random.default_rng(0))
        noisy = [
            r for r in caplog.records if r.name.startswith(("cmdstanpy", "prophet")) and r.levelno < logging.WARNING
        ]
        assert noisy == []
        assert [logging.getLogger(n).level for n in names] == before

    def test_logistic_growth_stays_under_the_cap(self):
        t = np.arange(48)
        y = pd.Series(
            100 - 40 * np.exp(-t / 12) + np.random.default_rng(1).normal(0, 0.5, 48),
            index=pd.period_range("2015-01", periods=48, freq="M"),
        ).clip(upper=100)
        model = ProphetForecaster(growth="logistic", cap=100.0, floor=0.0)
        paths = model.fit(y).sample_paths(24, 500, np.random.default_rng(2))
        assert paths.max() <= 100 and paths.min() >= 0
        assert np.median(paths[:, -1]) > y.iloc[-1] - 3
        assert model.get_params() == {"growth": "logistic", "cap": 100.0, "floor": 0.0}

    def test_logistic_configuration_errors(self):
        with pytest.raises(ValueError, match="cap"):
            ProphetForecaster(growth="logistic").fit(SERIES60)
        with pytest.raises(ValueError, match="only"):
            ProphetForecaster(cap=100.0).fit(SERIES60)
        with pytest.raises(ValueError, match="growth"):
            ProphetForecaster(growth="exponential").fit(SERIES60)
        with pytest.raises(ForecasterError, match="leaves"):
            ProphetForecaster(growth="logistic", cap=60.0).fit(SERIES60)


# -- gradient-boosted lags ---------------------------------------------------------------------
class TestGradientBoostingLags:
    def test_default_lags_and_calendar_feature(self):
        model = GradientBoostingLags().fit(SERIES60)
        assert model.lags_ == 12
        assert model.model_.n_features_in_ == 13  # 12 lagged differences + month
        quarterly = pd.Series(np.arange(40.0), index=pd.period_range("2010Q1", periods=40, freq="Q"))
        assert GradientBoostingLags().fit(quarterly).model_.n_features_in_ == 4 + 1
        yearly_model = GradientBoostingLags().fit(yearly(np.linspace(10, 30, 40)))
        assert yearly_model.lags_ == 3 and yearly_model.model_.n_features_in_ == 3

    def test_out_of_fold_residuals_are_wider_than_in_sample(self):
        model = GradientBoostingLags().fit(SERIES60)
        d = np.diff(SERIES60.to_numpy())
        X = np.lib.stride_tricks.sliding_window_view(d, 12)[:-1, ::-1]
        month = np.asarray(SERIES60.index[13:].month) - 1
        in_sample = d[12:] - model.model_.predict(np.column_stack([X, month]))
        assert model.residuals_.std() > 1.5 * in_sample.std()
        assert abs(model.residuals_.mean()) < 1e-12

    def test_one_predict_call_per_step_for_all_paths(self):
        model = GradientBoostingLags().fit(SERIES60)
        calls = []
        predict = model.model_.predict
        model.model_.predict = lambda X: calls.append(X.shape) or predict(X)
        model.sample_paths(5, 300, np.random.default_rng(0))
        assert calls == [(300, 13)] * 5

    def test_too_many_lags_for_the_series(self):
        with pytest.raises(ForecasterError, match="lags"):
            GradientBoostingLags(max_lag=30).fit(monthly(40))

    def test_flat_noise_free_series_gives_flat_paths(self):
        y = pd.Series(np.full(40, 7.0), index=pd.period_range("2010-01", periods=40, freq="M"))
        paths = GradientBoostingLags().fit(y).sample_paths(6, 20, np.random.default_rng(0))
        np.testing.assert_allclose(paths, 7.0)
