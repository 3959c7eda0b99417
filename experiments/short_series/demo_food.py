"""The demo's food-safety pass rate, 2020, as the 江油 plan run as of 2016 sees it.

    .venv/bin/python experiments/short_series/demo_food.py --workspace DIR [--paths 2000]

Imports data/ into a fresh workspace DIR, runs plan jiangyou-2020 as of 2016 (as `forecast demo`
does), and prints the 2020 fan of cn_national:food_safety_sampling_pass_rate, the target's
probability, what the calibration rests on, and the coverage of the run's own back-test.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan
from forecast.store import Store
from forecast.targets.plans import load_plan
from forecast.workspace import Workspace

SID = "cn_national:food_safety_sampling_pass_rate"
TARGET = "jiangyou.food_drug_pass_rate.2020"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path("data"))
    ap.add_argument("--paths", type=int, default=2000)
    args = ap.parse_args()
    ws = Workspace(args.workspace.resolve()).ensure()
    store = Store(ws.db_url)
    for i, path in enumerate(sorted((args.data / "observations").glob("*.csv"))):
        import_file(store, path, args.data / "indicators.yaml" if i == 0 else None)
    store.save_plan(load_plan(args.data / "plans" / "jiangyou_2020.yaml"))
    result = run_plan(store, "jiangyou-2020", as_of="2016", n_paths=args.paths)
    s = result.series[SID]
    print("history:", {int(k): round(float(v), 2) for k, v in s.annual.items()})
    for fan in result.fans:
        if fan["series_id"] == SID and fan["period"] == "2020":
            print("2020 fan:", {k: round(v, 2) for k, v in fan["quantiles"].items()})
    for a in result.assessments:
        d = a.to_dict()
        if d.get("target_id", d.get("id")) == TARGET or TARGET in json.dumps(d, default=str)[:400]:
            print("target:", {k: d.get(k) for k in ("status", "probability", "band")})
    bt = result.settings["backtest"]
    print("back-test series:", bt.get("n_series"), "coverage:", json.dumps(bt.get("coverage")))
    print("back-test coverage as the prior calibrates it:", json.dumps(bt.get("prior_coverage")))
    print("prior corrections:", json.dumps(bt.get("prior")))
    print("basis:", json.dumps(result.settings.get("basis", {}).get(SID)))
    print("calibration:", json.dumps(result.settings["calibration"]))


if __name__ == "__main__":
    main()
