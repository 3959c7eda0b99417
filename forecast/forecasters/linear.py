"""Linear trend (scikit-learn) with a residual bootstrap that carries parameter uncertainty."""

from __future__ import annotations

import numpy as np

from .base import Forecaster, ParameterError, sigma_scale


class LinearTrend(Forecaster):
    """OLS on time (plus season dummies for sub-annual series with two full seasons).

    Each path refits the line to fitted values plus resampled residuals, then adds a resampled
    residual to every future step: the slope is as uncertain as the data make it. Each path also
    scales its residuals by a draw of the noise level's estimation error, since a bootstrap from
    three residuals cannot know how large the next shock may be.
    """

    name = "linear_trend"
    min_obs = 3
    seasonal = True

    def __init__(self, window: int | None = None):
        self.window = window  # fit on the last `window` points only (None: all)

    def _check_params(self):
        if self.window is not None and not self.window >= self.min_obs:
            raise ParameterError(f"window must be at least {self.min_obs} points (or None), got {self.window!r}")

    @classmethod
    def get_test_params(cls):
        return [{}, {"window": 24}]  # two seasons of monthly data

    def _design(self, t: np.ndarray) -> np.ndarray:
        columns = [t.astype(float)]
        if self.seasonal_:
            season = np.mod(t, self.season_length_)
            columns += [(season == k).astype(float) for k in range(1, self.season_length_)]
        return np.column_stack(columns)

    def _fit(self, y):
        from sklearn.linear_model import LinearRegression

        if self.window:
            y = y[-self.window :]
        m = self.season_length_
        self.seasonal_ = m > 1 and len(y) >= 2 * m
        self.t_ = np.arange(len(y))
        X = self._design(self.t_)
        self.model_ = LinearRegression().fit(X, y)
        self.fitted_values_ = self.model_.predict(X)
        self.dof_ = max(len(y) - X.shape[1] - 1, 1)
        # OLS residuals are smaller than the errors they estimate; rescale to unbiased variance.
        self.residuals_ = (y - self.fitted_values_) * np.sqrt(len(y) / self.dof_)

    def _sample(self, h, n, rng):
        from sklearn.linear_model import LinearRegression

        X = self._design(self.t_)
        scale = sigma_scale(self.dof_, n, rng)  # (n, 1)
        resampled = rng.choice(self.residuals_, size=(n, len(self.t_)), replace=True) * scale
        boot = LinearRegression().fit(X, (self.fitted_values_ + resampled).T)  # n fits at once
        future = self._design(np.arange(len(self.t_), len(self.t_) + h))
        means = boot.predict(future).T  # (n, h)
        return means + rng.choice(self.residuals_, size=(n, h), replace=True) * scale
