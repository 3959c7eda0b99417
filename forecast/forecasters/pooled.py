"""A pooled autoregression of yearly series: one linear map learned offline across thousands of series.

A local model learns a series' dynamics from its own 10–40 points; a pooled ("global") model learns
how yearly series move from a whole corpus of them (Montero-Manso & Hyndman 2021, "Principles and
algorithms for forecasting groups of time series: locality and globality", IJF 37). Each history is
put on a common footing: its last WINDOW values minus the last one, divided by s, the mean absolute
yearly change of the whole history (the MASE scale), plus its length. A ridge regression maps that to
the next HORIZON scaled changes. The same footing works for any sign and unit, so the model serves
rates, counts and model-scale (log or logit) values alike.

It is learned by experiments/pooled_model/build.py and ships as `pooled_ar.json` (a link to
models/pooled_ar.json); nothing is fitted or downloaded at run time. Paths add whole vectors of
scaled errors the map made on series it was not fitted to (5-fold out-of-fold), so their spread and
the correlation between years ahead are the corpus'. Past HORIZON years the map is applied again to
each path's own latest values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from .base import Forecaster, ForecasterError, mean_abs_change

LENGTH_CAP = 30  # histories longer than this look alike to the map (few corpus windows are longer)


def window_features(windows: np.ndarray, scale: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(m, WINDOW + 1) inputs of the map: each window's values minus its last, over its series' s
    (zeros where s is 0: a flat history), and the history's length capped at LENGTH_CAP, over it."""
    windows = np.atleast_2d(np.asarray(windows, float))
    scale = np.asarray(scale, float).reshape(-1, 1)
    safe = np.where(scale > 0, scale, 1.0)
    z = np.where(scale > 0, (windows - windows[:, -1:]) / safe, 0.0)
    n = np.minimum(np.asarray(lengths, float).reshape(-1, 1), LENGTH_CAP) / LENGTH_CAP
    return np.hstack([z, n])


def last_window(y: np.ndarray, width: int) -> np.ndarray:
    """The last `width` values of a history, padded on the left with its first value when shorter."""
    y = np.asarray(y, float)
    if len(y) >= width:
        return y[-width:]
    return np.concatenate([np.full(width - len(y), y[0]), y])


@dataclass(frozen=True)
class PooledMap:
    """The learned map: scaled changes = features @ coef.T + intercept, and its out-of-fold errors."""

    window: int
    coef: np.ndarray  # (horizon, window + 1)
    intercept: np.ndarray  # (horizon,)
    errors: np.ndarray  # (m, horizon) out-of-fold scaled errors, resampled as whole vectors
    source: str

    @property
    def horizon(self) -> int:
        return len(self.intercept)

    def predict(self, features: np.ndarray) -> np.ndarray:
        return features @ self.coef.T + self.intercept

    def to_dict(self) -> dict:
        """What `from_dict` reads, rounded for the file (8 decimals for the map, 5 for the errors)."""
        return {
            "window": self.window,
            "coef": np.round(self.coef, 8).tolist(),
            "intercept": np.round(self.intercept, 8).tolist(),
            "errors": np.round(self.errors, 5).tolist(),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict) -> PooledMap:
        return cls(
            int(d["window"]),
            np.asarray(d["coef"], float),
            np.asarray(d["intercept"], float),
            np.asarray(d["errors"], float),
            str(d.get("source", "")),
        )

    @classmethod
    def read(cls, path: Path) -> PooledMap:
        """A map written by experiments/pooled_model/build.py (its JSON file)."""
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_map() -> PooledMap:
    """The map learned by experiments/pooled_model/build.py (package data beside this module)."""
    return PooledMap.read(Path(__file__).with_name("pooled_ar.json"))


class PooledAutoregression(Forecaster):
    """Pooled linear autoregression on scaled changes (yearly series, 3 points or more)."""

    name = "pooled_ar"
    min_obs = 3  # s needs two changes to mean anything; with one the map's inputs are noise
    frequencies = ("Y",)  # learned on yearly series; sub-annual dynamics are not in its corpus

    def __init__(self, pooled: Optional[PooledMap] = None):
        self.pooled = pooled  # None: the shipped map (a map of one's own: tests, or a re-learned corpus)

    def _fit(self, y):
        self.map_ = self.pooled if self.pooled is not None else shipped_map()
        self.history_ = np.asarray(y, float)
        self.scale_ = mean_abs_change(y)
        if not np.isfinite(self.scale_):
            raise ForecasterError(f"{self.name}: no finite scale of change")

    def _steps(self, recent: np.ndarray, length: int, shocks: Optional[np.ndarray]) -> np.ndarray:
        """One application of the map to each path's `recent` values: (n, horizon) next values."""
        n = len(recent)
        x = window_features(recent, np.full(n, self.scale_), np.full(n, length))
        change = self.map_.predict(x)
        if shocks is not None:
            change = change + shocks
        return recent[:, -1:] + self.scale_ * change

    def _paths(self, h: int, n: int, rng: Optional[np.random.Generator]) -> np.ndarray:
        width, block = self.map_.window, self.map_.horizon
        values = np.tile(last_window(self.history_, width), (n, 1))
        length = len(self.history_)
        while values.shape[1] - width < h:
            shocks = None if rng is None else self.map_.errors[rng.integers(len(self.map_.errors), size=n)]
            values = np.hstack([values, self._steps(values[:, -width:], length, shocks)])
            length += block
        return values[:, width : width + h]

    def point_forecast(self, h: int) -> np.ndarray:
        """The map's own forecast, without errors."""
        return self._paths(h, 1, None)[0]

    def _sample(self, h, n, rng):
        return self._paths(h, n, rng)
