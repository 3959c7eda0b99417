"""Our side of the M3 benchmark: the whole `forecast predict` pipeline on one M3 group.

    .venv/bin/python experiments/m3/ours.py --group YEARLY [--models rw_drift,ets_damped,theta] [--jobs 2]

Back-tests (3 rolling origins per series), skill-based combination and spread calibration are all
inside the timed call, so series/s is whole-pipeline throughput. Writes, into out/<group>/:
`Forecast.csv` (the forecast-file contract of ../shared/tools/eval), `Forecast.timing.json`
(the peers' timing format) and `Forecast.calibration.json` (factors and back-test reliability).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import pandas as pd

from forecast.evaluation.backtest import long_to_series
from forecast.evaluation.calibrate import reliability
from forecast.evaluation.metrics import LEVELS, score
from forecast.forecasters import catalogue
from forecast.forecasters.pooled import PooledAutoregression, PooledMap
from forecast.jobs.predict import predict

HERE = Path(__file__).resolve().parent
HORIZON = {"YEARLY": 6, "QUARTERLY": 8, "MONTHLY": 18, "OTHER": 8}
FREQ = {"YEARLY": "Y", "QUARTERLY": "Q", "MONTHLY": "M", "OTHER": "Y"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--group", default="YEARLY", choices=list(HORIZON))
    parser.add_argument("--data", type=Path, default=HERE.parent.parent.parent / "shared" / "data" / "m3")
    parser.add_argument("--models", default=None, help="comma-separated candidates (default: the catalogue's)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--paths", type=int, default=400)
    parser.add_argument("--origins", type=int, default=3)
    parser.add_argument("--combine", default="mixture", help="combination rule: mixture, median, trimmed, mean")
    parser.add_argument("--save-backtest", action="store_true", help="also write the back-test table (pickle)")
    parser.add_argument("--limit", type=int, default=None, help="first N series only (quick checks)")
    parser.add_argument("--name", default="Forecast", help="file stem of the outputs")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: out/<group>)")
    parser.add_argument("--pooled-map", type=Path, default=None, help="pooled_ar's map (default: the shipped one)")
    args = parser.parse_args()

    meta = pd.read_csv(args.data / "meta.csv", dtype={"series_id": str})
    ids = meta.loc[meta["period"] == args.group, "series_id"].tolist()[: args.limit]
    train = pd.read_csv(args.data / "train.csv", dtype={"series_id": str})
    series = long_to_series(train[train["series_id"].isin(set(ids))], FREQ[args.group])
    series = {sid: series[sid] for sid in ids}
    names = args.models.split(",") if args.models else None
    chosen = catalogue.load()  # the project's catalogue
    models = chosen.instantiate(names)
    if args.pooled_map and "pooled_ar" in models:  # the nested hold-out's map, which has not seen its years
        models["pooled_ar"] = PooledAutoregression(PooledMap.read(args.pooled_map))

    start, cpu_start = time.perf_counter(), time.process_time()
    result = predict(
        series,
        HORIZON[args.group],
        models,
        n_paths=args.paths,
        n_origins=args.origins,
        seed=0,
        levels=LEVELS,
        jobs=args.jobs,
        combination=args.combine,
        uses=chosen.uses(names),
    )
    seconds = time.perf_counter() - start
    # With --jobs 1 all the work is in this process: its CPU time gives the throughput two idle
    # cores would reach (2 n / CPU s), a figure a busy shared machine does not distort.
    cpu = time.process_time() - cpu_start if args.jobs == 1 else None

    out = args.out or HERE / "out" / args.group
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
                        "file": f"{args.name}.csv",
                        "candidates": list(models),
                        "combination": args.combine,
                        "phases": result.seconds,
                        "cpu_seconds": cpu,
                        "series_per_second_two_idle_cores": 2 * len(series) / cpu if cpu else None,
                    }
                },
            },
            indent=2,
        )
    )
    table, combined = result.ensemble.rows(), result.ensemble.combined
    if args.save_backtest:
        table.to_pickle(out / f"{args.name}.backtest.pkl")
    (out / f"{args.name}.calibration.json").write_text(
        json.dumps(
            {
                "mixture": result.ensemble.mixture.to_dict(),
                # the rule that chooses the catalogue default reads these (back-test on training data only)
                "backtest": score(table, by=["model"], metrics=("crps", "smape", "mase")).round(5).to_dict("records"),
                "mean_weights": result.ensemble.weights.mean().round(3).to_dict(),
                "backtest_reliability_after": reliability(combined).to_dict("records"),
                "errors": result.errors.groupby(["model", "stage"]).size().rename("n").reset_index().to_dict("records"),
            },
            indent=2,
        )
    )
    print(
        f"{args.name}: {len(series)} series in {seconds:.1f} s ({len(series) / seconds:.1f} series/s); "
        f"errors {len(result.errors)}; mixture calibration {result.ensemble.mixture.factors}"
    )
    print(
        "back-test (training data):",
        score(table, by=["model"], metrics=("crps", "smape")).round(4).to_string(index=False),
    )


if __name__ == "__main__":
    main()
