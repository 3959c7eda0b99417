"""Side study: which form of the prior carries over to series it was not fitted on?

    .venv/bin/python experiments/short_series/compare_forms.py [--corpus out/corpus.parquet]

Two forms, both fitted per (scale, k) on the corpus minus one source and scored on that source:
A, a stretch of the mixture's own quantiles per year ahead plus a symmetric level map
(forecast.evaluation.calibrate.fit_spread, the form of the pooled back-test calibration); B, the mixture's
median plus s times the corpus' scaled-error quantiles (build_prior.py, what ships; B here is
unsymmetrised). Printed: coverage and the interval score (width + 2/α × misses, divided by s).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_prior import mixture  # noqa: E402

from forecast.evaluation.calibrate import apply_to_table, fit_spread  # noqa: E402
from forecast.evaluation.combine import combine_table, pooled_weights  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=HERE / "out" / "corpus.parquet")
    args = ap.parse_args()
    corpus = pd.read_parquet(args.corpus)
    corpus = corpus[np.isfinite(corpus["scale"]) & (corpus["scale"] > 0)]
    out = []
    for (scale, k), rows in corpus.groupby(["scale_class", "k"]):
        if k not in (3, 4, 5, 6, 8):
            continue
        for source in rows["source"].unique():
            train, test = rows[rows["source"] != source], rows[rows["source"] == source]
            if test["series_id"].nunique() < 100:
                continue
            w = pooled_weights(train)
            w = w[w > 0]

            def wide(t):
                ids = t["series_id"].unique()
                return pd.DataFrame([w.to_numpy()] * len(ids), index=ids, columns=w.index)

            cal = fit_spread(
                combine_table(train[train["model"].isin(w.index)], wide(train)), prior_points=0.0, symmetric=True
            )
            a = apply_to_table(combine_table(test[test["model"].isin(w.index)], wide(test)), cal)
            mtr, mte = mixture(train, w), mixture(test, w)
            z = (mtr["y"] - mtr["median"]) / mtr["scale"]
            for level in (0.8, 0.95):
                alpha, lo_l, hi_l = 1 - level, (1 - level) / 2, (1 + level) / 2
                qz = {s: np.quantile(z[mtr["step"] == s], [lo_l, hi_l]) for s in mtr["step"].unique()}
                b_lo = mte["median"] + mte["scale"] * mte["step"].map(lambda s: qz[s][0])
                b_hi = mte["median"] + mte["scale"] * mte["step"].map(lambda s: qz[s][1])
                a_lo, a_hi = a[f"q{lo_l:g}"], a[f"q{hi_l:g}"]

                def score(lo, hi, y, s):
                    return float(np.mean(((hi - lo) + 2 / alpha * ((lo - y) * (y < lo) + (y - hi) * (y > hi))) / s))

                out.append(
                    {
                        "scale": scale,
                        "k": int(k),
                        "held_out": source,
                        "level": level,
                        "cov A": round(float(np.mean((a["y"] >= a_lo) & (a["y"] <= a_hi))), 3),
                        "cov B": round(float(np.mean((mte["y"] >= b_lo) & (mte["y"] <= b_hi))), 3),
                        "IS A": round(score(a_lo, a_hi, a["y"], a["scale"]), 2),
                        "IS B": round(score(b_lo, b_hi, mte["y"], mte["scale"]), 2),
                    }
                )
    table = pd.DataFrame(out)
    print(table.to_string(index=False))
    print("\nmean interval score A / B:", table.groupby("level")[["IS A", "IS B"]].mean().round(2).to_dict("index"))


if __name__ == "__main__":
    main()
