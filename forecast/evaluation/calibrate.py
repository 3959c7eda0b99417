"""Recalibration of simulated distributions from back-test evidence.

Model intervals are too narrow as a rule (parameter and model uncertainty are left out), so stated
probabilities are over-confident. Calibration has two monotone steps, both fitted on pooled
back-test rows and both applicable to quantile rows and to paths alike (a path keeps its rank at
every step, so targets about several years — "maintain", "reduce by p%" — stay statements about
paths):

1. stretch: per horizon step, the factor about the median that makes the central 95% interval cover
   95% of the back-test outcomes (split-conformal on the scaled distance from the median);
2. level map: the PIT values of the stretched back-test give the observed frequency G(τ) of falling
   below each quantile; the recalibrated τ-quantile is the old quantile at level G⁻¹(τ). For a pool
   of unlike series the map is made symmetric about the median (`symmetric=True`): it then corrects
   the width of central intervals (from the folded PITs |PIT − 0.5|), not the location, because a bias in
   pooled back-tests (say, PM2.5 falling faster than any model foresaw) says nothing about the bias
   of another indicator with its own direction. A batch of like series keeps the full map.

With little evidence both steps are shrunk toward doing nothing (factor 1, identity map).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from forecast.evaluation.metrics import coverage_terms, quantile_levels, row_blocks

MAP_GRID = np.round(np.linspace(0.0, 1.0, 201), 6)


@dataclass
class SpreadCalibration:
    factors: dict[int, float] = field(default_factory=dict)  # step -> stretch factor
    points: dict[int, int] = field(default_factory=dict)  # step -> evidence used
    level_map: Optional[np.ndarray] = None  # G⁻¹ on MAP_GRID (None: identity)

    def factor(self, step: int) -> float:
        if not self.factors:
            return 1.0
        known = [s for s in self.factors if s <= step]
        return self.factors[max(known)] if known else self.factors[min(self.factors)]

    def mapped(self, levels: np.ndarray) -> np.ndarray:
        return np.asarray(levels, float) if self.level_map is None else np.interp(levels, MAP_GRID, self.level_map)

    def apply_quantiles(
        self, q: np.ndarray, steps: np.ndarray, median: np.ndarray, levels: Optional[np.ndarray] = None
    ) -> np.ndarray:
        """q: (rows, L) sorted quantiles at `levels`; returns the recalibrated quantiles."""
        f = np.array([self.factor(int(s)) for s in steps])[:, None]
        out = median[:, None] + f * (q - median[:, None])
        if self.level_map is None or levels is None:
            return out
        target = self.mapped(levels)
        return np.array([np.interp(target, levels, row) for row in out])

    def apply_paths(self, paths: np.ndarray, periods_per_step: int = 1) -> np.ndarray:
        """paths: (n, h), period k+1 in column k. Stretch about each period's median, then move each
        path value to the recalibrated quantile of its rank (order within every period is kept).

        With `periods_per_step` = 12, factors fitted on annual steps apply to monthly paths by year ahead.
        """
        median = np.median(paths, axis=0)
        f = np.array([self.factor(k // periods_per_step + 1) for k in range(paths.shape[1])])
        out = median + f * (paths - median)
        if self.level_map is None:
            return out
        old = np.quantile(out, MAP_GRID, axis=0)  # (G, h)
        new = np.quantile(out, np.clip(self.level_map, 0, 1), axis=0)
        return np.column_stack([np.interp(out[:, k], old[:, k], new[:, k]) for k in range(out.shape[1])])

    def to_dict(self) -> dict:
        d = {
            "factors": {str(k): v for k, v in self.factors.items()},
            "points": {str(k): v for k, v in self.points.items()},
        }
        if self.level_map is not None:
            d["level_map"] = {
                f"{t:g}": round(float(np.interp(t, MAP_GRID, self.level_map)), 4)
                for t in (0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975)
            }
        return d


def median_of(q: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Each quantile row's median, by interpolation between the levels."""
    return np.array([np.interp(0.5, levels, row) for row in q])


def _rows(table: pd.DataFrame):
    levels = quantile_levels(table)
    lv = np.array(list(levels))
    q = np.sort(table[list(levels.values())].to_numpy(float), axis=1)
    return lv, q, table["y"].to_numpy(float)


