"""The one forecaster protocol: `fit(y) -> self`, then `sample_paths(h, n, rng) -> (n, h)` array.

Public methods validate; model authors write `_fit` and `_sample`. Hyperparameters live only in the
constructor and `fit` never changes them or the caller's series. Capabilities are class attributes.
"""
from __future__ import annotations

import inspect
from functools import lru_cache
from typing import ClassVar, Optional

import numpy as np
import pandas as pd


class ForecasterError(Exception):
    """A forecaster cannot fit or simulate this series; the message says why."""


class Forecaster:
    name: ClassVar[str] = "forecaster"
    min_obs: ClassVar[int] = 3
    seasonal: ClassVar[bool] = False  # uses the calendar season when the series is sub-annual
    frequencies: ClassVar[tuple[str, ...]] = ("Y", "Q", "M", "D")  # series frequencies it is made for

    def not_applicable(self, y: pd.Series) -> Optional[str]:
        """Why this model is not meant for `y` (its frequency or length), or None. Not a failure: a skip.

        Worded to follow the model's name: "ets_damped needs at least 6 observations, has 3".
        """
        code = y.index.freqstr[0].upper()
        if code not in self.frequencies:
            return f"made for {'/'.join(self.frequencies)} series, not {code}"
        if len(y) < self.min_obs:
            return f"needs at least {self.min_obs} observations, has {len(y)}"
        return None

    def get_params(self) -> dict:
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {p: getattr(self, p) for p in names}

    def clone(self) -> "Forecaster":
        """A fresh, unfitted copy with the same hyperparameters."""
        return type(self)(**self.get_params())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def fit(self, y: pd.Series) -> "Forecaster":
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
        self.season_length_ = _season_length(y.index.freqstr)
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


def _season_length(freqstr: str) -> int:
    code = freqstr.upper()
    if code.startswith("M"):
        return 12
    if code.startswith("Q"):
        return 4
    return 1


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
    from threadpoolctl import ThreadpoolController  # scikit-learn's dependency

    import scipy.linalg  # noqa: F401  load scipy's OpenBLAS before the controller looks for libraries

    return ThreadpoolController()
