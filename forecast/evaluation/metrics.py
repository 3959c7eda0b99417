"""Accuracy, interval, quantile and event metrics, and the registry that names them.

Definitions follow the M4 guidelines (sMAPE, MASE, MSIS) and agree with the neutral scorer used in
`experiments/` (tests/test_metrics.py checks the agreement). Functions take arrays and return arrays
of per-point terms; the registry averages them over a back-test table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd


def smape_terms(y, f) -> np.ndarray:
    y, f = np.asarray(y, float), np.asarray(f, float)
    den = np.abs(y) + np.abs(f)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, 200.0 * np.abs(y - f) / np.where(den > 0, den, 1.0), 0.0)


def mase_scale(x, m: int = 1) -> float:
    """Mean absolute seasonal difference in sample; NaN when it cannot be formed."""
    x = np.asarray(x, float)
    return float(np.mean(np.abs(x[m:] - x[:-m]))) if len(x) > m else float("nan")


def pinball(y, q, tau) -> np.ndarray:
    diff = np.asarray(y, float) - np.asarray(q, float)
    return np.maximum(tau * diff, (tau - 1.0) * diff)


def interval_score(y, lo, hi, alpha: float) -> np.ndarray:
    y, lo, hi = (np.asarray(a, float) for a in (y, lo, hi))
    return (hi - lo) + (2.0 / alpha) * ((lo - y) * (y < lo) + (y - hi) * (y > hi))


def prob_at_least(c, levels, q, clamp=(0.005, 0.995)) -> np.ndarray:
    """P(Y >= c) from sorted quantile rows, the CDF read by linear interpolation between quantiles."""
    c = np.asarray(c, float)
    q = np.atleast_2d(np.asarray(q, float))
    levels = np.asarray(levels, float)
    out = np.empty(len(c))
    for i in range(len(c)):
        row = q[i]
        if c[i] < row[0]:
            out[i] = clamp[1]
        elif c[i] > row[-1]:
            out[i] = clamp[0]
        else:
            k = int(np.searchsorted(row, c[i], side="left"))  # first quantile >= c
            if k == 0:
                cdf = levels[0]
            else:
                cdf = levels[k - 1] + (levels[k] - levels[k - 1]) * (c[i] - row[k - 1]) / (row[k] - row[k - 1])
            out[i] = 1.0 - cdf
    return out


def brier_with_reliability(p, o, n_bins: int = 10) -> tuple[float, pd.DataFrame]:
    """Brier score and the reliability table (mean predicted vs observed frequency per bin)."""
    p, o = np.asarray(p, float), np.asarray(o, float)
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    table = (
        pd.DataFrame({"bin": bins, "p": p, "o": o})
        .groupby("bin")
        .agg(mean_predicted=("p", "mean"), observed_frequency=("o", "mean"), count=("o", "size"))
        .reindex(range(n_bins))
        .reset_index()
    )
    table.insert(1, "range", [f"{b / n_bins:.1f}–{(b + 1) / n_bins:.1f}" for b in range(n_bins)])
    return float(np.mean((p - o) ** 2)), table


# -- over a back-test table ----------------------------------------------------------------------
# A back-test table has one row per (series_id, model, origin, step) with columns y, mean, last,
# scale (MASE scale at the origin) and quantile columns "q<level>".

# Quantile levels written by back-tests and batch forecasts: 0.01..0.99 plus 0.025/0.975.
LEVELS: tuple[float, ...] = tuple(sorted({round(i / 100, 2) for i in range(1, 100)} | {0.025, 0.975}))


def level_column(p: float) -> str:
    """0.1 -> 'q0.1', 0.025 -> 'q0.025'."""
    return "q" + format(round(p, 6), "g")


def interval_columns(level: float) -> tuple[str, str]:
    """The quantile columns bounding the central interval: 0.8 -> ('q0.1', 'q0.9')."""
    return level_column(0.5 - level / 2), level_column(0.5 + level / 2)


def quantile_levels(table: pd.DataFrame) -> dict[float, str]:
    return {float(c[1:]): c for c in table.columns if c.startswith("q") and c[1:].replace(".", "", 1).isdigit()}


def _point(table: pd.DataFrame) -> np.ndarray:
    return table["q0.5"].to_numpy(float) if "q0.5" in table else table["mean"].to_numpy(float)


def coverage_terms(level: float) -> Callable[[pd.DataFrame], np.ndarray]:
    """1 where the outcome falls inside the central `level` interval, else 0."""
    lo, hi = interval_columns(level)
    return lambda t: ((t["y"] >= t[lo]) & (t["y"] <= t[hi])).to_numpy(float)


# A province's pooled table has ~600,000 rows: its losses at once took ~1 GB. Every row's numbers are
# its own, so what works row by row on a table works a block of rows at a time: the same numbers, in
# bounded memory.
ROWS_AT_ONCE = 5_000


def row_blocks(n: int) -> Iterator[slice]:
    """Consecutive slices of `n` rows, `ROWS_AT_ONCE` at most each."""
    return (slice(a, min(a + ROWS_AT_ONCE, n)) for a in range(0, n, ROWS_AT_ONCE))


def _scaled_pinball(t: pd.DataFrame) -> np.ndarray:
    if len(t) > ROWS_AT_ONCE:
        return np.concatenate([_scaled_pinball(t.iloc[rows]) for rows in row_blocks(len(t))])
    levels = quantile_levels(t)
    losses = np.column_stack([pinball(t["y"], t[c], lvl) for lvl, c in levels.items()])
    return _scaled(losses.mean(axis=1), t)


def _scaled(values: np.ndarray, t: pd.DataFrame) -> np.ndarray:
    """Values over each row's MASE scale; a zero scale gives inf, which `score` skips (no warning)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(values, float) / t["scale"].to_numpy(float)


