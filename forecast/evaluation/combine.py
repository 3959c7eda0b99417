"""Selection and combination of models from back-test skill, pooled across series.

Short yearly series cannot judge models alone (a 10-point series gives a handful of scored points),
so skill is pooled over every series of the run, and a series' own record only shifts the weights
as far as its evidence allows (shrinkage with `prior_points` pseudo-points of pooled skill).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from forecast.evaluation.calibrate import SpreadCalibration, apply_to_table, fit_spread, reliability
from forecast.evaluation.metrics import METRICS, quantile_levels, row_blocks, score, score_with_points
from forecast.evaluation.prior import (
    THIN_POINTS,
    Basis,
    Correction,
    PriorCalibration,
    ShortPrior,
    corrections,
    default_prior,
    prior_covers,
)


def skill(table: pd.DataFrame, metric: str = "crps") -> pd.DataFrame:
    """Per series and model: mean metric and the number of scored points."""
    per = score(table, by=["series_id", "model"], metrics=(metric,))
    counts = table.groupby(["series_id", "model"]).size().rename("points").reset_index()
    return per.merge(counts, on=["series_id", "model"])


def weights(
    table: pd.DataFrame, metric: str = "crps", prior_points: float = 12.0, keep_within: float = 1.25
) -> pd.DataFrame:
    """Per-series combination weights (rows: series, columns: models, rows sum to 1).

    Each model's score for a series is its own mean shrunk toward its pooled mean; models more than
    `keep_within` times worse than the series' best are dropped; the rest share equal weight (equal
    weights of good models are hard to beat, estimated weights mostly add noise).
    """
    s = skill(table, metric)
    pooled = s.groupby("model")[metric].mean()
    s["shrunk"] = (s[metric] * s["points"] + pooled.reindex(s["model"]).to_numpy() * prior_points) / (
        s["points"] + prior_points
    )
    wide = s.pivot(index="series_id", columns="model", values="shrunk")
    best = wide.min(axis=1)
    chosen = wide.le(best * keep_within, axis=0) & wide.notna()
    return chosen.div(chosen.sum(axis=1), axis=0).fillna(0.0)


def pooled_weights(table: pd.DataFrame, metric: str = "crps", keep_within: float = 1.25) -> pd.Series:
    """One weight vector for series with no back-test of their own (too short)."""
    pooled = score(table, by=["model"], metrics=(metric,)).set_index("model")[metric]
    chosen = pooled <= pooled.min() * keep_within
    return chosen / chosen.sum()


def mix_quantiles(quantiles: np.ndarray, w: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Quantiles of the weighted mixture of several models' predictive distributions.

    quantiles: (M, rows, L) sorted per row; w: (rows, M); returns (rows, L). Each model's CDF is
    the straight line through its quantiles (flat beyond the outer ones); the mixture CDF is their
    weighted mean, inverted on the union of all models' quantile points.
    """
    M, rows, L = quantiles.shape
    out = np.empty((rows, L))
    for r in range(rows):
        grid = np.sort(quantiles[:, r, :].ravel())
        cdf = np.zeros_like(grid)
        for m in range(M):
            if w[r, m] > 0:
                cdf += w[r, m] * np.interp(grid, quantiles[m, r], levels, left=0.0, right=1.0)
        cdf = np.maximum.accumulate(cdf)
        out[r] = np.interp(levels, cdf, grid)
    return out


RULES = ("mixture", "median", "trimmed", "mean")


def pool_quantiles(quantiles: np.ndarray, w: np.ndarray, levels: np.ndarray, rule: str = "mixture") -> np.ndarray:
    """Combined quantiles (rows, L) of the models with weight > 0 in each row, by one rule.

    "mixture": quantiles of the weighted mixture (`mix_quantiles`). The others combine the models'
    quantiles level by level, ignoring the weights' sizes: "mean" (quantile averaging), "median",
    "trimmed" (mean without the lowest and highest model at each level when at least three are
    present). Each is an order statistic or an average of order statistics of non-decreasing
    quantile functions, so the result is non-decreasing too.
    """
    if rule == "mixture":
        return mix_quantiles(quantiles, w, levels)
    if rule not in RULES:
        raise ValueError(f"unknown combination rule {rule!r}; known: {', '.join(RULES)}")
    present = (w > 0).T[:, :, None]  # (M, rows, 1)
    values = np.where(present, quantiles, np.nan)
    if rule == "mean":
        return np.nanmean(values, axis=0)
    if rule == "median":
        return np.nanmedian(values, axis=0)
    ordered = np.sort(values, axis=0)  # NaN (absent models) sort last
    count = present.sum(axis=0)  # (rows, 1)
    rank = np.arange(len(quantiles))[:, None, None]
    trim = (count >= 3).astype(int)
    keep = (rank >= trim) & (rank < count - trim)
    return np.where(keep, ordered, 0.0).sum(axis=0) / keep.sum(axis=0)


