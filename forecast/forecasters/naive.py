"""Random walk with drift: the benchmark every model must beat on short yearly series."""
from __future__ import annotations

import numpy as np

from .base import Forecaster


class RandomWalkDrift(Forecaster):
    """y_t = y_{t-1} + drift + e_t, with the drift's own estimation error in every path.

    Without the drift's uncertainty, a 5-point series would claim to know its trend exactly.
    """

    name = "rw_drift"
    min_obs = 3

    def __init__(self, drift: bool = True):
        self.drift = drift

    def _fit(self, y):
        steps = np.diff(y)
        self.last_ = y[-1]
        self.drift_ = steps.mean() if self.drift else 0.0
        ddof = 1 if self.drift else 0
        self.sigma_ = float(np.std(steps, ddof=ddof)) if len(steps) > ddof else 0.0
        self.drift_se_ = self.sigma_ / np.sqrt(len(steps)) if self.drift else 0.0

    def _sample(self, h, n, rng):
        drift = self.drift_ + self.drift_se_ * rng.standard_normal((n, 1))
        shocks = self.sigma_ * rng.standard_normal((n, h))
        return self.last_ + np.cumsum(drift + shocks, axis=1)
