"""Recalibration of simulated distributions from back-test evidence.

Model intervals are too narrow as a rule (parameter and model uncertainty are left out), so stated
probabilities are over-confident. A `SpreadCalibration` stretches (or shrinks) each horizon's
distribution about its median by the factor that minimises the pooled CRPS of the back-test; factors
estimated from few points are shrunk toward 1. It applies equally to quantile rows and to paths, so
a path keeps its shape across horizons and every target type (maintain, reduce by p%, …) stays a
statement about paths.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .metrics import pinball, quantile_levels

GRID = np.exp(np.linspace(np.log(0.5), np.log(5.0), 61))


@dataclass
class SpreadCalibration:
    factors: dict[int, float] = field(default_factory=dict)  # step -> factor
    points: dict[int, int] = field(default_factory=dict)  # step -> evidence used

    def factor(self, step: int) -> float:
        if not self.factors:
            return 1.0
        known = [s for s in self.factors if s <= step]
        return self.factors[max(known)] if known else self.factors[min(self.factors)]

    def apply_quantiles(self, q: np.ndarray, steps: np.ndarray, median: np.ndarray) -> np.ndarray:
        """q: (rows, L) quantiles; returns them stretched about `median` by each row's step factor."""
        f = np.array([self.factor(int(s)) for s in steps])[:, None]
        return median[:, None] + f * (q - median[:, None])

    def apply_paths(self, paths: np.ndarray, periods_per_step: int = 1) -> np.ndarray:
        """paths: (n, h), period k+1 in column k; stretched about each period's median.

        With `periods_per_step` = 12, factors fitted on annual steps apply to monthly paths by year ahead.
        """
        median = np.median(paths, axis=0)
        f = np.array([self.factor(k // periods_per_step + 1) for k in range(paths.shape[1])])
        return median + f * (paths - median)

    def to_dict(self) -> dict:
        return {"factors": {str(k): v for k, v in self.factors.items()},
                "points": {str(k): v for k, v in self.points.items()}}


def fit_spread(table: pd.DataFrame, prior_points: float = 30.0) -> SpreadCalibration:
    """Per step, the stretch factor minimising mean scaled pinball loss over all levels and rows.

    The factor is shrunk toward 1 on the log scale with weight points / (points + prior_points).
    """
    levels = quantile_levels(table)
    lv = np.array(list(levels))
    cal = SpreadCalibration()
    for step, rows in table.groupby("step"):
        q = np.sort(rows[list(levels.values())].to_numpy(float), axis=1)
        y = rows["y"].to_numpy(float)
        scale = rows["scale"].to_numpy(float)
        ok = np.isfinite(scale) & (scale > 0) & np.isfinite(y)
        if ok.sum() == 0:
            continue
        q, y, scale = q[ok], y[ok], scale[ok]
        median = _median(q, lv)
        losses = [np.mean(pinball(y[:, None], median[:, None] + f * (q - median[:, None]), lv) / scale[:, None])
                  for f in GRID]
        best = GRID[int(np.argmin(losses))]
        w = len(y) / (len(y) + prior_points)
        cal.factors[int(step)] = float(np.exp(w * np.log(best)))
        cal.points[int(step)] = int(len(y))
    return cal


def _median(q: np.ndarray, levels: np.ndarray) -> np.ndarray:
    return np.array([np.interp(0.5, levels, row) for row in q])


def apply_to_table(table: pd.DataFrame, cal: SpreadCalibration) -> pd.DataFrame:
    levels = quantile_levels(table)
    cols = list(levels.values())
    q = np.sort(table[cols].to_numpy(float), axis=1)
    median = _median(q, np.array(list(levels)))
    out = table.copy()
    out[cols] = cal.apply_quantiles(q, table["step"].to_numpy(), median)
    return out


def reliability(table: pd.DataFrame, levels=(0.5, 0.8, 0.9, 0.95)) -> pd.DataFrame:
    """Nominal vs observed coverage of central intervals: the calibration check."""
    rows = []
    for level in levels:
        lo, hi = f"q{round(0.5 - level / 2, 6):g}", f"q{round(0.5 + level / 2, 6):g}"
        inside = (table["y"] >= table[lo]) & (table["y"] <= table[hi])
        rows.append({"nominal": level, "observed": float(inside.mean()), "points": int(len(table))})
    return pd.DataFrame(rows)
