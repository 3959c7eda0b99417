"""Fit any forecaster on a transformed scale and map its paths back inside the bounds."""
from __future__ import annotations

from typing import Optional

import pandas as pd

from ..ingest.transforms import for_bounds
from .base import Forecaster


class Bounded(Forecaster):
    def __init__(self, inner: Forecaster, lower: Optional[float] = None, upper: Optional[float] = None):
        self.inner = inner
        self.lower = lower
        self.upper = upper

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.inner.name

    @property
    def min_obs(self) -> int:  # type: ignore[override]
        return self.inner.min_obs

    @property
    def frequencies(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.inner.frequencies

    def not_applicable(self, y: pd.Series):
        return self.inner.not_applicable(y)

    def clone(self) -> "Bounded":
        return Bounded(self.inner.clone(), self.lower, self.upper)

    def fit(self, y: pd.Series) -> "Bounded":
        self.transform_ = for_bounds(self.lower, self.upper)
        self.fitted_inner_ = self.inner.clone().fit(pd.Series(self.transform_.forward(y.to_numpy()), index=y.index))
        self.fitted_ = True
        return self

    def _sample(self, h, n, rng):
        return self.transform_.inverse(self.fitted_inner_.sample_paths(h, n, rng))
