"""Our side of the short-history benchmark: the whole `forecast predict` pipeline on one cut set.

    .venv/bin/python experiments/short_series/ours.py --set experiments/short_series/sets/m3-k8 \
        [--h 4] [--calibration prior|local] [--limit N] [--jobs 2] [--name Forecast]

`--calibration prior` (the default, what `forecast predict` does) lets the shipped reference prior
(forecast/evaluation/short_prior.json) set the spread of short series, updated by the set's own
back-tests as far as their evidence goes; `local` is the pipeline before the prior (pooled back-tests
of the set alone), kept to show the difference. Writes <set>/out/<name>.csv (the shared forecast-file
contract), <name>.timing.json and <name>.calibration.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import pandas as pd

from forecast.evaluation.backtest import long_to_series
from forecast.evaluation.metrics import LEVELS
from forecast.forecasters import catalogue
from forecast.jobs.predict import predict

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, required=True, help="a folder written by make_short.py")
    parser.add_argument("--h", type=int, default=4)
    parser.add_argument("--calibration", choices=["prior", "local"], default="prior")
    parser.add_argument("--models", default=None)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--paths", type=int, default=400)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--name", default="Forecast")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default <set>/out)")
    args = parser.parse_args()

    train = pd.read_csv(args.set / "train.csv", dtype={"series_id": str, "ds": str})
    ids = sorted(train["series_id"].unique())[: args.limit]
    series = long_to_series(train[train["series_id"].isin(set(ids))], "Y")
    names = args.models.split(",") if args.models else None
    chosen = catalogue.load(HERE.parent.parent / "models" / "catalogue.yaml")
    models = chosen.instantiate(names)
    kwargs = {} if args.calibration == "prior" else {"prior": None}
    start = time.perf_counter()
    result = predict(
        series,
        args.h,
        models,
        n_paths=args.paths,
        seed=0,
        levels=LEVELS,
        jobs=args.jobs,
        uses=chosen.uses(names),
        **kwargs,
    )
    seconds = time.perf_counter() - start
    out = args.out or args.set / "out"
    out.mkdir(parents=True, exist_ok=True)
    result.forecasts.to_csv(out / f"{args.name}.csv", index=False)
    (out / f"{args.name}.timing.json").write_text(
        json.dumps(
            {
                "n_series": len(series),
                "cpu_count": os.cpu_count(),
                "models": {
                    args.name: {
                        "seconds": seconds,
                        "series_per_second": len(series) / seconds,
                        "candidates": list(models),
                        "calibration": args.calibration,
                    }
                },
            },
            indent=2,
        )
    )
    (out / f"{args.name}.calibration.json").write_text(json.dumps(result.ensemble.describe(), indent=2, default=str))
    print(f"{args.name} ({args.calibration}): {len(series)} series in {seconds:.1f} s; errors {len(result.errors)}")


if __name__ == "__main__":
    main()
