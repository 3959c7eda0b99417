"""Bounded (logit) and positive (log) transforms, applied around every model.

A model is fitted on the transformed scale and its paths are mapped back, so no path can leave the
indicator's bounds: a pass rate stays inside [0, 100], a concentration stays positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

import numpy as np

# Values on a bound (a 100% pass rate, a zero count) are pulled this far inside, as a share of the
# range (logit) or in units (log); without it the transform is infinite there.
EDGE = 1e-4


class Transform(Protocol):
    def forward(self, y: np.ndarray) -> np.ndarray: ...
    def inverse(self, z: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class Identity:
    def forward(self, y):
        return np.asarray(y, dtype=float)

    def inverse(self, z):
        return np.asarray(z, dtype=float)


@dataclass(frozen=True)
class Log:
    """For values bounded below only: log(y - lower)."""

    lower: float = 0.0

    def forward(self, y):
        return np.log(np.maximum(np.asarray(y, dtype=float) - self.lower, EDGE))

    def inverse(self, z):
        return self.lower + np.exp(np.clip(np.asarray(z, dtype=float), -700, 700))


@dataclass(frozen=True)
class Logit:
    """For values bounded on both sides: logit of the position inside [lower, upper]."""

    lower: float
    upper: float

    def forward(self, y):
        share = (np.asarray(y, dtype=float) - self.lower) / (self.upper - self.lower)
        share = np.clip(share, EDGE, 1 - EDGE)
        return np.log(share) - np.log1p(-share)

    def inverse(self, z):
        share = 1.0 / (1.0 + np.exp(-np.clip(np.asarray(z, dtype=float), -700, 700)))
        return self.lower + (self.upper - self.lower) * share


def for_bounds(lower: Optional[float], upper: Optional[float]) -> Transform:
    if lower is not None and upper is not None:
        return Logit(lower, upper)
    if lower is not None:
        return Log(lower)
    if upper is not None:  # bounded above only: mirror, log(upper - y)
        return _Mirrored(upper)
    return Identity()


@dataclass(frozen=True)
class _Mirrored:
    upper: float

    def forward(self, y):
        return np.log(np.maximum(self.upper - np.asarray(y, dtype=float), EDGE))

    def inverse(self, z):
        return self.upper - np.exp(np.clip(np.asarray(z, dtype=float), -700, 700))
