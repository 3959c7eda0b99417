"""Learn the pooled autoregression (forecast/forecasters/pooled.py) and write models/pooled_ar.json.

    .venv/bin/python experiments/pooled_model/build.py [--check]

Corpus (all in ../shared/data; never an M3 yearly test part, never M1 or tourism): the M3 yearly
TRAINING parts, and the M3 quarterly and monthly series annualised (experiments/short_series/corpus.py's
sources without the M4 tails, whose six points leave no window with six years after it). Every cut
of every series with at least MIN_POINTS points before it and HORIZON after it is one row. The map is
a ridge regression (scikit-learn); its stored errors are out-of-fold (5 folds of whole series).

`--check` prints, on training data only: the hold-out (the last 6 points of each M3 yearly training
part, the map learned without them) and the leak check (the M3 yearly back-test origins, scored by
the shipped map, which saw them, against the out-of-fold map, which did not).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge

from forecast.forecasters import build
from forecast.forecasters.base import mean_abs_change
from forecast.forecasters.pooled import PooledMap, last_window, window_features

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "short_series"))
from corpus import annual_sources  # noqa: E402  the short-history corpus' sources, one definition

WINDOW = 6  # chosen on the hold-out (5-8 and ridge alpha 0.1-100 tried; see README)
HORIZON = 6
MIN_POINTS = 3  # with 2 points s is one change, and the scaled targets explode
ALPHA = 1.0
FOLDS = 5
KEPT_ERRORS = 4000
SEED = 0
LOCAL = ("rw_drift", "theta", "dotm", "ets_damped")  # the local candidates it is compared with


def rows(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, scaled targets and the series' index of every cut with a non-zero scale."""
    x, y, owner = [], [], []
    for i, a in enumerate(arrays):
        for end in range(MIN_POINTS, len(a) - HORIZON + 1):
            history = a[:end]
            s = mean_abs_change(history)
            if not s > 0:
                continue
            x.append(window_features(last_window(history, WINDOW), np.array([s]), np.array([end]))[0])
            y.append((a[end : end + HORIZON] - history[-1]) / s)
            owner.append(i)
    return np.array(x), np.array(y), np.array(owner)


def fit(x: np.ndarray, y: np.ndarray) -> Ridge:
    return Ridge(alpha=ALPHA).fit(x, y)


def folds(n_series: int) -> np.ndarray:
    """Each series' fold (whole series are held out together)."""
    return np.random.default_rng(SEED).permutation(n_series) % FOLDS


def fold_fits(x: np.ndarray, y: np.ndarray, owner: np.ndarray, fold: np.ndarray) -> dict[int, Ridge]:
    """Fold -> the map learned without that fold's series."""
    return {f: fit(x[fold[owner] != f], y[fold[owner] != f]) for f in range(FOLDS)}


def learn(arrays: list[np.ndarray], source: str) -> tuple[PooledMap, dict]:
    x, y, owner = rows(arrays)
    model = fit(x, y)
    fold = folds(len(arrays))
    errors = np.empty_like(y)  # out of fold: each row's error by the map that never saw its series
    for f, held_out in fold_fits(x, y, owner, fold).items():
        held = fold[owner] == f
        errors[held] = y[held] - held_out.predict(x[held])
    keep = np.sort(np.random.default_rng(SEED).choice(len(errors), size=min(KEPT_ERRORS, len(errors)), replace=False))
    pooled = PooledMap(WINDOW, model.coef_, model.intercept_, errors[keep], source)
    return pooled, {"rows": int(len(x)), "series": int(len(set(owner.tolist())))}


def smape(forecast: np.ndarray, actual: np.ndarray) -> float:
    return float(np.mean(200 * np.abs(forecast - actual) / (np.abs(forecast) + np.abs(actual))))


def yearly_series(history: np.ndarray) -> pd.Series:
    return pd.Series(history, index=pd.period_range("2000", periods=len(history), freq="Y"))


