"""Fit the short-history reference prior from the corpus back-tests and write the package's file.

    .venv/bin/python experiments/short_series/build_prior.py [--corpus out/corpus.parquet] \
        [--out forecast/evaluation/short_prior.json] [--check]

Per scale class and history length k (corpus.py): the default candidates' pooled CRPS sets the
weights (models within 1.25 times the best share equally, the rule `forecast.evaluation.combine` uses); the
mixture's median is then scored on what followed each window, per year ahead, as the scaled error
(y − median) / s, s the window's mean absolute yearly change (its MASE scale). Stored: that error's
quantiles at LEVELS, made symmetric about zero and never narrower for more years ahead
(forecast.evaluation.prior explains the form). `--check` also prints a leave-one-source-out table: the prior
fitted without a source, its coverage on that source's windows (does it carry over to series it
was not fitted on?).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.evaluation.calibrate import median_of
from forecast.evaluation.combine import combine_table, pooled_weights
from forecast.evaluation.metrics import quantile_levels

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MAX_K = 13  # series of 13+ points: their own back-tests are as long as they are (local evidence)
LEVELS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.15,
    0.2,
    0.25,
    0.3,
    0.35,
    0.4,
    0.45,
    0.5,
    0.55,
    0.6,
    0.65,
    0.7,
    0.75,
    0.8,
    0.85,
    0.9,
    0.95,
    0.975,
    0.99,
    0.995,
)


def mixture(rows: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """The weighted mixture's rows (forecast.evaluation.combine) with its median, one weight vector for all."""
    ids = rows["series_id"].unique()
    wide = pd.DataFrame([weights.to_numpy()] * len(ids), index=ids, columns=weights.index)
    combined = combine_table(rows[rows["model"].isin(weights.index)], wide)
    levels = quantile_levels(combined)
    q = np.sort(combined[list(levels.values())].to_numpy(float), axis=1)
    return combined[["series_id", "step", "y", "scale"]].assign(median=median_of(q, np.array(list(levels))))


def error_quantiles(mixed: pd.DataFrame) -> dict[int, np.ndarray]:
    """Per step: symmetric scaled-error quantiles at LEVELS, widened where needed so that no step is
    narrower than the one before."""
    lv = np.array(LEVELS)
    out, previous = {}, None
    for step, g in mixed.groupby("step"):
        z = ((g["y"] - g["median"]) / g["scale"]).to_numpy(float)
        e = np.quantile(z[np.isfinite(z)], lv)
        e = (e - e[::-1]) / 2  # symmetric: LEVELS are symmetric about 0.5
        if previous is not None:
            e = np.where(lv > 0.5, np.maximum(e, previous), np.where(lv < 0.5, np.minimum(e, previous), 0.0))
        out[int(step)], previous = e, e
    return out


def fit_entry(rows: pd.DataFrame) -> dict:
    """One (scale, k) entry."""
    scaled = rows[np.isfinite(rows["scale"]) & (rows["scale"] > 0)]  # a flat window has no scale
    w = pooled_weights(scaled)
    w = w[w > 0]
    errors = error_quantiles(mixture(scaled, w))
    return {
        "weights": {m: round(float(v), 4) for m, v in w.items()},
        "errors": {str(s): [round(float(x), 4) for x in e] for s, e in errors.items()},
        "windows": int(scaled["series_id"].nunique()),
    }


def fit_prior(corpus: pd.DataFrame) -> dict:
    entries = []
    for (scale, k), rows in corpus.groupby(["scale_class", "k"]):
        entries.append({"scale": scale, "k": int(k), **fit_entry(rows)})
    return {"max_k": MAX_K, "levels": list(LEVELS), "entries": entries}


def leave_one_source_out(corpus: pd.DataFrame) -> pd.DataFrame:
    """Coverage on each source's windows of the prior fitted on the other sources."""
    from forecast.evaluation.prior import ShortPrior

    out = []
    corpus = corpus[np.isfinite(corpus["scale"]) & (corpus["scale"] > 0)]
    for source in corpus["source"].unique():
        prior = ShortPrior.from_dict(fit_prior(corpus[corpus["source"] != source]))
        held = corpus[corpus["source"] == source]
        for (scale, k), rows in held.groupby(["scale_class", "k"]):
            entry = prior.entry(scale, int(k))
            mixed = mixture(rows, pd.Series(entry.weights)[[m for m in entry.weights if m in set(rows["model"])]])
            row = {"held_out": source, "scale": scale, "k": int(k), "windows": int(rows["series_id"].nunique())}
            for level in (0.8, 0.95):
                lo = np.array([entry.error_quantiles(s, [(1 - level) / 2])[0] for s in mixed["step"]])
                z = (mixed["y"] - mixed["median"]) / mixed["scale"]
                row[f"cov{int(level * 100)}"] = round(float(np.mean((z >= lo) & (z <= -lo))), 3)
            out.append(row)
    return pd.DataFrame(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=HERE / "out" / "corpus.parquet")
    ap.add_argument("--out", type=Path, default=ROOT / "forecast" / "evaluation" / "short_prior.json")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    corpus = pd.read_parquet(args.corpus)
    prior = fit_prior(corpus)
    sources = corpus.drop_duplicates("series_id").groupby("source").size().to_dict()
    prior["source"] = (
        f"experiments/short_series/build_prior.py on {sum(sources.values())} windows "
        f"({', '.join(f'{s} {n}' for s, n in sources.items())}), {dt.date.today().isoformat()}"
    )
    args.out.write_text(json.dumps(prior, indent=1) + "\n", encoding="utf-8")
    i90, i975 = LEVELS.index(0.9), LEVELS.index(0.975)
    table = pd.DataFrame(
        [
            {
                "scale": e["scale"],
                "k": e["k"],
                "windows": e["windows"],
                "weights": " ".join(f"{m}:{w:.2f}" for m, w in e["weights"].items()),
                "q0.9 by step": " ".join(f"{v[i90]:.2f}" for v in e["errors"].values()),
                "q0.975 by step": " ".join(f"{v[i975]:.2f}" for v in e["errors"].values()),
            }
            for e in prior["entries"]
        ]
    )
    print(table.to_string(index=False))
    if args.check:
        print(leave_one_source_out(corpus).to_string(index=False))


if __name__ == "__main__":
    main()
