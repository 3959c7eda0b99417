"""Seasonal naive: every period repeats the same period one season earlier (naive for yearly data)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from .base import Forecaster, ForecasterError, season_length, sigma_scale


class SeasonalNaive(Forecaster):
    """y[T+k] = y[T+k-m] + e, m the season length (1 for yearly series: a random walk, no drift).

    Shocks accumulate season on season, so the variance grows with the number of whole seasons
    ahead: sigma^2 * ceil(k / m). Sigma is the root mean square of the in-sample seasonal
    differences, the model's own one-step errors (no mean is estimated, so none is removed and no
    degree of freedom is lost), and each path draws its own sigma from that estimate's posterior.
    """

    name = "snaive"
    min_obs = 2  # yearly; a sub-annual series needs a full season plus one point (checked in _fit)
    seasonal = True

    def __init__(self):
        pass

    def not_applicable(self, y: pd.Series) -> Optional[str]:
        why = super().not_applicable(y)
        m = season_length(y.index.freqstr)
        if why is None and len(y) < m + 1:
            why = f"needs at least {m + 1} observations for a season of {m}, has {len(y)}"
        return why

    def _fit(self, y):
        m = self.season_length_
        if len(y) < m + 1:
            raise ForecasterError(f"{self.name} needs at least {m + 1} observations for a season of {m}, got {len(y)}")
        steps = y[m:] - y[:-m]
        self.tail_ = y[-m:].copy()
        self.dof_ = len(steps)
        self.sigma_ = float(np.sqrt(np.mean(steps**2)))

    def _sample(self, h, n, rng):
        m = len(self.tail_)
        shocks = (self.sigma_ * sigma_scale(self.dof_, n, rng)) * rng.standard_normal((n, h))
        out = np.empty((n, h))
        for k in range(h):  # y[T+k] = y[T+k-m] + shock
            previous = out[:, k - m] if k >= m else self.tail_[k]
            out[:, k] = previous + shocks[:, k]
        return out
