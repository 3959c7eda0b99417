"""Back-test score of a combination with its per-series selection made out of sample.

The "mixture" rule chooses models per series from the very back-test rows it is then scored on, so
its pooled back-test CRPS is optimistic; the median/mean rules choose nothing. Here each origin's
combined rows get weights fitted on the series' other origins only (leave one origin out), then
the spread calibration is fitted on all those rows as `fit_ensemble` does. Reads the
`<name>.backtest.pkl` that `ours.py --save-backtest` writes; prints in-sample and out-of-sample
back-test CRPS and sMAPE of the calibrated combination.

    .venv/bin/python experiments/m3/oos_backtest.py experiments/m3/out/YEARLY/<name>.backtest.pkl [--rule mixture]
"""

from __future__ import annotations

import argparse

import pandas as pd

from forecast.evaluation.calibrate import apply_to_table, fit_spread
from forecast.evaluation.combine import combine_table, weights
from forecast.evaluation.metrics import score


def out_of_sample(table: pd.DataFrame, rule: str = "mixture") -> pd.DataFrame:
    """Calibrated combined rows, each origin combined with weights from the series' other origins."""
    models = table[table["model"] != "combined"]
    parts = []
    for origin_rank in sorted(models.groupby("series_id")["origin"].rank(method="dense").unique()):
        rank = models.groupby("series_id")["origin"].rank(method="dense")
        held, rest = models[rank == origin_rank], models[rank != origin_rank]
        w = weights(rest) if rule == "mixture" else None
        if w is None or w.empty:
            continue
        held = held[held["series_id"].isin(w.index)]  # series with a single origin have no other evidence
        parts.append(combine_table(held, w, rule=rule))
    combined = pd.concat(parts, ignore_index=True)
    return apply_to_table(combined, fit_spread(combined))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("backtest", help="a <name>.backtest.pkl from ours.py --save-backtest")
    parser.add_argument("--rule", default="mixture")
    args = parser.parse_args()
    table = pd.read_pickle(args.backtest)
    inside = table[table["model"] == "combined"]
    outside = out_of_sample(table, args.rule)
    keys = ["series_id", "origin", "step"]
    inside = inside.merge(outside[keys], on=keys)  # the same rows on both sides
    for label, rows in (("in-sample selection", inside), ("out-of-sample selection", outside)):
        s = score(rows, metrics=("crps", "smape")).iloc[0]
        print(f"{label:26s} rows {len(rows):6d}  CRPS {s['crps']:.4f}  sMAPE {s['smape']:.3f}")


if __name__ == "__main__":
    main()
