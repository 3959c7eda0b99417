"""Fit any forecaster on a transformed scale and map its paths back inside the bounds."""

from __future__ import annotations

from typing import Optional

import pandas as pd

from ..ingest.transforms import for_bounds
from .base import Forecaster


class Bounded(Forecaster):
    """A wrapper, not a model of its own (it has no `name` of its own, so it is not registered).

    The public `fit` of the protocol validates the series; `_fit` fits a fresh copy of the inner
    model on the transformed values, and `_sample` maps its paths back inside the bounds.
    """

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

    def clone(self) -> Bounded:
        return Bounded(self.inner.clone(), self.lower, self.upper)

    def _fit(self, y):
        self.transform_ = for_bounds(self.lower, self.upper)
        # `fit` checked the periods are consecutive, so they are rebuilt from the last one
        index = pd.period_range(end=self.last_period_, periods=len(y))
        self.fitted_inner_ = self.inner.clone().fit(pd.Series(self.transform_.forward(y), index=index))

    def _sample(self, h, n, rng):
        return self.transform_.inverse(self.fitted_inner_.sample_paths(h, n, rng))
