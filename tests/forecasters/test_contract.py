"""One contract, every forecaster: each registered model, with each of its `get_test_params()`
settings, bare and bounded, on the test series the table in contract.py gives it."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from forecast.forecasters import REGISTRY, Bounded, Forecaster, ForecasterError, ParameterError, build
from tests.forecasters.contract import BOUNDS, CASES, SERIES_FOR, YEARLY, check_forecaster

HAVE_PROPHET = importlib.util.find_spec("prophet") is not None
MARKS = {"prophet": [pytest.mark.slow, pytest.mark.skipif(not HAVE_PROPHET, reason="prophet not installed")]}


def _table():
    for name, cls in sorted(REGISTRY.items()):
        for i, params in enumerate(cls.get_test_params()):
            for case in SERIES_FOR.get(name, ("yearly10",)):
                for bounded in (False, True):
                    label = f"{name}-{i}-{case}" + ("-bounded" if bounded else "")
                    yield pytest.param(name, params, case, bounded, id=label, marks=MARKS.get(name, []))


@pytest.mark.parametrize("name, params, case, bounded", list(_table()))
def test_contract(name, params, case, bounded):
    def make():
        model = build(name, **params)
        return Bounded(model, *BOUNDS) if bounded else model

    check_forecaster(make, CASES[case])


def test_every_registered_model_is_in_the_table():
    covered = {p.values[0] for p in _table()}
    assert covered == set(REGISTRY)
    assert {"rw_drift", "theta", "ets_damped", "auto_arima", "snaive", "linear_trend", "prophet", "gbm_lags"} <= covered


def test_a_subclass_with_a_name_registers_itself_and_names_are_unique(monkeypatch):
    monkeypatch.setattr("forecast.forecasters.base.REGISTRY", dict(REGISTRY))
    from forecast.forecasters import base

    class Flat(Forecaster):
        name = "flat_for_test"

        def _fit(self, y):
            self.last_ = y[-1]

        def _sample(self, h, n, rng):
            return np.full((n, h), self.last_) + rng.standard_normal((n, h))

    assert base.REGISTRY["flat_for_test"] is Flat
    assert "flat_for_test" not in REGISTRY  # the real registry was left alone
    with pytest.raises(TypeError, match="taken"):
        type("Impostor", (Forecaster,), {"name": "flat_for_test"})


def test_a_wrapper_without_a_name_of_its_own_is_not_registered():
    assert Bounded not in REGISTRY.values()
    assert all(isinstance(n, str) for n in REGISTRY)


def test_bad_hyperparameters_are_refused_when_built_with_one_exception_type():
    for name, settings in [
        ("theta", {"theta": 0.5}),
        ("auto_arima", {"max_p": -1}),
        ("gbm_lags", {"max_lag": 0}),
        ("linear_trend", {"window": 1}),
        ("ets_damped", {"seasonal_min_cycles": 0}),
        ("prophet", {"growth": "exponential"}),
    ]:
        with pytest.raises(ParameterError):
            build(name, **settings)
    assert issubclass(ParameterError, ValueError)


def test_bounded_validates_through_the_public_fit():
    # Bounded writes only `_fit`: the protocol's own checks run first, worded as for any model
    with pytest.raises(ForecasterError, match="gaps"):
        Bounded(build("rw_drift"), *BOUNDS).fit(YEARLY.drop(YEARLY.index[3]))
    assert "fit" not in vars(Bounded)
