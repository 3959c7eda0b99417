"""The forecaster contract as one helper: `check_forecaster(make, case)` runs every promise the rest of
the system relies on against one test series. `make` builds a fresh, unfitted model (bare or wrapped
in `Bounded`); `case` is a `Case` from `CASES`, which also says what "following the trend" means
for its series. tests/forecasters/test_contract.py feeds it every registered model, each with its
`get_test_params()` settings and the series of `SERIES_FOR` (a table: models made for long series
get a long one).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import Bounded, Forecaster, ForecasterError
from tests.conftest import yearly

Make = Callable[[], Forecaster]


@dataclass(frozen=True)
class Case:
    series: pd.Series
    follows_trend: Callable[[Make], None]  # asserts the median forecast continues the series' trend


def _yearly_trend(make: Make) -> None:
    paths = make().fit(YEARLY).sample_paths(3, 2000, np.random.default_rng(3))
    assert 16 < np.median(paths[:, 0]) < 21  # last value 18.2, rising about 0.7 a year


def _monthly_trend(make: Make) -> None:
    # Rising 0.5 a month: next year's median sits about 6 above this year's mean.
    y = monthly(60, slope=0.5)
    paths = make().fit(y).sample_paths(12, 1000, np.random.default_rng(3))
    rise = np.median(paths, axis=0).mean() - y.iloc[-12:].mean()
    assert 3 < rise < 9


def monthly(n: int, slope: float = 0.2, start: str = "2015-01", noise: float = 1.0, seed: int = 42) -> pd.Series:
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    values = 50 + slope * t + 10 * np.sin(2 * np.pi * t / 12) + noise * rng.standard_normal(n)
    return pd.Series(values, index=pd.period_range(start, periods=n, freq="M"))


YEARLY = yearly([12.0, 13.1, 12.7, 14.2, 15.0, 15.3, 16.8, 16.1, 17.5, 18.2])
MONTHLY = pd.Series(
    50 + 20 * np.sin(np.arange(48) * 2 * np.pi / 12) - 0.2 * np.arange(48),
    index=pd.period_range("2012-01", periods=48, freq="M"),
)
CASES = {
    "yearly10": Case(YEARLY, _yearly_trend),
    "monthly60": Case(monthly(60), _monthly_trend),  # 48 to 72: inside the (0, 100) of the bounded variants
}
SERIES_FOR = {"gbm_lags": ("monthly60",), "prophet": ("monthly60",)}  # default: ("yearly10",)
BOUNDS = (0.0, 100.0)  # every test series lies inside, so the bounded variant must run too


def check_forecaster(make: Make, case: Case) -> None:
    """Every promise of the protocol, for the models `make` builds, on `case.series`."""
    y = case.series
    model = make()
    assert model.not_applicable(y) is None, f"{model.name} is not meant for its own test series"

    # fit returns the model itself and changes neither its hyperparameters nor the caller's series
    before, copy = repr(model.get_params()), y.copy()
    assert model.fit(copy) is model
    assert repr(model.get_params()) == before
    pd.testing.assert_series_equal(copy, y)

    # paths: (n, h), finite, the same under the same seed
    paths = make().fit(y).sample_paths(6, 300, np.random.default_rng(1))
    assert paths.shape == (300, 6)
    assert np.isfinite(paths).all()
    a = make().fit(y).sample_paths(4, 200, np.random.default_rng(7))
    b = make().fit(y).sample_paths(4, 200, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)

    # intervals ordered, spread never shrinking with the horizon
    paths = make().fit(y).sample_paths(6, 2000, np.random.default_rng(3))
    q = np.quantile(paths, [0.025, 0.1, 0.5, 0.9, 0.975], axis=0)
    assert (np.diff(q, axis=0) >= 0).all()
    width = q[-1] - q[0]
    assert width[0] > 0
    assert width[-1] > 0.95 * width[0]  # no model may grow surer further out (5% Monte Carlo slack)

    # a bounded wrapper keeps every path inside its bounds
    if isinstance(model, Bounded):
        lower, upper = model.lower, model.upper
        assert (lower is None or paths.min() >= lower) and (upper is None or paths.max() <= upper)

    case.follows_trend(make)

    # a clone is unfitted and has the same hyperparameters
    fitted = make().fit(y)
    twin = fitted.clone()
    assert repr(twin.get_params()) == repr(fitted.get_params())
    with pytest.raises(ForecasterError):
        twin.sample_paths(2, 10, np.random.default_rng(0))

    # persistence: a pickled fitted model gives the same paths
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(
        fitted.sample_paths(3, 50, np.random.default_rng(5)), again.sample_paths(3, 50, np.random.default_rng(5))
    )

    # refuses series too short, with gaps, or with missing values
    model = make()
    with pytest.raises(ForecasterError, match="at least"):
        model.fit(y.iloc[: model.min_obs - 1])
    with pytest.raises(ForecasterError, match="gaps"):
        model.fit(y.drop(y.index[3]))
    with pytest.raises(ForecasterError, match="non-finite"):
        model.fit(y.where(y.index != y.index[2]))

    # knows the season: a year ahead of a 48-month series still swings by most of its amplitude of 40
    # (models made for yearly series only say so, and the pipeline never gives them monthly ones)
    if make().not_applicable(MONTHLY) is None:
        paths = make().fit(MONTHLY).sample_paths(12, 500, np.random.default_rng(0))
        median = np.median(paths, axis=0)
        assert median.max() - median.min() > 20