def point(name: str, history: np.ndarray, pooled: PooledMap | None = None, paths: bool = False) -> np.ndarray:
    """A model's point forecast: its own where it has one (unless `paths`), else the median of 400 paths."""
    model = build(name, pooled=pooled) if pooled is not None else build(name)
    model.fit(yearly_series(history))
    if hasattr(model, "point_forecast") and not paths:
        return model.point_forecast(HORIZON)
    return np.median(model.sample_paths(HORIZON, 400, np.random.default_rng(SEED)), axis=0)


def as_map(model: Ridge) -> PooledMap:
    return PooledMap(WINDOW, model.coef_, model.intercept_, np.zeros((1, HORIZON)), "check")


def check(sources: dict[str, list[np.ndarray]]) -> None:
    yearly = sources["m3_yearly_train"]
    others = [a for name, arrays in sources.items() if name != "m3_yearly_train" for a in arrays]
    cut, _ = learn([a[:-HORIZON] for a in yearly] + others, "hold-out")
    actual = np.array([a[-HORIZON:] for a in yearly])
    points = {"pooled_ar": np.array([point("pooled_ar", a[:-HORIZON], cut) for a in yearly])}
    paths = np.array([point("pooled_ar", a[:-HORIZON], cut, paths=True) for a in yearly])
    for name in LOCAL:
        points[name] = np.array([point(name, a[:-HORIZON]) for a in yearly])
    print(f"hold-out: the last {HORIZON} training points of {len(yearly)} M3 yearly series (sMAPE)")
    for name, p in points.items():
        print(f"  {name:<34} {smape(p, actual):.3f}")
    print(f"  pooled_ar, median of 400 paths     {smape(paths, actual):.3f}  (what the pipeline combines)")
    for members in (LOCAL, LOCAL + ("pooled_ar",)):
        stack = np.stack([points[m] for m in members])
        label = ", ".join(members)
        print(f"  median of {label:<24} {smape(np.median(stack, axis=0), actual):.3f}")
        print(f"  mean of {label:<26} {smape(stack.mean(axis=0), actual):.3f}")
    # leak check: the back-test origins of the pipeline (training lengths n-6, n-7, n-8)
    arrays = yearly + others
    x, y, owner = rows(arrays)
    full = as_map(fit(x, y))
    fold = folds(len(arrays))
    maps = {f: as_map(m) for f, m in fold_fits(x, y, owner, fold).items()}
    seen, unseen, truth = [], [], []
    for i, a in enumerate(yearly):
        for back in (6, 7, 8):
            history = a[: len(a) - back]
            n_ahead = min(HORIZON, back)
            seen.append(point("pooled_ar", history, full)[:n_ahead])
            unseen.append(point("pooled_ar", history, maps[fold[i]])[:n_ahead])
            truth.append(a[len(history) : len(history) + n_ahead])
    seen_s = smape(np.concatenate(seen), np.concatenate(truth))
    unseen_s = smape(np.concatenate(unseen), np.concatenate(truth))
    print(
        f"leak check (M3 yearly back-test origins, {len(truth)} cuts): sMAPE shipped map {seen_s:.3f}, "
        f"out-of-fold map {unseen_s:.3f}"
    )


def corpus(shared: Path) -> dict[str, list[np.ndarray]]:
    """The map's sources: the short-history corpus' without the M4 tails (no window has 6 years after it)."""
    sources = annual_sources(shared)
    sources.pop("m4_tail")
    return sources


def flat(sources: dict[str, list[np.ndarray]]) -> list[np.ndarray]:
    return [a for name in sorted(sources) for a in sources[name]]


def write(pooled: PooledMap, info: dict, path: Path) -> None:
    record = {**pooled.to_dict(), "built": dt.date.today().isoformat(), **info}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "pooled_ar.json")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sources = corpus(args.shared)
    names = ", ".join(f"{name} ({len(sources[name])})" for name in sorted(sources))
    pooled, info = learn(flat(sources), f"ridge on scaled changes; corpus: {names}")
    write(pooled, info, args.out)
    print(f"wrote {args.out}: {info['rows']} rows from {info['series']} series")
    if args.check:
        check(sources)


if __name__ == "__main__":
    main()
