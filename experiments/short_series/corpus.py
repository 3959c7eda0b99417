"""The corpus of short windows the reference prior is learned from, and its back-test table.

    .venv/bin/python experiments/short_series/corpus.py --out experiments/short_series/out/corpus.parquet \
        [--per 600] [--jobs 2] [--seed 0]

A window is k consecutive yearly values (what a planner has) and the up to H = 6 values that followed.
Sources (all in ../shared/data, none of them a test set scored here):
- M4 yearly tails: 23,000 six-year stretches (k + h <= 6: k = 3 gives h <= 3, k = 4 h <= 2, k = 5 h = 1);
- M3 quarterly and monthly series (training and test parts joined), annualised by summing complete
  blocks of 4 or 12 periods counted from the end;
- M3 yearly, TRAINING parts only (their test parts are what the short benchmark scores).
M3 'other' (weekly and daily series) is left out: its dynamics are not those of yearly data.
For each k in KS and each source, up to `--per` windows (at most two per series, random starts),
on two model scales: 'free' (as observed) and 'positive' (log; what a store's indicator with a lower
bound of 0 is modelled on). Every window is back-tested by the catalogue's `short` candidates at
one origin (training length k); the rows are the back-test table's (forecast.evaluation.backtest) plus
`source`, `k` and `scale_class`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.evaluation.backtest import backtest
from forecast.forecasters import catalogue

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KS = (3, 4, 5, 6, 7, 8, 9, 10, 12)
H = 6


def annual_sources(shared: Path) -> dict[str, list[np.ndarray]]:
    """Source name -> list of positive yearly arrays."""
    out: dict[str, list[np.ndarray]] = {}
    tail = pd.read_csv(shared / "data" / "m4_yearly_tail" / "series.csv")
    out["m4_tail"] = [g["y"].to_numpy(float) for _, g in tail.sort_values(["series_id", "ds"]).groupby("series_id")]
    m3 = shared / "data" / "m3"
    meta = pd.read_csv(m3 / "meta.csv", dtype={"series_id": str})
    train = pd.read_csv(m3 / "train.csv", dtype={"series_id": str, "ds": str})
    test = pd.read_csv(m3 / "test.csv", dtype={"series_id": str, "ds": str})
    period = dict(zip(meta["series_id"], meta["period"]))
    out["m3_yearly_train"] = [
        g["y"].to_numpy(float)
        for sid, g in train.sort_values(["series_id", "ds"]).groupby("series_id")
        if period[sid] == "YEARLY"
    ]
    both = pd.concat([train, test]).sort_values(["series_id", "ds"], kind="stable")
    for group, block in (("QUARTERLY", 4), ("MONTHLY", 12)):
        arrays = []
        for sid, g in both.groupby("series_id"):
            if period[sid] != group:
                continue
            y = g["y"].to_numpy(float)
            y = y[len(y) % block :]
            arrays.append(y.reshape(-1, block).sum(axis=1))
        out[f"m3_{group.lower()}_annual"] = arrays
    return out


def windows(sources: dict[str, list[np.ndarray]], per: int, rng: np.random.Generator) -> list[tuple]:
    """(source, k, h, values) for every sampled window; h = the steps that followed, at most H."""
    found = []
    for source, arrays in sources.items():
        for k in KS:
            h = min(H, 6 - k) if source == "m4_tail" else H
            if h < 1:
                continue
            fits = [i for i, a in enumerate(arrays) if len(a) >= k + h and np.all(a > 0)]
            if not fits:
                continue
            picks = []
            for i in rng.permutation(fits):
                a = arrays[i]
                starts = rng.choice(len(a) - k - h + 1, size=min(2, len(a) - k - h + 1), replace=False)
                picks += [(source, k, h, a[s : s + k + h]) for s in starts]
                if len(picks) >= per:
                    break
            found += picks[:per]
    return found


def _chunk(chunk, seed):
    chosen = catalogue.load(ROOT / "models" / "catalogue.yaml")
    models = chosen.instantiate(chosen.short)  # what the series the prior covers run
    tables = []
    for wid, (source, k, h, values, scale) in chunk:
        z = np.log(values) if scale == "positive" else values
        y = pd.Series(z, index=pd.period_range("2001", periods=len(z), freq="Y"))
        t = backtest(models, {wid: y}, h, n_origins=1, n_paths=300, seed=seed).table
        if len(t):
            tables.append(t.assign(source=source, k=k, scale_class=scale))
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def main() -> None:
    from joblib import Parallel, delayed

    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "corpus.parquet")
    ap.add_argument("--per", type=int, default=600, help="windows per source and k (the shipped prior: 600)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    found = windows(annual_sources(args.shared), args.per, rng)
    work = [(f"w{i}-{scale}", (*w, scale)) for i, w in enumerate(found) for scale in ("free", "positive")]
    chunks = [work[i::40] for i in range(40)]
    parts = Parallel(n_jobs=args.jobs)(delayed(_chunk)(c, args.seed) for c in chunks)
    table = pd.concat(parts, ignore_index=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_parquet(args.out)
    counts = table.drop_duplicates(["series_id"]).groupby(["scale_class", "k", "source"]).size()
    print(f"{len(work)} windows, {len(table)} rows -> {args.out}\n{counts.unstack('source').to_string()}")


if __name__ == "__main__":
    main()
