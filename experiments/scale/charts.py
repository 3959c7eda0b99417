"""Fan charts: milliseconds per chart and bytes per chart of the report's SVG charts, for the same
synthetic charts every run. (The matplotlib PNG charts they replaced were measured by this script's
earlier version, at commit 9a81efc: `git show 9a81efc:experiments/scale/charts.py`.)

    python experiments/scale/charts.py --charts 2000
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from forecast.report.fan_chart import fan_chart_svg
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
    parser.add_argument("--charts", type=int, default=2000)
    args = parser.parse_args()
    todo, labels = requests(args.charts), TEXT["zh"]
    fan_chart_svg("0", **todo["0"], labels=labels)  # the tick rule imported
    clock = time.perf_counter()
    drawn = [fan_chart_svg(key, **a, labels=labels) for key, a in todo.items()]
    seconds = time.perf_counter() - clock
    row = {
        "charts": args.charts,
        "ms_per_chart": round(seconds / args.charts * 1000, 2),
        "kb_per_chart": round(np.mean([len(c.encode()) for c in drawn]) / 1024, 1),
        "identical_when_redrawn": drawn[:50]
        == [fan_chart_svg(k, **a, labels=labels) for k, a in list(todo.items())[:50]],
        "load": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(row))


if __name__ == "__main__":
    main()
