"""Rolling-origin evaluation of any forecaster, on a fresh copy per origin.

The result is one long table, one row per (series_id, model, origin, step), with the actual value,
the mean, the quantiles, the last training value and the MASE scale at the origin: every metric in
`forecast.metrics`, every selection rule and the calibration are functions over that table. Short
series give few rows each; pooling across series happens in the functions over the table.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from .forecasters.base import Forecaster, _season_length
from .metrics import mase_scale

# Quantile levels written by back-tests and batch forecasts: 0.01..0.99 plus 0.025/0.975.
LEVELS: tuple[float, ...] = tuple(sorted({round(i / 100, 2) for i in range(1, 100)} | {0.025, 0.975}))


def level_column(p: float) -> str:
    return "q" + format(round(p, 6), "g")


def quantile_frame(paths: np.ndarray, levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """Mean and quantile columns per step from (n, h) paths."""
    qs = np.quantile(paths, levels, axis=0)  # (len(levels), h)
    frame = pd.DataFrame({level_column(p): qs[i] for i, p in enumerate(levels)})
    frame.insert(0, "mean", paths.mean(axis=0))
    return frame


def origins_for(n: int, h: int, n_origins: int, min_train: int) -> list[int]:
    """Training lengths of the back-test origins, oldest first.

    The latest `n_origins` origins that still leave the full horizon to score, so every step gets
    evidence; a series too short for that falls back to the latest origins (shorter horizons).
    """
    full = [k for k in range(n - h, n - h - n_origins, -1) if k >= min_train]
    if full:
        return full[::-1]
    return [k for k in range(n - 1, n - 1 - n_origins, -1) if k >= min_train][::-1]


@dataclass
class BacktestResult:
    table: pd.DataFrame
    failures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["series_id", "model", "origin", "error"]))


def backtest(models: Mapping[str, Forecaster], series: Mapping[str, pd.Series], h: int, n_origins: int = 3,
             n_paths: int = 500, seed: int = 0, levels: Sequence[float] = LEVELS,
             combine: Optional[str] = None) -> BacktestResult:
    """Rolling-origin back-test of every model on every series.

    A model that fails at an origin is recorded in `failures` with its error and never replaced.
    With `combine="mixture"`, an extra model "mixture" pools the paths of the models that succeeded.
    """
    rows, failures = [], []
    for sid, y in series.items():
        rng = np.random.default_rng([seed, zlib.crc32(sid.encode())])
        m = _season_length(y.index.freqstr)
        min_train = min(model.min_obs for model in models.values())
        for k in origins_for(len(y), h, n_origins, min_train):
            train, test = y.iloc[:k], y.iloc[k:k + h]
            frames, pooled = [], []
            for name, model in models.items():
                if model.not_applicable(train) is not None:
                    continue
                try:
                    paths = model.clone().fit(train).sample_paths(len(test), n_paths, rng)
                except Exception as exc:  # reported, never silently replaced
                    failures.append({"series_id": sid, "model": name, "origin": str(train.index[-1]),
                                     "error": f"{type(exc).__name__}: {exc}"})
                    continue
                frames.append((name, paths))
                pooled.append(paths)
            if combine == "mixture" and len(pooled) > 1:
                frames.append(("mixture", np.concatenate(pooled, axis=0)))
            for name, paths in frames:
                frame = quantile_frame(paths, levels)
                frame.insert(0, "y", test.to_numpy(float))
                frame.insert(0, "step", np.arange(1, len(test) + 1))
                frame.insert(0, "origin", str(train.index[-1]))
                frame.insert(0, "model", name)
                frame.insert(0, "series_id", sid)
                frame["last"] = float(train.iloc[-1])
                frame["scale"] = mase_scale(train.to_numpy(float), m)
                rows.append(frame)
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return BacktestResult(table, pd.DataFrame(failures, columns=["series_id", "model", "origin", "error"]))


def long_to_series(frame: pd.DataFrame, freq: str) -> dict[str, pd.Series]:
    """A long `series_id, ds, y` frame as one Series per id on a PeriodIndex, sorted by ds.

    Periods are read from the ds text (so placeholder years such as 0001 work); gaps and duplicates
    are left for the caller's checks to find.
    """
    out = {}
    for sid, group in frame.groupby("series_id", sort=False):
        group = group.sort_values("ds")
        index = pd.PeriodIndex([pd.Period(str(d)[:10], freq) for d in group["ds"]], freq=freq)
        out[str(sid)] = pd.Series(group["y"].to_numpy(float), index=index)
    return out