def pool_means(means: np.ndarray, w: np.ndarray, rule: str = "mixture") -> np.ndarray:
    """The combined mean (rows,) from the models' means (M, rows), by the rule of `pool_quantiles`."""
    if rule == "mixture":
        return (np.nan_to_num(means).T * w).sum(axis=1)
    return pool_quantiles(means[:, :, None], w, np.array([0.5]), rule)[:, 0]


def combine_table(table: pd.DataFrame, w: pd.DataFrame, name: str = "combined", rule: str = "mixture") -> pd.DataFrame:
    """Back-test rows of the combination, from the per-model rows (no paths needed)."""
    levels = quantile_levels(table)
    cols = list(levels.values())
    lv = np.array(list(levels))
    keys = ["series_id", "origin", "step"]
    models = [m for m in w.columns]
    key_frame = table[keys]
    first = ~key_frame.duplicated().to_numpy()  # each (series, origin, step) where it first appears
    index = pd.MultiIndex.from_frame(key_frame[first])
    model_of = table["model"].to_numpy()
    where = []  # each model's rows: positions in the table, and of their keys in the index
    for m in models:
        pos = np.flatnonzero(model_of == m)
        where.append((pos, index.get_indexer(pd.MultiIndex.from_frame(key_frame.iloc[pos]))))
    quantile_at, mean_at = [table.columns.get_loc(c) for c in cols], table.columns.get_loc("mean")
    weights_of = w.reindex(index.get_level_values("series_id")).to_numpy(float)
    mixed, mean = np.empty((len(index), len(cols))), np.empty(len(index))
    # A block of rows at a time, each model's rows written straight into one (model, row, level)
    # array: a province's pooled table is ~0.5 GB, and the whole of it stacked again was its peak.
    for block in row_blocks(len(index)):
        a, b = block.start, block.stop
        stacked = np.full((len(models), b - a, len(cols)), np.nan)
        means = np.full((len(models), b - a), np.nan)
        for k, (pos, at) in enumerate(where):
            inside = (at >= a) & (at < b)
            stacked[k, at[inside] - a] = np.sort(table.iloc[pos[inside], quantile_at].to_numpy(float), axis=1)
            means[k, at[inside] - a] = table.iloc[pos[inside], mean_at].to_numpy(float)
        row_w = np.where(np.isnan(stacked[..., 0]).T, 0.0, weights_of[block])  # a model missing at an origin drops out
        total = row_w.sum(axis=1, keepdims=True)
        # A row where every model is missing has no combination: NaN, without dividing by zero.
        row_w = np.divide(row_w, total, out=np.full_like(row_w, np.nan), where=total > 0)
        np.nan_to_num(stacked, copy=False)
        mixed[block] = pool_quantiles(stacked, row_w, lv, rule)
        mean[block] = pool_means(means, row_w, rule)
    out = pd.DataFrame(mixed, columns=cols, index=index, copy=False).reset_index()
    out.insert(1, "model", name)
    out["mean"] = mean
    carried = [c for c in ("y", "last", "scale", "n_train") if c in table]
    for c in carried:
        out[c] = table.loc[first, c].to_numpy()
    return out


