"""Benchmark: a province's first refresh, N synthetic yearly indicators in one plan per county.

Indicators: rates (%, bounded, should rise), concentrations (µg/m³, should fall) and counts (whole
numbers that should grow), 5–15 yearly values each ending in 2022, ~100 per county, each with one
2025 target near its recent level. One configuration (engine, workers) per process, timed by phase:

  ingest      indicators and observations imported into a new SQLite store, plans saved
  backtests   the pooled back-tests of the whole store (once per refresh: the evidence cache)
  simulate    the per-series simulation + combination + assessment map, over every plan
  collect     per plan: what follows the map (reported targets, restatements) and saving the run
  reports     Chinese HTML + Markdown per plan (SVG fan charts, in the driver)

Peak memory is the largest total of this process and all its descendants (worker processes, the JVM
and Spark's Python workers), sampled every 0.3 s with psutil: summed RSS, and summed PSS (shared
pages split among the processes sharing them, so a forked worker's inherited pages count once).

    python experiments/scale/bench.py --series 1000 --engine local --jobs 2 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

LAST_YEAR, TARGET_YEAR = 2022, 2025
KINDS = ("rate", "concentration", "count")


def generate(root: Path, n: int, per_county: int, seed: int = 11) -> list[dict]:
    """indicators.yaml and history.csv in `root`; returns the plans (one per county) as dicts."""
    rng = np.random.default_rng(seed)
    ind_lines, obs_lines = ["indicators:"], ["series_id,ds,y"]
    plans: dict[int, dict] = {}
    for i in range(n):
        county = i // per_county
        sid, kind = f"c{county:04d}:{i:06d}", KINDS[i % 3]
        length = int(rng.integers(5, 16))
        years = list(range(LAST_YEAR - length + 1, LAST_YEAR + 1))
        region = f"县{county:04d}"
        if kind == "rate":
            meta = "unit: '%', direction: higher, lower: 0, upper: 100"
            values = np.clip(rng.uniform(50, 90) + np.cumsum(rng.normal(rng.uniform(0, 1.2), 1.0, length)), 1, 99.5)
            comparator, threshold = ">=", min(99.0, round(float(values[-1] + rng.uniform(-1, 6)), 1))
        elif kind == "concentration":
            meta = "unit: µg/m³, direction: lower, lower: 0"
            values = rng.uniform(20, 80) * np.exp(np.cumsum(rng.normal(-rng.uniform(0, 0.05), 0.05, length)))
            comparator, threshold = "<=", round(float(values[-1] * rng.uniform(0.75, 1.05)), 1)
        else:
            meta = "unit: 张, direction: higher, lower: 0"
            values = np.round(rng.uniform(50, 2000) * np.exp(np.cumsum(rng.normal(0.04, 0.05, length))))
            comparator, threshold = ">=", float(round(values[-1] * rng.uniform(1.0, 1.25)))
        ind_lines.append(
            f"  - {{id: '{sid}', name_zh: '{region}{kind}指标{i}', name_en: '{kind} {i}', {meta}, "
            f"region: '{region}', concept: '{kind}'}}"
        )
        obs_lines += [f"{sid},{y},{v:.3f}" for y, v in zip(years, values, strict=True)]
        plan = plans.setdefault(
            county, {"id": f"county-{county:04d}", "title": f"{region}“十四五”规划", "region": region, "targets": []}
        )
        plan["targets"].append(
            {
                "id": f"t{i:06d}",
                "indicator": f"{kind}指标{i}",
                "comparator": comparator,
                "value": threshold,
                "year": TARGET_YEAR,
                "series_id": sid,
            }
        )
    (root / "indicators.yaml").write_text("\n".join(ind_lines) + "\n", encoding="utf-8")
    (root / "history.csv").write_text("\n".join(obs_lines) + "\n", encoding="utf-8")
    return list(plans.values())


class PeakMemory:
    """The largest summed memory of this process tree, sampled in a thread: RSS (a page shared by a
    forked worker and its parent counts twice) and PSS (a shared page split among its sharers: what the
    tree really takes; Linux only, else equal to RSS)."""

    def __init__(self, every: float = 0.3):
        import psutil

        self.me, self.every, self.peak, self._stop = psutil.Process(), every, 0, threading.Event()
        self.peak_pss = 0
        self.phase, self.pss_by_phase = "start", {}  # the caller names the phase it is in
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = proportional = 0
            for p in [self.me] + self.me.children(recursive=True):
                try:
                    info = p.memory_full_info()
                    total += info.rss
                    proportional += getattr(info, "pss", info.rss)
                except psutil.Error:
                    pass
            self.peak, self.peak_pss = max(self.peak, total), max(self.peak_pss, proportional)
            self.pss_by_phase[self.phase] = max(self.pss_by_phase.get(self.phase, 0), proportional)
            time.sleep(self.every)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(args) -> dict:
    from forecast.engine import engine_for
    from forecast.ingest.importer import import_file
    from forecast.jobs.run import run_plan, save_run
    from forecast.report import build_report, write_report
    from forecast.schema import Plan
    from forecast.store import Store
    from forecast.workspace import Workspace

    root = Path(args.workdir or tempfile.mkdtemp(prefix="forecast-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    plans = generate(root, args.series, args.per_county)
    seconds = dict.fromkeys(("ingest", "engine_start", "backtests", "simulate", "collect", "reports"), 0.0)
    with PeakMemory() as memory:
        clock = time.perf_counter()
        memory.phase = "ingest"
        ws = Workspace(root / "ws").ensure()
        store = Store(ws.db_url)
        import_file(store, root / "history.csv", root / "indicators.yaml")
        for p in plans:
            store.save_plan(Plan.model_validate(p))
        seconds["ingest"] = time.perf_counter() - clock
        clock = time.perf_counter()
        engine = engine_for(args.engine, args.jobs, args.spark_master, args.dask_scheduler)
        seconds["engine_start"] = time.perf_counter() - clock
        evidence: dict = {}
        run_ids, failed = [], 0
        with engine:
            for p in plans:
                marks: dict[str, float] = {}

                def progress(stage, item, done, total, marks=marks):
                    now = time.perf_counter()
                    # after the last back-test comes the reduce (the ensemble's fit) until the first simulation
                    memory.phase = "reduce" if stage == "back-test" and done == total else stage
                    marks.setdefault(f"{stage}:first", now)
                    marks[f"{stage}:last"] = now

                start = time.perf_counter()
                result = run_plan(
                    store, p["id"], n_paths=args.paths, engine=engine, evidence_cache=evidence, progress=progress
                )
                end = time.perf_counter()
                memory.phase = "collect"
                save_run(store, result)
                saved = time.perf_counter()
                sim_first = marks.get("simulate:first", end)
                # the first "simulate" mark comes after the first series is done: count it to the map
                seconds["backtests"] += (marks["back-test:last"] - start) if "back-test:last" in marks else 0.0
                seconds["simulate"] += marks.get("simulate:last", end) - (marks.get("back-test:last") or start)
                seconds["collect"] += (end - marks.get("simulate:last", sim_first)) + (saved - end)
                failed = len(result.evidence_failures)  # the pooled back-tests of the store: the same for every plan
                run_ids.append(result.run_id)
        clock = time.perf_counter()
        memory.phase = "reports"
        if args.langs:
            for run_id in run_ids:
                for lang in args.langs.split(","):
                    write_report(build_report(store, run_id, lang=lang), ws.reports_dir)
        seconds["reports"] = time.perf_counter() - clock
    total = sum(seconds.values())
    return {
        "series": args.series,
        "plans": len(plans),
        "engine": args.engine
        if args.engine == "local"
        else f"{args.engine} {getattr(engine, 'master', None) or getattr(engine, 'address', None) or 'local'}",
        "jobs": args.jobs,
        "paths": args.paths,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "total_s": round(total, 1),
        "peak_mib": round(memory.peak / 2**20),
        "peak_pss_mib": round(memory.peak_pss / 2**20),
        "peak_pss_mib_by_phase": {k: round(v / 2**20) for k, v in memory.pss_by_phase.items()},
        "report_mib": round(folder_bytes(ws.reports_dir) / 2**20, 1),
        "store_mib": round(Path(str(ws.db_url).replace("sqlite:///", "")).stat().st_size / 2**20, 1)
        if str(ws.db_url).startswith("sqlite")
        else None,
        "backtest_failures": failed,
        "load_before": os.getloadavg(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--per-county", type=int, default=100)
    parser.add_argument("--engine", choices=("local", "spark", "dask"), default="local")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--spark-master", default=None)
    parser.add_argument(
        "--dask-scheduler", default=None, help="a running scheduler (default: a local cluster of --jobs)"
    )
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--langs", default="zh", help="report languages, comma-separated; empty: no reports")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="append the row to this JSON-lines file")
    args = parser.parse_args()
    load = os.getloadavg()
    row = run(args)
    row["load_before"] = [round(x, 1) for x in load]
    row["load_after"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(row, ensure_ascii=False))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    sys.exit(0)


if __name__ == "__main__":
    main()
