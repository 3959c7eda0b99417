"""Damped-trend exponential smoothing (statsmodels ETSModel), simulated from its state space form."""

from __future__ import annotations

import warnings

import numpy as np

from .base import Forecaster, ForecasterError, ParameterError


class DampedETS(Forecaster):
    """ETS(A,Ad,N), or ETS(A,Ad,A) when the series has at least two full seasons."""

    name = "ets_damped"
    min_obs = 6  # five parameters and two initial states: fewer points is fitting noise
    seasonal = True

    def __init__(self, seasonal_min_cycles: int = 2):
        self.seasonal_min_cycles = seasonal_min_cycles

    def _check_params(self):
        if not self.seasonal_min_cycles >= 1:
            raise ParameterError(f"seasonal_min_cycles must be at least 1, got {self.seasonal_min_cycles!r}")

    def _fit(self, y):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        m = self.season_length_
        seasonal = "add" if m > 1 and len(y) >= self.seasonal_min_cycles * m + 2 else None
        model = ETSModel(
            y, error="add", trend="add", damped_trend=True, seasonal=seasonal, seasonal_periods=m if seasonal else None
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter; a bad fit is caught below
            try:
                self.result_ = model.fit(disp=False, maxiter=200)
            except (ValueError, np.linalg.LinAlgError) as exc:
                raise ForecasterError(f"ETS fit failed: {exc}") from None
        if not np.isfinite(self.result_.llf):
            raise ForecasterError("ETS fit did not converge to a finite likelihood")

    def _sample(self, h, n, rng):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sims = self.result_.simulate(nsimulations=h, repetitions=n, anchor="end", rng=rng)
        return np.asarray(sims, dtype=float).reshape(h, n).T
