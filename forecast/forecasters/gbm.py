"""Gradient-boosted trees on lagged differences (scikit-learn), simulated recursively."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from .base import Forecaster, ForecasterError, ParameterError

_FOLDS = 5


class GradientBoostingLags(Forecaster):
    """HistGradientBoostingRegressor: next difference from the last p differences and the season.

    Paths are built one step at a time: every path's own lags go into one `predict` call, and a
    resampled out-of-fold residual is added, so the noise a path meets is the error the trees make
    on data they did not see (in-sample tree residuals are a fraction of that).
    """

    name = "gbm_lags"
    min_obs = 36  # trees need rows: 36 points leave 23 after 12 monthly lags
    seasonal = True
    frequencies = ("M", "D")  # long series only: yearly and quarterly histories are too short for trees

    def __init__(
        self,
        max_lag: Optional[int] = None,
        max_iter: int = 200,
        learning_rate: float = 0.05,
        random_state: int = 0,
        min_samples_leaf: int = 5,
    ):
        self.max_lag = max_lag
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.min_samples_leaf = min_samples_leaf  # scikit-learn's 20 allows barely a split on short series

    def _check_params(self):
        if self.max_lag is not None and not self.max_lag >= 1:
            raise ParameterError(f"max_lag must be at least 1, got {self.max_lag}")
        if not self.max_iter >= 1:
            raise ParameterError(f"max_iter must be at least 1, got {self.max_iter}")
        if not self.learning_rate > 0:
            raise ParameterError(f"learning_rate must be positive, got {self.learning_rate}")
        if not self.min_samples_leaf >= 1:
            raise ParameterError(f"min_samples_leaf must be at least 1, got {self.min_samples_leaf}")

    def _regressor(self):
        from sklearn.ensemble import HistGradientBoostingRegressor

        return HistGradientBoostingRegressor(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            random_state=self.random_state,
            min_samples_leaf=self.min_samples_leaf,
            early_stopping=False,
            categorical_features=[self.lags_] if self.season_length_ > 1 else None,
        )

    def _season(self, periods: pd.PeriodIndex) -> np.ndarray:
        """0-based month or quarter of each period (unused for yearly series)."""
        m = self.season_length_
        if m == 12:
            return np.asarray(periods.month) - 1
        if m == 4:
            return np.asarray(periods.quarter) - 1
        return np.zeros(len(periods), dtype=int)

    def _fit(self, y):
        import sklearn.ensemble  # noqa: F401  before the limit: it only reaches libraries already loaded
        from threadpoolctl import threadpool_limits

        # A few hundred rows: OpenMP threads only add overhead, and spin badly on a busy machine.
        with threadpool_limits(limits=1, user_api="openmp"):
            self._fit_one_thread(y)

    def _fit_one_thread(self, y):
        m = self.season_length_
        p = self.max_lag if self.max_lag is not None else max(3, m)
        # Differences, not levels: a tree predicts only values it has seen, so a model of levels
        # could never leave the historical range; summed predicted differences carry the trend on.
        d = np.diff(y)
        rows = len(d) - p
        if rows < 2 * _FOLDS:
            raise ForecasterError(
                f"gbm_lags with {p} lags needs at least {p + 2 * _FOLDS + 1} observations, got {len(y)}"
            )
        self.lags_ = p
        periods = pd.period_range(end=self.last_period_, periods=len(y))
        X = self._features(np.lib.stride_tricks.sliding_window_view(d, p)[:-1, ::-1], self._season(periods[p + 1 :]))
        target = d[p:]
        self.model_ = self._regressor().fit(X, target)

        # Out-of-fold residuals from contiguous blocks; CV is valid for autoregressions on a
        # stationary target (Bergmeir, Hyndman & Koo 2018), and differences are close enough.
        oof = np.empty(rows)
        for block in np.array_split(np.arange(rows), _FOLDS):
            train = np.setdiff1d(np.arange(rows), block)
            oof[block] = self._regressor().fit(X[train], target[train]).predict(X[block])
        residuals = target - oof
        self.residuals_ = residuals - residuals.mean()  # noise only; the trees own the mean
        self.last_level_ = float(y[-1])
        self.last_diffs_ = d[::-1][:p].copy()  # most recent first, as in the features

    def _features(self, lags: np.ndarray, season: np.ndarray) -> np.ndarray:
        if self.season_length_ == 1:
            return lags
        return np.column_stack([lags, season.astype(float)])

    def _sample(self, h, n, rng):
        import sklearn.ensemble  # noqa: F401  (a model unpickled in a fresh process)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="openmp"):
            return self._sample_one_thread(h, n, rng)

    def _sample_one_thread(self, h, n, rng):
        season = self._season(pd.period_range(start=self.last_period_ + 1, periods=h))
        shocks = rng.choice(self.residuals_, size=(n, h), replace=True)
        lags = np.tile(self.last_diffs_, (n, 1))  # (n, p), column 0 the latest difference
        level = np.full(n, self.last_level_)
        out = np.empty((n, h))
        for k in range(h):
            step = self.model_.predict(self._features(lags, np.full(n, season[k]))) + shocks[:, k]
            level = level + step
            out[:, k] = level
            lags = np.column_stack([step, lags[:, :-1]])
        return out