def _evidence(q: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rows that can inform a calibration: finite, and with some spread. A forecast with none (every
    quantile equal: a constant history, say) cannot be widened by any stretch or level map, and a few
    such rows once set a pool's 95% stretch near 10^7, for every other series too."""
    ok = np.isfinite(y) & np.isfinite(q).all(axis=1)
    spread = np.where(ok, q[:, -1] - q[:, 0], 0.0)
    return ok & (spread > 1e-9 * np.maximum(1.0, np.abs(np.where(ok, q[:, 0], 0.0))))


def _scores(q: np.ndarray, lv: np.ndarray, y: np.ndarray, median: np.ndarray, coverage: float) -> np.ndarray:
    """How far out, in units of the central `coverage` interval's half-width on that side, each
    outcome fell (1 = on the interval's edge)."""
    lo = np.array([np.interp((1 - coverage) / 2, lv, r) for r in q])
    hi = np.array([np.interp((1 + coverage) / 2, lv, r) for r in q])
    below = (median - y) / np.maximum(median - lo, 1e-12)
    above = (y - median) / np.maximum(hi - median, 1e-12)
    return np.where(y < median, below, above)


def _conformal(score: np.ndarray, coverage: float) -> float:
    n = len(score)
    rank = min(int(np.ceil((n + 1) * coverage)) - 1, n - 1)  # split-conformal quantile
    return max(float(np.sort(score)[rank]), 1e-3)


def stretch_factor(table: pd.DataFrame, coverage: float = 0.8) -> tuple[float, int]:
    """The one stretch about the median that makes the central `coverage` intervals of all the rows
    cover `coverage` of their outcomes, and the number of rows behind it ((1.0, 0) for none)."""
    lv, q, y = _rows(table)
    ok = _evidence(q, y)
    if not ok.any():
        return 1.0, 0
    score = np.concatenate(
        [_scores(q[r], lv, y[r], median_of(q[r], lv), coverage) for r in _blocks(np.flatnonzero(ok))]
    )
    return _conformal(score, coverage), int(ok.sum())


def fit_spread(
    table: pd.DataFrame, prior_points: float = 30.0, coverage: float = 0.95, symmetric: bool = False
) -> SpreadCalibration:
    """Fit both steps on back-test rows (see the module doc); `prior_points` sets the shrinkage."""
    lv, q, y = _rows(table)
    ok = _evidence(q, y)
    cal = SpreadCalibration()
    steps = table["step"].to_numpy()
    median = median_of(q, lv)
    for step in np.unique(steps[ok]):
        sel = np.flatnonzero(ok & (steps == step))
        score = np.concatenate([_scores(q[r], lv, y[r], median[r], coverage) for r in _blocks(sel)])
        n = len(score)
        best = _conformal(score, coverage)
        w = n / (n + prior_points)
        cal.factors[int(step)] = float(np.exp(w * np.log(best)))
        cal.points[int(step)] = n
    if ok.any():
        at = np.flatnonzero(ok)
        pit = np.concatenate([_pits(cal.apply_quantiles(q[r], steps[r], median[r]), lv, y[r]) for r in _blocks(at)])
        cal.level_map = level_map(pit, symmetric, prior_points)
    return cal


def _blocks(rows: np.ndarray) -> list[np.ndarray]:
    """The row numbers `rows`, a block of at most ROWS_AT_ONCE at a time (forecast.evaluation.metrics)."""
    return [rows[block] for block in row_blocks(len(rows))]


def _pits(q: np.ndarray, lv: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.array([np.interp(obs, row, lv, left=0.0, right=1.0) for obs, row in zip(y, q)])


def calibrated_pits(table: pd.DataFrame, cal: SpreadCalibration) -> np.ndarray:
    """`pits(apply_to_table(table, cal))`, a block of rows at a time and without a copy of the table."""
    lv, q, y = _rows(table)
    steps, out = table["step"].to_numpy(), [np.array([])]
    for r in row_blocks(len(q)):
        moved = cal.apply_quantiles(q[r], steps[r], median_of(q[r], lv), lv)
        ok = np.isfinite(y[r]) & np.isfinite(moved).all(axis=1)
        out.append(_pits(moved[ok], lv, y[r][ok]))
    return np.concatenate(out)


def pits(table: pd.DataFrame) -> np.ndarray:
    """PIT value of each row's outcome in its quantiles (0 or 1 beyond the outer ones)."""
    lv, q, y = _rows(table)
    ok = np.isfinite(y) & np.isfinite(q).all(axis=1)
    return _pits(q[ok], lv, y[ok])


def level_map(pit: np.ndarray, symmetric: bool, prior_points: float) -> np.ndarray:
    """G⁻¹ on MAP_GRID from PIT values, shrunk toward the identity by `prior_points` (module doc)."""
    if symmetric:
        # Fold the PITs about the median: the central interval that held c of the outcomes
        # spans 0.5 ± the c-quantile of |PIT − 0.5|. A pool biased to one side thus widens
        # the intervals (as it should, to cover it) instead of looking narrow.
        upper = 0.5 + np.quantile(np.abs(pit - 0.5), np.clip(2 * MAP_GRID - 1, 0, 1))
        inverse = np.where(MAP_GRID >= 0.5, upper, 1 - upper[::-1])  # MAP_GRID is symmetric about 0.5
        inverse[MAP_GRID == 0.5] = 0.5
    else:
        inverse = np.quantile(pit, MAP_GRID)  # G⁻¹(τ): the level observed τ of the time
    inverse[0], inverse[-1] = 0.0, 1.0
    w = len(pit) / (len(pit) + prior_points)
    return np.maximum.accumulate(w * inverse + (1 - w) * MAP_GRID)


def apply_to_table(table: pd.DataFrame, cal: SpreadCalibration, in_place: bool = False) -> pd.DataFrame:
    """The table with its quantiles recalibrated: a new table, or `table` itself with `in_place`
    (for a table of the caller's own making, which then never exists twice)."""
    lv, q, _ = _rows(table)
    cols = list(quantile_levels(table).values())
    steps = table["step"].to_numpy()
    for r in row_blocks(len(q)):  # in place, a block at a time: the transients of a whole table were 4× it
        q[r] = cal.apply_quantiles(q[r], steps[r], median_of(q[r], lv), lv)
    out = table if in_place else table.copy(deep=False)  # a copy shares the other columns (copy-on-write)
    out[cols] = q
    return out


def reliability(table: pd.DataFrame, levels=(0.5, 0.8, 0.9, 0.95)) -> pd.DataFrame:
    """Nominal vs observed coverage of central intervals: the calibration check."""
    return pd.DataFrame(
        [
            {"nominal": level, "observed": float(coverage_terms(level)(table).mean()), "points": int(len(table))}
            for level in levels
        ]
    )
