"""The reference prior of spread for short yearly histories, and its update by a store's own evidence.

A series of k = 3–12 yearly points cannot calibrate its own intervals, and back-tests cut from the
same few points are shorter still: what they say about spread does not carry over (issue 11).
The prior is learned offline (experiments/short_series/build_prior.py) from thousands of windows of
k points cut from long yearly and annualised series. Per model scale ('free', or 'positive' for any
bounded indicator) and history length k it holds the combination weights the default candidates
earned there and, per year ahead, the quantiles of the scaled error of their mixture's median:
(outcome − median) / s, with s the mean absolute yearly change of the k points on the model scale
(the MASE scale). A short series' distribution is then its mixture's median plus s times those
quantiles: its own models set the centre, the corpus sets the spread and its shape (a model fitted to
four points cannot know its own tails). The quantiles are symmetric about zero (a pooled bias says
nothing about the direction of another indicator) and never narrower for more years ahead.
It ships as `short_prior.json`; nothing is fitted or downloaded at run time.

A store's own back-tests update it in proportion to their evidence: each short back-test row is
given the prior's distribution at that row's training length, the stretch that would have made
those rows' 80% intervals cover 80% is blended in on the log scale with weight n / (n + PSEUDO_POINTS),
and so is the level map of what is left (width only for a pool of unlike series, location too for a
batch of like series). Many local points move the result toward what they say; few leave the prior.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from forecast.evaluation.calibrate import MAP_GRID, median_of, stretch_factor
from forecast.evaluation.metrics import level_column, quantile_levels
from forecast.forecasters.base import mean_abs_change

PSEUDO_POINTS = 100.0  # local back-test points worth as much as the prior (a conformal 80% quantile
#                        from 100 points is within about ±10% of the truth)
THIN_POINTS = 50  # fewer local points than this behind a calibration: the report warns
series_scale = mean_abs_change  # s of a history on its model scale (the pooled model's footing too)


def scale_class(lower: Optional[float], upper: Optional[float]) -> str:
    """The prior's scale for an indicator: 'positive' for any bound (log or logit model scale, both
    log-like near a bound), 'free' for none."""
    return "free" if lower is None and upper is None else "positive"


@dataclass(frozen=True)
class PriorEntry:
    weights: dict[str, float]
    levels: np.ndarray  # levels of the stored error quantiles
    errors: dict[int, np.ndarray]  # years ahead -> scaled-error quantiles at `levels`
    windows: int

    def error_quantiles(self, step: int, levels) -> np.ndarray:
        """Scaled-error quantiles at `levels` for `step` years ahead (beyond the corpus' last step
        they widen as the square root of the years ahead)."""
        last = max(self.errors)
        e = self.errors[min(max(step, min(self.errors)), last)]
        if step > last:
            e = e * np.sqrt(step / last)
        return np.interp(levels, self.levels, e)


@dataclass
class PriorCalibration:
    """A short series' calibration: median + s × factor × the prior's error quantile at the level
    that `level_map` (the local update, on MAP_GRID) sends each level to. Same interface as
    forecast.evaluation.calibrate.SpreadCalibration."""

    entry: PriorEntry
    scale: float  # s of the series (model scale); not positive or NaN: taken from the models' spread
    factor: float = 1.0
    level_map: Optional[np.ndarray] = None

    def mapped(self, levels) -> np.ndarray:
        levels = np.asarray(levels, float)
        return levels if self.level_map is None else np.interp(levels, MAP_GRID, self.level_map)

    def offsets(self, step: int, levels) -> np.ndarray:
        return self.factor * self.entry.error_quantiles(step, self.mapped(levels))

    def _scale(self, spread_at_step1: float) -> float:
        if np.isfinite(self.scale) and self.scale > 0:
            return self.scale
        # A flat history has no yearly change: borrow s from the models' own step-1 interquartile range.
        iqr = np.diff(self.entry.error_quantiles(1, [0.25, 0.75]))[0]
        return float(spread_at_step1 / iqr) if iqr > 0 and np.isfinite(spread_at_step1) else 0.0

    def apply_quantiles(
        self, q: np.ndarray, steps: np.ndarray, median: np.ndarray, levels: Optional[np.ndarray] = None
    ) -> np.ndarray:
        """q: (rows, L) sorted quantiles at `levels` of one series' steps; returns the prior's."""
        from forecast.evaluation.metrics import LEVELS

        levels = np.asarray(LEVELS if levels is None else levels, float)
        first = int(np.argmin(steps))
        s = self._scale(float(np.interp(0.75, levels, q[first]) - np.interp(0.25, levels, q[first])))
        return np.array([m + s * self.offsets(int(step), levels) for m, step in zip(median, steps)])

    def apply_paths(self, paths: np.ndarray, periods_per_step: int = 1) -> np.ndarray:
        """paths: (n, h) on the model scale. Each path keeps its rank in every period (so targets
        about several years stay statements about paths) and takes the prior's quantile at that rank."""
        n, h = paths.shape
        median = np.median(paths, axis=0)
        first = np.quantile(paths[:, 0], [0.25, 0.75])
        s = self._scale(float(first[1] - first[0]))
        ranks = (np.argsort(np.argsort(paths, axis=0, kind="stable"), axis=0) + 0.5) / n
        out = np.empty_like(paths, dtype=float)
        for k in range(h):
            out[:, k] = median[k] + s * self.offsets(k // periods_per_step + 1, ranks[:, k])
        return out

    def to_dict(self) -> dict:
        return {"form": "prior", "scale": self.scale, "factor": self.factor, "windows": self.entry.windows}


@dataclass(frozen=True)
class ShortPrior:
    """Prior entries by (scale, k); series of `max_k` points or more rely on local evidence alone."""

    entries: dict[tuple[str, int], PriorEntry]
    max_k: int
    source: str = ""

    def covers(self, n: int) -> bool:
        return n < self.max_k and any(k <= n for _, k in self.entries)

    def entry(self, scale: str, n: int) -> PriorEntry:
        scale = scale if any(s == scale for s, _ in self.entries) else next(iter(self.entries))[0]
        ks = sorted(k for s, k in self.entries if s == scale)
        known = [k for k in ks if k <= n]
        return self.entries[(scale, max(known) if known else min(ks))]

    @classmethod
    def from_dict(cls, d: dict) -> ShortPrior:
        levels = np.array(d["levels"], float)
        entries = {}
        for e in d["entries"]:
            errors = {int(s): np.array(v, float) for s, v in e["errors"].items()}
            entries[(e["scale"], int(e["k"]))] = PriorEntry(
                {m: float(w) for m, w in e["weights"].items()}, levels, errors, int(e["windows"])
            )
        return cls(entries, int(d["max_k"]), d.get("source", ""))


def prior_covers(prior: Optional[ShortPrior], n: Optional[int]) -> bool:
    """Whether a series of `n` yearly points takes its weights and calibration from `prior` (None:
    no prior, local evidence only)."""
    return prior is not None and n is not None and prior.covers(n)


@lru_cache(maxsize=1)
def default_prior() -> ShortPrior:
    """The shipped prior (package data beside this module)."""
    text = Path(__file__).with_name("short_prior.json").read_text(encoding="utf-8")
    return ShortPrior.from_dict(json.loads(text))


@dataclass
class Correction:
    """The local update of the prior for one scale: blended stretch, level map and their evidence."""

    factor: float = 1.0
    local_factor: float = 1.0
    points: int = 0
    series: int = 0
    level_map: Optional[np.ndarray] = None  # on MAP_GRID, after the stretch (None: identity)

    @property
    def weight(self) -> float:
        return self.points / (self.points + PSEUDO_POINTS)

    def to_dict(self) -> dict:
        d = {
            "factor": round(self.factor, 4),
            "local_factor": round(self.local_factor, 4),
            "points": self.points,
            "series": self.series,
            "weight": round(self.weight, 3),
        }
        if self.level_map is not None:
            d["level_map"] = {
                f"{t:g}": round(float(np.interp(t, MAP_GRID, self.level_map)), 4)
                for t in (0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975)
            }
        return d


def blend(local_factor: float, points: int) -> float:
    """The prior's stretch (1) moved toward the local one by the weight of `points` local points."""
    w = points / (points + PSEUDO_POINTS)
    return float(np.exp(w * np.log(max(local_factor, 1e-3))))


def prior_rows(
    table: pd.DataFrame, prior: ShortPrior, scale_of: Mapping[str, str], default_scale: str
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Back-test rows of short training windows, their quantiles replaced by the prior's for each
    row's training length and scale (median of the prior-weighted mixture + s × error quantiles);
    one scale class at a time, in order (all of them at once, and a copy of every short row of the
    table, were among a province's largest allocations)."""
    short = (table["n_train"] < prior.max_k) & (table["scale"] > 0) & np.isfinite(table["scale"])
    at = np.flatnonzero(short.to_numpy())
    keys = pd.DataFrame(
        {
            "scale": table["series_id"].iloc[at].map(lambda s: scale_of.get(s, default_scale)).to_numpy(),
            "n": table["n_train"].iloc[at].astype(int).to_numpy(),
        }
    )
    groups = sorted(keys.groupby(["scale", "n"]).indices.items())
    for scale, of_scale in itertools.groupby(groups, key=lambda g: g[0][0]):
        parts = [
            rows
            for (_, n), where in of_scale
            if prior.covers(n) and (rows := _with_prior(table.iloc[at[where]], prior.entry(scale, n))) is not None
        ]
        if parts:
            rows = pd.concat(parts, ignore_index=True)
            del parts  # not held while the caller works on the rows
            rows["scale_class"] = scale
            yield scale, rows


def _with_prior(group: pd.DataFrame, entry) -> Optional[pd.DataFrame]:
    """One (scale, length) group's rows as the prior forecasts them; None when none of its models ran."""
    from forecast.evaluation.combine import combine_table

    models = [m for m in entry.weights if m in set(group["model"])]
    if not models:
        return None
    ids = group["series_id"].unique()
    w = pd.DataFrame([[entry.weights[m] for m in models]] * len(ids), index=ids, columns=models)
    combined = combine_table(group[group["model"].isin(models)], w)
    levels = quantile_levels(combined)
    lv = np.array(list(levels))
    q = np.sort(combined[list(levels.values())].to_numpy(float), axis=1)
    median = median_of(q, lv)
    steps = combined["step"].to_numpy(int)
    s = combined["scale"].to_numpy(float)
    new = np.array([m + si * entry.error_quantiles(int(st), lv) for m, si, st in zip(median, s, steps)])
    return pd.concat(
        [
            combined.drop(columns=list(levels.values())),
            pd.DataFrame(new, columns=[level_column(p) for p in lv], index=combined.index),
        ],
        axis=1,
    )


def corrections(
    table: pd.DataFrame, prior: ShortPrior, scale_of: Mapping[str, str], default_scale: str, symmetric: bool = True
) -> dict[str, Correction]:
    """Per scale: how far the store's own short back-tests move the prior (module doc)."""
    from forecast.evaluation.calibrate import SpreadCalibration, calibrated_pits, level_map

    if table.empty or "n_train" not in table:
        return {}
    out = {}
    for scale, group in prior_rows(table, prior, scale_of, default_scale):
        local, n = stretch_factor(group, coverage=0.8)
        factor = blend(local, n)
        lmap = level_map(calibrated_pits(group, SpreadCalibration({1: factor})), symmetric, PSEUDO_POINTS)
        out[str(scale)] = Correction(factor, local, n, int(group["series_id"].nunique()), lmap)
    return out


def corrected_rows(
    table: pd.DataFrame,
    prior: ShortPrior,
    fixes: Mapping[str, Correction],
    scale_of: Mapping[str, str],
    default_scale: str,
) -> pd.DataFrame:
    """The short back-test rows as the run calibrates them: the prior, then its local update
    (in-sample for the update, which was fitted on these rows)."""
    from forecast.evaluation.calibrate import SpreadCalibration, apply_to_table

    parts = []
    for scale, group in prior_rows(table, prior, scale_of, default_scale):
        c = fixes.get(str(scale), Correction())
        parts.append(apply_to_table(group, SpreadCalibration({1: c.factor}, level_map=c.level_map)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


@dataclass
class Basis:
    """What one series' probabilities rest on, as the report states it."""

    source: str  # "prior" (shipped reference prior, no local evidence), "prior+local", "local"
    k: int
    scale: str
    prior_windows: int = 0
    local_series: int = 0
    local_points: int = 0
    local_weight: float = 0.0
    factor: float = 1.0
    thin: bool = False
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "k": self.k,
            "scale": self.scale,
            "prior_windows": self.prior_windows,
            "local_series": self.local_series,
            "local_points": self.local_points,
            "local_weight": round(self.local_weight, 3),
            "factor": round(self.factor, 3),
            "thin": self.thin,
        }
