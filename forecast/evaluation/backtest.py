"""Rolling-origin evaluation of any forecaster, on a fresh copy per origin.

The result is one long table, one row per (series_id, model, origin, step), with the actual value,
the mean, the quantiles, the last training value, the MASE scale and the training length
(`n_train`) at the origin: every metric in
`forecast.evaluation.metrics`, every selection rule and the calibration are functions over that table. Short
series give few rows each; pooling across series happens in the functions over the table.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from forecast.evaluation.metrics import LEVELS, level_column, mase_scale
from forecast.forecasters.base import Forecaster, season_length


def quantile_block(paths: np.ndarray, levels: Sequence[float] = LEVELS) -> np.ndarray:
    """(h, 1 + len(levels)) array per step: the mean, then the quantiles, of (n, h) paths."""
    return np.column_stack([paths.mean(axis=0), np.quantile(paths, levels, axis=0).T])


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
    failures: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["series_id", "model", "origin", "error"])
    )

    @staticmethod
    def concat(parts: list[BacktestResult]) -> BacktestResult:
        """Per-series results as one, in the given order (the same rows a single back-test makes).
        `parts` is emptied: each part is let go once copied (see `concat_emptying`)."""
        failures = [p.failures for p in parts if len(p.failures)]
        tables = [p.table for p in parts if len(p.table)]
        parts.clear()
        return BacktestResult(
            concat_emptying(tables) if tables else pd.DataFrame(),
            pd.concat(failures, ignore_index=True)
            if failures
            else pd.DataFrame(columns=["series_id", "model", "origin", "error"]),
        )


def concat_emptying(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """`pd.concat(tables, ignore_index=True)`, emptying `tables` as it goes: the float columns are
    copied into one array a table at a time and each table let go once copied, so the peak is the
    result and one table instead of twice the result (a province's pooled table is ~0.4 GB)."""
    columns, dtypes = tables[0].columns, tables[0].dtypes
    if not all(t.columns.equals(columns) and t.dtypes.equals(dtypes) for t in tables):
        out = pd.concat(tables, ignore_index=True)  # unlike tables: pandas' own rules
        tables.clear()
        return out
    floats = [c for c, d in dtypes.items() if d == np.float64]
    others = [c for c in columns if c not in set(floats)]
    block = np.empty((sum(len(t) for t in tables), len(floats)))
    pieces: dict[str, list[pd.Series]] = {c: [] for c in others}
    at = 0
    tables.reverse()
    while tables:
        t = tables.pop()
        block[at : at + len(t)] = t[floats].to_numpy()
        for c in others:
            pieces[c].append(t[c].copy())  # its own copy: a view would keep the table alive
        at += len(t)
        del t
    out = pd.DataFrame(block, columns=floats, copy=False)
    for i, c in enumerate(columns):
        if c in pieces:
            out.insert(i, c, pd.concat(pieces.pop(c), ignore_index=True))
    return out


def backtest(
    models: Mapping[str, Forecaster],
    series: Mapping[str, pd.Series],
    h: int,
    n_origins: int = 3,
    n_paths: int = 500,
    seed: int = 0,
    levels: Sequence[float] = LEVELS,
    on_series: Optional[Callable[[str, int, int], None]] = None,
) -> BacktestResult:
    """Rolling-origin back-test of every model on every series.

    A model that fails at an origin is recorded in `failures` with its error and never replaced.
    `on_series(series_id, done, total)` is told before each series (for a progress bar).
    """
    keys, numbers, failures = [], [], []  # one frame is built at the end: per-origin frames cost more than the fits
    for i, (sid, y) in enumerate(series.items()):
        if on_series is not None:
            on_series(sid, i, len(series))
        rng = np.random.default_rng([seed, zlib.crc32(sid.encode())])
        m = season_length(y.index.freqstr)
        min_train = min(model.min_obs for model in models.values())
        for k in origins_for(len(y), h, n_origins, min_train):
            train, test = y.iloc[:k], y.iloc[k : k + h]
            origin, steps = str(train.index[-1]), np.arange(1, len(test) + 1)
            last, scale = float(train.iloc[-1]), mase_scale(train.to_numpy(float), m)
            for name, model in models.items():
                if model.not_applicable(train) is not None:
                    continue
                try:
                    paths = model.clone().fit(train).sample_paths(len(test), n_paths, rng)
                except Exception as exc:  # reported, never silently replaced
                    failures.append(
                        {"series_id": sid, "model": name, "origin": origin, "error": f"{type(exc).__name__}: {exc}"}
                    )
                    continue
                keys += [(sid, name, origin)] * len(test)
                numbers.append(
                    np.column_stack(
                        [
                            steps,
                            test.to_numpy(float),
                            quantile_block(paths, levels),
                            np.full(len(test), last),
                            np.full(len(test), scale),
                            np.full(len(test), k),
                        ]
                    )
                )
    failures = pd.DataFrame(failures, columns=["series_id", "model", "origin", "error"])
    if not numbers:
        return BacktestResult(pd.DataFrame(), failures)
    columns = ["step", "y", "mean", *(level_column(p) for p in levels), "last", "scale", "n_train"]
    table = pd.DataFrame(np.vstack(numbers), columns=columns)
    table[["step", "n_train"]] = table[["step", "n_train"]].astype(int)
    meta = pd.DataFrame(keys, columns=["series_id", "model", "origin"])
    return BacktestResult(pd.concat([meta, table], axis=1), failures)


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
