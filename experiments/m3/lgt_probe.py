"""Probe: Smyl's Local and Global Trend model (LGT) fitted by maximum a posteriori, on M3 yearly.

    .venv/bin/python experiments/m3/lgt_probe.py [--split nested|test] [--limit N]

LGT is the one published method below the issue's sMAPE goal on M3 yearly (15.23, fitted by MCMC
in Stan). Full posterior sampling per series is far from 17 series/s on two cores, so this probe asks
whether its point forecast survives a cheap fit: the model

    yhat_t = l_{t-1} + gamma * l_{t-1}^rho + lambda * b_{t-1}        (global power trend + damped local)
    y_t ~ Student-t(nu = 5, yhat_t, sigma * yhat_t^tau + xi)
    l_t = alpha * y_t + (1 - alpha) * l_{t-1},   b_t = beta * (l_t - l_{t-1}) + (1 - beta) * b_{t-1}

on each series divided by its mean, fitted by Nelder–Mead from two starts, with weak normal priors on
rho and lambda (on their logit scale), forecast by its deterministic recursion. Beside it, on the same
split: `dotm` and `theta` from the catalogue (the median of 400 paths) and the naive forecast, and the
mean of LGT and dotm. `--split nested` scores each training part's last 6 points from the rest (the
nested hold-out of nested.py); `--split test` the M3 test parts. Prints sMAPE, MASE and OWA.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit

HERE = Path(__file__).resolve().parent
H = 6
NU = 5.0


def load(m3: Path, split: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    meta = pd.read_csv(m3 / "meta.csv", dtype={"series_id": str})
    ids = set(meta.loc[meta["period"] == "YEARLY", "series_id"])
    train = pd.read_csv(m3 / "train.csv", dtype={"series_id": str, "ds": str})
    train = train[train["series_id"].isin(ids)].sort_values(["series_id", "ds"], kind="stable")
    parts = {sid: g["y"].to_numpy(float) for sid, g in train.groupby("series_id")}
    if split == "nested":
        return {sid: (y[:-H], y[-H:]) for sid, y in parts.items()}
    test = pd.read_csv(m3 / "test.csv", dtype={"series_id": str, "ds": str})
    test = test[test["series_id"].isin(ids)].sort_values(["series_id", "ds"], kind="stable")
    future = {sid: g["y"].to_numpy(float)[:H] for sid, g in test.groupby("series_id")}
    return {sid: (y, future[sid]) for sid, y in parts.items()}


def _unpack(p: np.ndarray) -> tuple[float, ...]:
    alpha, beta, gamma = expit(p[0]), expit(p[1]), p[2]
    rho, lam = -0.5 + 1.5 * expit(p[3]), -1 + 2 * expit(p[4])
    sigma, tau, xi = np.exp(p[5]), expit(p[6]), np.exp(p[7])
    return alpha, beta, gamma, rho, lam, sigma, tau, xi


def _neg_log_posterior(p: np.ndarray, y: np.ndarray) -> float:
    alpha, beta, gamma, rho, lam, sigma, tau, xi = _unpack(p)
    level, slope, total = y[0], 0.0, 0.0
    for t in range(1, len(y)):
        yhat = level + gamma * level**rho + lam * slope
        if not np.isfinite(yhat) or yhat <= 0:
            return 1e10
        scale = sigma * yhat**tau + xi
        z = (y[t] - yhat) / scale
        total += np.log(scale) + 0.5 * (NU + 1) * np.log1p(z * z / NU)
        new = alpha * y[t] + (1 - alpha) * level
        if new <= 0:
            return 1e10
        slope = beta * (new - level) + (1 - beta) * slope
        level = new
    return total + 0.05 * (p[3] ** 2 + p[4] ** 2)


def lgt_forecast(y: np.ndarray, h: int = H) -> np.ndarray:
    """The MAP fit's point forecast; the series must be positive (LGT's trend is a power of the level)."""
    mean = float(np.mean(y))
    z = y / mean
    starts = (
        [0.0, -1.0, 0.0, 0.0, 0.0, np.log(0.05), 0.0, np.log(0.01)],
        [1.0, -2.0, 0.02, 1.0, 1.0, np.log(0.05), 0.0, np.log(0.01)],
    )
    best = None
    for start in starts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = minimize(
                _neg_log_posterior,
                np.array(start),
                args=(z,),
                method="Nelder-Mead",
                options={"maxiter": 3000, "xatol": 1e-4, "fatol": 1e-6},
            )
        if best is None or fit.fun < best.fun:
            best = fit
    assert best is not None
    alpha, beta, gamma, rho, lam, *_ = _unpack(best.x)
    level, slope = z[0], 0.0
    for value in z[1:]:
        new = alpha * value + (1 - alpha) * level
        slope, level = beta * (new - level) + (1 - beta) * slope, new
    out = []
    for _ in range(h):
        yhat = level + gamma * max(level, 1e-9) ** rho + lam * slope
        out.append(yhat)
        new = alpha * yhat + (1 - alpha) * level
        slope, level = beta * (new - level) + (1 - beta) * slope, new
    return np.array(out) * mean


def catalogue_median(name: str, y: np.ndarray, h: int = H) -> np.ndarray:
    from forecast.forecasters import catalogue

    model = catalogue.instantiate([name])[name]
    series = pd.Series(y, index=pd.period_range("1900", periods=len(y), freq="Y"))
    return np.median(model.fit(series).sample_paths(h, 400, np.random.default_rng(0)), axis=0)


def smape(f: np.ndarray, a: np.ndarray) -> float:
    return float(np.mean(200 * np.abs(f - a) / (np.abs(f) + np.abs(a))))


def mase(f: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.abs(f - a)) / np.mean(np.abs(np.diff(y))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("nested", "test"), default="nested")
    parser.add_argument("--m3", type=Path, default=HERE.parent.parent.parent / "shared" / "data" / "m3")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    data = load(args.m3, args.split)
    if args.limit:
        data = dict(list(data.items())[: args.limit])
    rows, lgt_seconds = [], 0.0
    for sid, (y, actual) in data.items():
        start = time.perf_counter()
        lgt = lgt_forecast(y)
        lgt_seconds += time.perf_counter() - start
        methods = {
            "lgt_map": lgt,
            "dotm": catalogue_median("dotm", y),
            "theta": catalogue_median("theta", y),
            "naive": np.repeat(y[-1], H),
        }
        methods["mean(lgt_map, dotm)"] = (lgt + methods["dotm"]) / 2
        rows += [(sid, m, smape(f, actual), mase(f, actual, y)) for m, f in methods.items()]
    table = (
        pd.DataFrame(rows, columns=["series_id", "method", "smape", "mase"])
        .groupby("method", sort=False)[["smape", "mase"]]
        .mean()
    )
    naive = table.loc["naive"]
    table["owa"] = 0.5 * (table["smape"] / naive["smape"] + table["mase"] / naive["mase"])
    print(f"{args.split}: {len(data)} series; LGT fits {lgt_seconds / len(data) * 1000:.0f} ms a series (one core)")
    print(table.round(3).to_string())


if __name__ == "__main__":
    main()