@dataclass
class Ensemble:
    """Everything a back-test decides about combining models, fitted once over a pool of series:
    `weights` per series (`pooled` for series without a back-test of their own) and `mixture`, the
    calibration of the weighted mixture. (Calibrating each model before mixing was measured on M3
    and did not pay: experiments/m3/RESULTS.md.)

    Series shorter than the `prior`'s `max_k` take their weights and calibration from the reference
    prior of short histories (forecast.evaluation.prior) at their own length, its stretch moved by the pool's
    own short back-tests as far as their evidence goes (`corrections`, per scale class).
    """

    weights: pd.DataFrame
    pooled: pd.Series
    mixture: SpreadCalibration = field(default_factory=SpreadCalibration)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # the per-model back-test rows
    combined: pd.DataFrame = field(default_factory=pd.DataFrame)  # the calibrated combination's rows
    uncalibrated: Optional[pd.DataFrame] = None  # `reliability` of the combination before its calibration
    rule: str = "mixture"  # how the chosen models' distributions are pooled (`pool_quantiles`)
    prior: Optional[ShortPrior] = None
    corrections: dict[str, Correction] = field(default_factory=dict)
    scale_of: dict[str, str] = field(default_factory=dict)  # series -> scale class (forecast.evaluation.prior)
    default_scale: str = "free"
    _scores: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # `score`, once each

    # The two kinds of rows stay two frames: one concatenated copy of a province's pooled table was
    # the largest allocation of its refresh. What reads both goes through `rows` and `score`.

    def rows(self, series_ids: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """The per-model rows, then the combination's; of `series_ids` only, when given."""
        parts = [self.table, self.combined]
        if series_ids is not None:
            ids = list(series_ids)
            parts = [f[f["series_id"].isin(ids)] if len(f) else f for f in parts]
        parts = [f for f in parts if len(f)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def score(self, by: list[str], metrics: Sequence[str] = tuple(METRICS)) -> pd.DataFrame:
        """`metrics.score` of every row grouped `by` (which holds "model", so no group spans the two
        frames), with each group's `points`, in the order of `by`. Computed once per ensemble: the
        plans of a refresh share one, and each plan's tracking asks again."""
        key = (tuple(by), tuple(metrics))
        if key not in self._scores:
            parts = [score_with_points(f, by, metrics) for f in (self.table, self.combined) if len(f)]
            self._scores[key] = (
                pd.concat(parts, ignore_index=True).sort_values(by, ignore_index=True) if parts else pd.DataFrame()
            )
        return self._scores[key].copy()

    def uses_prior(self, n: Optional[int]) -> bool:
        return prior_covers(self.prior, n)

    def weights_for(
        self, series_id: str, available: list[str], n: Optional[int] = None, scale: str = "free"
    ) -> pd.Series:
        # A short series' own back-tests are shorter still (models that need more points never ran
        # there): its weights are those the candidates earned on the corpus at its own length.
        if self.uses_prior(n):
            w = pd.Series(self.prior.entry(scale, n).weights)
        elif series_id in self.weights.index:
            w = self.weights.loc[series_id]
        else:
            w = self.pooled
        w = w.reindex(available).fillna(0.0)
        if w.sum() == 0:  # none of the chosen models ran here: those that did share equally
            w[:] = 1.0
        return w / w.sum()

    def calibration_for(self, n: Optional[int] = None, scale: str = "free", s: float = float("nan")):
        """The calibration for a series of `n` annual points on the `scale` class whose mean absolute
        yearly change on the model scale is `s` (forecast.evaluation.prior.series_scale): the pooled back-test
        calibration, or for a short series the prior's (forecast.evaluation.prior.PriorCalibration)."""
        if not self.uses_prior(n):
            return self.mixture
        c = self.corrections.get(scale, Correction())
        return PriorCalibration(self.prior.entry(scale, n), s, c.factor, c.level_map)

    def basis(self, n: Optional[int] = None, scale: str = "free") -> Basis:
        """What the probabilities of a series of `n` points rest on."""
        if self.uses_prior(n):
            c = self.corrections.get(scale, Correction())
            entry = self.prior.entry(scale, n)
            return Basis(
                "prior+local" if c.points else "prior",
                int(n),
                scale,
                entry.windows,
                c.series,
                c.points,
                c.weight,
                c.factor,
                thin=c.points < THIN_POINTS,
            )
        points = int(sum(self.mixture.points.values())) if self.mixture.points else 0
        series = int(self.table["series_id"].nunique()) if len(self.table) else 0
        return Basis(
            "local",
            int(n or 0),
            scale,
            0,
            series,
            points,
            1.0 if points else 0.0,
            thin=points < THIN_POINTS or series < 5,
        )

    def describe(self) -> dict:
        """Plain-JSON summary: the mixture calibration, the prior's use and its local corrections."""
        return {
            "mixture": self.mixture.to_dict(),
            "mean_weights": self.weights.mean().round(3).to_dict() if len(self.weights) else {},
            "prior": None if self.prior is None else {"max_k": self.prior.max_k, "source": self.prior.source},
            "corrections": {s: c.to_dict() for s, c in self.corrections.items()},
        }


def resolve_prior(prior: Optional[ShortPrior] | str = "default") -> Optional[ShortPrior]:
    """The short-history prior a run uses: "default" is the shipped one, None local evidence only."""
    return default_prior() if isinstance(prior, str) else prior


def fit_ensemble(
    table: pd.DataFrame,
    models: list[str],
    symmetric: bool = False,
    rule: str = "mixture",
    prior: Optional[ShortPrior] | str = "default",
    scale_of: Optional[Mapping[str, str]] = None,
    default_scale: str = "free",
) -> Ensemble:
    """Weights and the mixture calibration from per-model back-test rows.

    With the "mixture" rule the back-test selects models per series (`weights`); the other rules
    pool every candidate that ran, with equal weights. `prior`: the short-history prior ("default":
    the shipped one; None: local evidence only); `scale_of`: each series' scale class
    (forecast.evaluation.prior.scale_class), `default_scale` for the rest.
    """
    if rule not in RULES:
        raise ValueError(f"unknown combination rule {rule!r}; known: {', '.join(RULES)}")
    prior = resolve_prior(prior)
    if table.empty:
        return Ensemble(pd.DataFrame(), pd.Series(1.0 / len(models), index=list(models)), rule=rule, prior=prior)
    if rule == "mixture":
        w, pooled = weights(table), pooled_weights(table)
    else:
        present = sorted(table["model"].unique())
        w = pd.DataFrame(1.0 / len(present), index=sorted(table["series_id"].unique()), columns=present)
        pooled = pd.Series(1.0 / len(present), index=present)
    combined = combine_table(table, w, rule=rule)
    mixture = fit_spread(combined, symmetric=symmetric)
    before = reliability(combined)
    apply_to_table(combined, mixture, in_place=True)
    fixes = corrections(table, prior, scale_of or {}, default_scale, symmetric) if prior is not None else {}
    return Ensemble(
        w,
        pooled,
        mixture,
        table,
        combined,
        before,
        rule,
        prior=prior,
        corrections=fixes,
        scale_of=dict(scale_of or {}),
        default_scale=default_scale,
    )
