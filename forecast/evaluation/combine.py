"""Selection and combination of models from back-test skill, pooled across series.

Short yearly series cannot judge models alone (a 10-point series gives a handful of scored points),
so skill is pooled over every series of the run, and a series' own record only shifts the weights
as far as its evidence allows (shrinkage with `prior_points` pseudo-points of pooled skill).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecast.evaluation.calibrate import SpreadCalibration, apply_to_table, fit_spread
from forecast.evaluation.metrics import quantile_levels, score


def skill(table: pd.DataFrame, metric: str = "crps") -> pd.DataFrame:
    """Per series and model: mean metric and the number of scored points."""
    per = score(table, by=["series_id", "model"], metrics=(metric,))
    counts = table.groupby(["series_id", "model"]).size().rename("points").reset_index()
    return per.merge(counts, on=["series_id", "model"])


def weights(table: pd.DataFrame, metric: str = "crps", prior_points: float = 12.0,
            keep_within: float = 1.25) -> pd.DataFrame:
    """Per-series combination weights (rows: series, columns: models, rows sum to 1).

    Each model's score for a series is its own mean shrunk toward its pooled mean; models more than
    `keep_within` times worse than the series' best are dropped; the rest share equal weight (equal
    weights of good models are hard to beat, estimated weights mostly add noise).
    """
    s = skill(table, metric)
    pooled = s.groupby("model")[metric].mean()
    s["shrunk"] = ((s[metric] * s["points"] + pooled.reindex(s["model"]).to_numpy() * prior_points)
                   / (s["points"] + prior_points))
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


def combine_table(table: pd.DataFrame, w: pd.DataFrame, name: str = "combined") -> pd.DataFrame:
    """Back-test rows of the weighted mixture, from the per-model rows (no paths needed)."""
    levels = quantile_levels(table)
    cols = list(levels.values())
    lv = np.array(list(levels))
    keys = ["series_id", "origin", "step"]
    models = [m for m in w.columns]
    parts = {m: table[table["model"] == m].set_index(keys) for m in models}
    index = table[keys].drop_duplicates().set_index(keys).index
    stacked = np.stack([np.sort(parts[m].reindex(index)[cols].to_numpy(float), axis=1) for m in models])
    means = np.stack([parts[m].reindex(index)["mean"].to_numpy(float) for m in models])
    row_w = w.reindex(index.get_level_values("series_id")).to_numpy(float)
    row_w = np.where(np.isnan(stacked[..., 0]).T, 0.0, row_w)  # a model missing at an origin drops out
    row_w = row_w / row_w.sum(axis=1, keepdims=True)
    stacked = np.nan_to_num(stacked)
    mixed = mix_quantiles(stacked, row_w, lv)
    first = table.drop_duplicates(keys).set_index(keys).reindex(index)
    out = pd.DataFrame(mixed, columns=cols, index=index).reset_index()
    out.insert(1, "model", name)
    out["mean"] = (np.nan_to_num(means).T * row_w).sum(axis=1)
    for c in ("y", "last", "scale"):
        out[c] = first[c].to_numpy()
    return out


@dataclass
class Ensemble:
    """Everything a back-test decides about combining models, fitted once over a pool of series:
    `weights` per series (`pooled` for series without a back-test of their own) and `mixture`, the
    calibration of the weighted mixture. (Calibrating each model before mixing was measured on M3
    and did not pay: experiments/m3/RESULTS.md.)
    """

    weights: pd.DataFrame
    pooled: pd.Series
    mixture: SpreadCalibration = field(default_factory=SpreadCalibration)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # per-model and calibrated "combined" rows

    def weights_for(self, series_id: str, available: list[str]) -> pd.Series:
        w = self.weights.loc[series_id] if series_id in self.weights.index else self.pooled
        w = w.reindex(available).fillna(0.0)
        if w.sum() == 0:  # none of the chosen models ran here: those that did share equally
            w[:] = 1.0
        return w / w.sum()


def fit_ensemble(table: pd.DataFrame, models: list[str], symmetric: bool = False) -> Ensemble:
    """Weights and the mixture calibration from per-model back-test rows."""
    if table.empty:
        return Ensemble(pd.DataFrame(), pd.Series(1.0 / len(models), index=list(models)))
    w = weights(table)
    combined = combine_table(table, w)
    mixture = fit_spread(combined, symmetric=symmetric)
    combined = apply_to_table(combined, mixture)
    return Ensemble(w, pooled_weights(table), mixture, pd.concat([table, combined], ignore_index=True))
