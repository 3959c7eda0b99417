"""Fan charts: seconds per chart drawn in this process vs through LocalEngine(2), and bytes per chart
(full-colour PNG vs the report's 64-colour palette PNG). Same synthetic charts for each.

    python experiments/scale/charts.py --charts 40
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from forecast.engine import LocalEngine
from forecast.report.charts import fan_chart_png
from forecast.report.drawing import compact, draw_fan_charts
from forecast.report.text import TEXT


def requests(n: int, seed: int = 3) -> dict[str, dict]:
    rng = np.random.default_rng(seed)
    out = {}
    for i in range(n):
        years = list(range(2022 - int(rng.integers(5, 16)) + 1, 2023))
        values = 60 + np.cumsum(rng.normal(0.8, 1.0, len(years)))
        last = float(values[-1])
        fan = {
            y: {
                "0.025": last - 3 * k,
                "0.1": last - 2 * k,
                "0.5": last + 0.5 * k,
                "0.9": last + 2.5 * k,
                "0.975": last + 3.5 * k,
            }
            for k, y in enumerate(range(2023, 2026), start=1)
        }
        out[str(i)] = dict(
            title=f"县{i:04d}指标{i} — 合格率",
            unit="%",
            history=dict(zip(years, map(float, values))),
            fan=fan,
            threshold=round(last + 3, 1),
            sense=">=",
            target_year=2025,
            actual=None,
            start=(2022, last),
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--charts", type=int, default=40)
    args = parser.parse_args()
    todo, labels = requests(args.charts), TEXT["zh"]
    draw_fan_charts(dict(list(todo.items())[:1]), labels)  # fonts registered, matplotlib imported
    clock = time.perf_counter()
    alone = draw_fan_charts(todo, labels)
    serial = time.perf_counter() - clock
    with LocalEngine(2) as engine:
        clock = time.perf_counter()
        pooled = draw_fan_charts(todo, labels, engine)
        parallel = time.perf_counter() - clock
    full = [fan_chart_png(**a, labels=labels) for a in list(todo.values())[:10]]
    row = {
        "charts": args.charts,
        "s_per_chart_1": round(serial / args.charts, 3),
        "s_per_chart_2": round(parallel / args.charts, 3),
        "speed_up": round(serial / parallel, 2),
        "identical": alone == pooled,
        "kb_full_png": round(np.mean([len(p) for p in full]) / 1024, 1),
        "kb_palette_png": round(np.mean([len(compact(p)) for p in full]) / 1024, 1),
        "load": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(row))


if __name__ == "__main__":
    main()
