"""Random walk with drift (seasonal for sub-annual series): the benchmark every model must beat."""

from __future__ import annotations

import numpy as np

from .base import Forecaster, sigma_scale


class RandomWalkDrift(Forecaster):
    """y_t = y_{t-1} + drift + e_t, with the drift's and the noise level's estimation error in every path.

    Each path draws its own noise scale from the posterior of sigma (scaled inverse chi-square on
    the residual degrees of freedom) and its own drift around the estimate: the predictive is then
    Student-t like, as wide as a 5-point series deserves rather than as narrow as its two or three
    differences happen to be.
    """

    name = "rw_drift"
    min_obs = 3
    seasonal = True  # sub-annual series with two full seasons step from the same season last year

    def __init__(self, drift: bool = True):
        self.drift = drift

    @classmethod
    def get_test_params(cls):
        return [{}, {"drift": False}]

    def _fit(self, y):
        m = self.season_length_
        self.lag_ = m if m > 1 and len(y) >= 2 * m else 1
        steps = y[self.lag_ :] - y[: -self.lag_]
        self.steps_ = steps
        self.tail_ = y[-self.lag_ :]
        self.drift_ = steps.mean() if self.drift else 0.0
        ddof = 1 if self.drift else 0
        self.sigma_ = float(np.std(steps, ddof=ddof)) if len(steps) > ddof else 0.0

    def _sample(self, h, n, rng):
        dof = max(len(self.steps_) - (1 if self.drift else 0), 1)
        sigma = self.sigma_ * sigma_scale(dof, n, rng)
        drift = np.zeros(n)
        if self.drift:
            drift = self.drift_ + sigma[:, 0] / np.sqrt(len(self.steps_)) * rng.standard_normal(n)
        shocks = sigma * rng.standard_normal((n, h))
        out = np.empty((n, h))
        for k in range(h):  # y[T+k] = y[T+k-lag] + drift + shock
            previous = out[:, k - self.lag_] if k >= self.lag_ else self.tail_[k]
            out[:, k] = previous + drift + shocks[:, k]
        return out
