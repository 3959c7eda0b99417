"""One contract, every forecaster: the promises the rest of the system relies on."""
from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import REGISTRY, Bounded, ForecasterError, build

from tests.conftest import yearly

SERIES = yearly([12.0, 13.1, 12.7, 14.2, 15.0, 15.3, 16.8, 16.1, 17.5, 18.2])
MONTHLY = pd.Series(50 + 20 * np.sin(np.arange(48) * 2 * np.pi / 12) - 0.2 * np.arange(48),
                    index=pd.period_range("2012-01", periods=48, freq="M"))


def candidates():
    for name in REGISTRY:
        if build(name).not_applicable(SERIES):
            continue  # long-series models run the same checks in tests/test_prophet_gbm.py
        yield pytest.param(lambda n=name: build(n), id=name)
        yield pytest.param(lambda n=name: Bounded(build(n), 0, 100), id=f"{name}-bounded")


@pytest.fixture(params=list(candidates()))
def make(request):
    return request.param


def test_fit_returns_self_and_keeps_hyperparameters(make):
    model = make()
    before = repr(model.get_params())
    assert model.fit(SERIES) is model
    assert repr(model.get_params()) == before


def test_fit_does_not_mutate_input(make):
    y = SERIES.copy()
    make().fit(y)
    pd.testing.assert_series_equal(y, SERIES)


def test_paths_have_shape_and_are_finite(make):
    paths = make().fit(SERIES).sample_paths(6, 300, np.random.default_rng(1))
    assert paths.shape == (300, 6)
    assert np.isfinite(paths).all()


def test_repeatable_under_a_seed(make):
    a = make().fit(SERIES).sample_paths(4, 200, np.random.default_rng(7))
    b = make().fit(SERIES).sample_paths(4, 200, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_intervals_ordered_and_spread_does_not_shrink(make):
    paths = make().fit(SERIES).sample_paths(6, 2000, np.random.default_rng(3))
    q = np.quantile(paths, [0.025, 0.1, 0.5, 0.9, 0.975], axis=0)
    assert (np.diff(q, axis=0) >= 0).all()
    width = q[-1] - q[0]
    assert width[0] > 0
    assert width[-1] > 0.95 * width[0]  # no model may grow surer further out (5% Monte Carlo slack)


def test_forecast_follows_the_trend(make):
    paths = make().fit(SERIES).sample_paths(3, 2000, np.random.default_rng(3))
    assert 16 < np.median(paths[:, 0]) < 21  # last value 18.2, rising about 0.7 a year


def test_clone_is_unfitted_with_same_params(make):
    model = make().fit(SERIES)
    twin = model.clone()
    assert repr(twin.get_params()) == repr(model.get_params())
    with pytest.raises(ForecasterError):
        twin.sample_paths(2, 10, np.random.default_rng(0))


def test_pickle_round_trip_gives_same_paths(make):
    model = make().fit(SERIES)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(model.sample_paths(3, 50, np.random.default_rng(5)),
                                  again.sample_paths(3, 50, np.random.default_rng(5)))


def test_rejects_too_short_gappy_or_missing(make):
    model = make()
    with pytest.raises(ForecasterError, match="at least"):
        model.fit(SERIES.iloc[: model.min_obs - 1])
    with pytest.raises(ForecasterError, match="gaps"):
        model.fit(SERIES.drop(SERIES.index[3]))
    with pytest.raises(ForecasterError, match="non-finite"):
        model.fit(SERIES.where(SERIES.index != SERIES.index[2]))


def test_monthly_seasonal_series(make):
    paths = make().fit(MONTHLY).sample_paths(12, 500, np.random.default_rng(0))
    median = np.median(paths, axis=0)
    # Every model here knows the season: a year ahead still swings by most of the amplitude of 40.
    assert median.max() - median.min() > 20