def _msis(t: pd.DataFrame) -> np.ndarray:
    return _scaled(interval_score(t["y"], t["q0.025"], t["q0.975"], 0.05), t)


METRICS: dict[str, Callable[[pd.DataFrame], np.ndarray]] = {
    "smape": lambda t: smape_terms(t["y"], _point(t)),
    "mase": lambda t: _scaled(np.abs(t["y"].to_numpy(float) - _point(t)), t),
    "pinball": _scaled_pinball,
    "crps": lambda t: 2.0 * _scaled_pinball(t),  # dense, even levels: CRPS ≈ 2 × mean pinball
    "coverage80": coverage_terms(0.8),
    "coverage95": coverage_terms(0.95),
    "msis": _msis,
}


def score(table: pd.DataFrame, by: list[str] | None = None, metrics=tuple(METRICS)) -> pd.DataFrame:
    """Mean of each metric's per-row terms, over the table or per group.

    Scaled metrics skip rows whose scale is zero or missing (a constant history has no MASE scale).
    """
    terms = pd.DataFrame({name: METRICS[name](table) for name in metrics}, index=table.index)
    terms = terms.replace([np.inf, -np.inf], np.nan)
    if by:
        terms[by] = table[by]
        return terms.groupby(by).mean().reset_index()
    return terms.mean().to_frame().T


def score_with_points(table: pd.DataFrame, by: list[str], metrics=tuple(METRICS)) -> pd.DataFrame:
    """`score` per group `by`, with each group's number of rows as `points`."""
    return score(table, by=by, metrics=metrics).merge(table.groupby(by).size().rename("points").reset_index(), on=by)


EVENT_DELTAS = (-0.2, -0.1, -0.05, 0.0, 0.05, 0.1, 0.2)


def threshold_events(table: pd.DataFrame, deltas=EVENT_DELTAS) -> pd.DataFrame:
    """Feasibility events at each series' last step: is y ≥ last·(1+δ)? With P from the quantiles."""
    last_step = table.groupby(["series_id", "model", "origin"])["step"].transform("max") == table["step"]
    t = table[last_step]
    levels = quantile_levels(t)
    q = np.sort(t[list(levels.values())].to_numpy(float), axis=1)
    rows = []
    for d in deltas:
        c = t["last"].to_numpy(float) * (1 + d)
        rows.append(
            pd.DataFrame(
                {
                    "series_id": t["series_id"].to_numpy(),
                    "model": t["model"].to_numpy(),
                    "origin": t["origin"].to_numpy(),
                    "delta": d,
                    "p": prob_at_least(c, list(levels), q),
                    "event": (t["y"].to_numpy(float) >= c).astype(float),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
