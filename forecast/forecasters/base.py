"""The one forecaster protocol: `fit(y) -> self`, then `sample_paths(h, n, rng) -> (n, h)` array.

Public methods validate; model authors write `_fit` and `_sample` (and `_check_params` when their
hyperparameters have limits). Hyperparameters live only in the constructor, are checked as soon as
the object is built (one exception type, `ParameterError`), and `fit` never changes them or the
caller's series. Capabilities are class attributes.

A model registers itself by subclassing: a class that sets its own `name` is entered in `REGISTRY`
under that name, so adding a model is its file plus its entry in the catalogue. `get_test_params`
gives the settings the contract suite (tests/forecasters/contract.py) checks it with.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import ClassVar, Optional

import numpy as np
import pandas as pd


class ForecasterError(Exception):
    """A forecaster cannot fit or simulate this series; the message says why."""


class ParameterError(ValueError):
    """A hyperparameter is out of its range; raised when the forecaster is built, never by `fit`."""


REGISTRY: dict[str, type[Forecaster]] = {}  # model name -> class, filled by subclassing


class _Checked(type):
    """Runs `_check_params` once the constructor is done, whichever class in a hierarchy wrote it."""

    def __call__(cls, *args, **kwargs):
        model = super().__call__(*args, **kwargs)
        model._check_params()
        return model


class Forecaster(metaclass=_Checked):
    name: ClassVar[str] = "forecaster"
    min_obs: ClassVar[int] = 3
    seasonal: ClassVar[bool] = False  # uses the calendar season when the series is sub-annual
    frequencies: ClassVar[tuple[str, ...]] = ("Y", "Q", "M", "D")  # series frequencies it is made for

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if not isinstance(name, str):  # no name of its own (a wrapper, or a shared base): not a model
            return
        known = REGISTRY.get(name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise TypeError(f"model name {name!r} is taken by {known.__module__}.{known.__qualname__}")
        REGISTRY[name] = cls  # the same class again (a module reloaded) replaces its old self

    @classmethod
    def get_test_params(cls) -> list[dict]:
        """Constructor settings the contract suite checks this model with (the defaults at least)."""
        return [{}]

    def _check_params(self) -> None:
        """Raise ParameterError when a hyperparameter is out of range (called after __init__)."""

    def not_applicable(self, y: pd.Series) -> Optional[str]:
        """Why this model is not meant for `y` (its frequency or length), or None. Not a failure: a skip.

        Worded to follow the model's name: "ets_damped needs at least 6 observations, has 3".
        """
        code = frequency_code(y)
        if code not in self.frequencies:
            return f"made for {'/'.join(self.frequencies)} series, not {code}"
        if len(y) < self.min_obs:
            return f"needs at least {self.min_obs} observations, has {len(y)}"
        return None

    def get_params(self) -> dict:
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {p: getattr(self, p) for p in names}

    def clone(self) -> Forecaster:
        """A fresh, unfitted copy with the same hyperparameters."""
        return type(self)(**self.get_params())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def fit(self, y: pd.Series) -> Forecaster:
        if not isinstance(y, pd.Series) or not isinstance(y.index, pd.PeriodIndex):
            raise ForecasterError("y must be a pandas Series with a PeriodIndex")
        values = y.to_numpy(dtype=float, copy=True)
        if not np.all(np.isfinite(values)):
            raise ForecasterError("y has missing or non-finite values; fill or drop gaps explicitly first")
        if len(y) > 1 and not (y.index[1:] == y.index[:-1] + 1).all():
            raise ForecasterError("y has gaps or is unsorted; periods must be consecutive")
        if len(values) < self.min_obs:
            raise ForecasterError(f"{self.name} needs at least {self.min_obs} observations, got {len(values)}")
        self.last_period_ = y.index[-1]
        self.season_length_ = season_length(y.index.freqstr)
        with single_threaded_blas():
            self._fit(values)
        self.fitted_ = True
        return self

    def sample_paths(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        if not getattr(self, "fitted_", False):
            raise ForecasterError(f"{self.name}: call fit before sample_paths")
        if h < 1 or n < 1:
            raise ValueError("h and n must be positive")
        with single_threaded_blas():
            paths = np.asarray(self._sample(h, n, rng), dtype=float)
        if paths.shape != (n, h):
            raise ForecasterError(f"{self.name} returned paths of shape {paths.shape}, expected {(n, h)}")
        if not np.all(np.isfinite(paths)):
            raise ForecasterError(f"{self.name} produced non-finite paths")
        return paths

    # -- for model authors ------------------------------------------------------------------
    def _fit(self, y: np.ndarray) -> None:
        raise NotImplementedError

    def _sample(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError


def frequency_code(y: pd.Series) -> str:
    """The frequency of a series with a PeriodIndex as one letter: Y, Q, M or D."""
    return y.index.freqstr[0].upper()


def season_length(freqstr: str) -> int:
    """Periods per year of a pandas frequency string: 12 monthly, 4 quarterly, else 1."""
    code = freqstr.upper()
    if code.startswith("M"):
        return 12
    if code.startswith("Q"):
        return 4
    return 1


def mean_abs_change(values) -> float:
    """s of a history: the mean absolute change from one period to the next (NaNs dropped), the
    MASE scale. The pooled model's footing and the short-history prior's unit."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    return float(np.mean(np.abs(np.diff(v)))) if len(v) > 1 else float("nan")


def sigma_scale(dof: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 1) multipliers of an estimated sigma: draws of sigma/sigma_hat from its posterior.

    sigma^2 | data ~ dof * sigma_hat^2 / chi2(dof): averaging the Gaussian over these draws gives
    the Student-t predictive, which matters when a series has only a handful of points.
    """
    return np.sqrt(dof / rng.chisquare(dof, size=(n, 1)))


def single_threaded_blas():
    """Context with BLAS limited to one thread (threadpoolctl, about 20 us to enter).

    statsmodels' state-space algebra works on tiny matrices, where OpenBLAS threads only spin: with
    them a fit takes two to ten times longer, and on a busy machine up to a second."""
    return _blas_controller().limit(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def _blas_controller():
    import scipy.linalg  # noqa: F401  load scipy's OpenBLAS before the controller looks for libraries
    from threadpoolctl import ThreadpoolController  # scikit-learn's dependency

    return ThreadpoolController()
