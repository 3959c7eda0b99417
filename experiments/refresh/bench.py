"""Benchmark: `forecast refresh` over N synthetic yearly indicators and a plan with one target each.

Three refreshes, each a fresh `forecast refresh` process (the way a scheduler starts it):
  1. first  — every indicator already in the store, the plan never run;
  2. monthly — a drop file with one new year for every indicator (N new values), plan re-run;
  3. repeat — nothing new: the idempotency check alone.
Wall time per refresh and the peak resident memory of the refresh process (ru_maxrss of the
child, which includes everything the refresh does) are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FIRST_YEAR, LAST_YEAR, TARGET_YEAR = 2008, 2022, 2030


def generate(root: Path, n: int, seed: int = 7) -> None:
    """Indicators (half bounded rates that should rise, half concentrations that should fall), their
    history, one target each, and the drop file of the next year's values."""
    rng = np.random.default_rng(seed)
    years = list(range(FIRST_YEAR, LAST_YEAR + 2))
    ind_lines, obs_lines, new_lines, targets = ["indicators:"], ["series_id,ds,y"], ["series_id,ds,y"], []
    for i in range(n):
        sid = f"syn:{i:04d}"
        if i % 2 == 0:
            ind_lines.append(
                f"  - {{id: '{sid}', name_en: rate {i}, unit: '%', direction: higher, lower: 0, upper: 100}}"
            )
            level = rng.uniform(60, 90) + np.cumsum(rng.normal(rng.uniform(0, 1), 0.8, len(years)))
            values = np.clip(level, 1, 99.5)
            threshold, comparator = round(float(values[-2] + rng.uniform(-2, 8)), 1), ">="
            threshold = min(threshold, 99.0)
        else:
            ind_lines.append(
                f"  - {{id: '{sid}', name_en: concentration {i}, unit: µg/m³, direction: lower, lower: 0}}"
            )
            level = rng.uniform(30, 90) * np.exp(np.cumsum(rng.normal(-rng.uniform(0, 0.05), 0.04, len(years))))
            values = level
            threshold, comparator = round(float(values[-2] * rng.uniform(0.6, 1.05)), 1), "<="
        obs_lines += [f"{sid},{y},{v:.3f}" for y, v in zip(years[:-1], values[:-1], strict=True)]
        new_lines.append(f"{sid},{years[-1]},{values[-1]:.3f}")
        targets.append(
            f"  - {{id: t{i:04d}, indicator: 指标{i}, comparator: '{comparator}', value: {threshold}, "
            f"year: {TARGET_YEAR}, series_id: '{sid}'}}"
        )
    (root / "indicators.yaml").write_text("\n".join(ind_lines) + "\n", encoding="utf-8")
    (root / "history.csv").write_text("\n".join(obs_lines) + "\n", encoding="utf-8")
    (root / "next_year.csv").write_text("\n".join(new_lines) + "\n", encoding="utf-8")
    (root / "plan.yaml").write_text(
        f"id: synthetic\nplan_title: 合成规划({n} 个指标)\ntargets:\n" + "\n".join(targets) + "\n", encoding="utf-8"
    )


def timed(cmd: list[str], env: dict) -> tuple[float, float, int, str]:
    """(wall s, peak RSS MiB, exit code, first output line) of one refresh process.

    The refresh runs under a fresh measuring process (`--measure`), whose RUSAGE_CHILDREN peak is
    then that refresh's alone (ru_maxrss is the largest of all waited-for children, so measuring in
    this process would carry the first step's peak into the next).
    """
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        report = Path(fh.name)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", str(report), "--", *cmd], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    peak = json.loads(report.read_text())["maxrss_kib"] / 1024
    report.unlink()
    if proc.returncode not in (0, 3):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    last = (proc.stdout.strip().splitlines() or [""])[0]
    return wall, peak, proc.returncode, last


def measure(report: Path, cmd: list[str]) -> None:
    code = subprocess.run(cmd).returncode
    report.write_text(json.dumps({"maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
    sys.exit(code)


def main() -> None:
    if len(sys.argv) > 3 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]), sys.argv[4:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--langs", default="zh", help="report languages, comma-separated")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--json", type=Path, default=None, help="also write the measurements here")
    args = parser.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="forecast-refresh-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    generate(root, args.indicators)
    inbox = root / "inbox"
    inbox.mkdir(exist_ok=True)
    (root / "refresh.yaml").write_text(
        f"drop_folder: inbox\nn_paths: {args.paths}\nlangs: [{args.langs}]\ntrack: true\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_TRACKING_URI", "FORECAST_DB_URL")}
    forecast = [sys.executable, "-m", "forecast.cli.main", "--workspace", str(root / "ws")]
    subprocess.run(
        forecast + ["data", "import", str(root / "history.csv"), "--indicators", str(root / "indicators.yaml")],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(forecast + ["plan", "import", str(root / "plan.yaml")], env=env, check=True, capture_output=True)
    refresh = forecast + ["refresh", "--config", str(root / "refresh.yaml")]
    rows = []
    for step in ("first", "monthly", "repeat"):
        if step == "monthly":
            os.replace(root / "next_year.csv", inbox / "next_year.csv")
        wall, peak, code, line = timed(refresh, env)
        rows.append({"step": step, "wall_s": round(wall, 1), "peak_rss_mib": round(peak), "exit": code, "output": line})
    print(
        f"indicators {args.indicators}, paths {args.paths}, langs {args.langs}; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("\n| refresh | wall s | peak RSS MiB | exit | first output line |\n|---|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['step']} | {r['wall_s']} | {r['peak_rss_mib']} | {r['exit']} | {r['output']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
