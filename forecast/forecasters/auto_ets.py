"""Exponential smoothing with model selection (statsmodels ETSModel), simulated from the chosen model."""

from __future__ import annotations

import warnings

import numpy as np

from .base import Forecaster, ForecasterError, ParameterError

ERRORS = ("add", "mul")
TRENDS = ("none", "add", "damped")


class AutoETS(Forecaster):
    """ETS(E,T,S) chosen by AICc over the error types and trends given (and an additive season).

    Error additive or multiplicative (multiplicative only for strictly positive series), trend none,
    additive or damped; an additive season is tried beside none when a sub-annual series has
    `seasonal_min_cycles` full seasons. A form with as many parameters (smoothing weights, damping,
    initial states, sigma) as observations is not tried: its AICc is undefined and its fit is noise.
    """

    name = "auto_ets"
    min_obs = 5
    seasonal = True

    def __init__(self, errors: tuple = ERRORS, trends: tuple = TRENDS, seasonal_min_cycles: int = 2):
        self.errors = tuple(errors)
        self.trends = tuple(trends)
        self.seasonal_min_cycles = seasonal_min_cycles

    def _check_params(self):
        unknown = [e for e in self.errors if e not in ERRORS] + [t for t in self.trends if t not in TRENDS]
        if unknown or not self.errors or not self.trends:
            raise ParameterError(
                f"errors must be among {ERRORS} and trends among {TRENDS}, got {self.errors!r} and {self.trends!r}"
            )
        if not self.seasonal_min_cycles >= 1:
            raise ParameterError(f"seasonal_min_cycles must be at least 1, got {self.seasonal_min_cycles!r}")

    @classmethod
    def get_test_params(cls):
        return [{}, {"errors": ("add",), "trends": ("damped",)}]

    def _fit(self, y):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        m, n = self.season_length_, len(y)
        seasons = [None] + (["add"] if m > 1 and n >= self.seasonal_min_cycles * m + 2 else [])
        errors = [e for e in self.errors if e == "add" or y.min() > 0]
        best, tried = None, 0
        for error in errors:
            for trend in self.trends:
                for season in seasons:
                    k = _n_params(trend, season, m)
                    if k >= n - 1:  # AICc's 2k(k+1)/(n-k-1) is undefined or meaningless
                        continue
                    model = ETSModel(
                        y,
                        error=error,
                        trend=None if trend == "none" else "add",
                        damped_trend=trend == "damped",
                        seasonal=season,
                        seasonal_periods=m if season else None,
                    )
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # convergence chatter; judged by AICc
                        try:
                            result = model.fit(disp=False, maxiter=200)
                        except (ValueError, np.linalg.LinAlgError):
                            continue
                    tried += 1
                    if np.isfinite(result.aicc) and (best is None or result.aicc < best.aicc):
                        best = result
        if best is None:
            raise ForecasterError(f"no ETS form could be fitted ({tried} tried on {n} points)")
        self.result_ = best
        self.form_ = (
            best.model.error,
            best.model.trend or "none",
            best.model.damped_trend,
            best.model.seasonal or "none",
        )

    def _sample(self, h, n, rng):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sims = self.result_.simulate(nsimulations=h, repetitions=n, anchor="end", rng=rng)
        return np.asarray(sims, dtype=float).reshape(h, n).T


def _n_params(trend: str, season, m: int) -> int:
    """Smoothing weights, damping, initial states and sigma of one ETS form."""
    k = 1 + 1 + 1  # alpha, initial level, sigma
    if trend != "none":
        k += 2  # beta, initial slope
    if trend == "damped":
        k += 1  # phi
    if season:
        k += 1 + (m - 1)  # gamma, initial seasonal states
    return k
