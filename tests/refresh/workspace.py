"""A small synthetic workspace for the refresh tests: three yearly series, two plans with targets ahead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from forecast.ingest.importer import import_file
from forecast.refresh.config import load_config
from forecast.store import Store
from forecast.targets.plans import load_plan
from forecast.workspace import Workspace
from tests.conftest import ROOT

INDICATORS = """indicators:
  - {id: 't:pass', name_en: pass rate, unit: '%', direction: higher, lower: 0, upper: 100}
  - {id: 't:pm25', name_en: PM2.5, unit: µg/m³, direction: lower, lower: 0}
  - {id: 't:stuck', name_en: a flat series, unit: '%', direction: higher, lower: 0, upper: 100}
"""
PLAN_A = """id: plan-a
plan_title: 质量发展规划(测试)
targets:
  - {id: pass_2030, indicator: 合格率, indicator_en: pass rate, comparator: '>=', value: 95, unit: '%', year: 2030, series_id: 't:pass', attribute: 约束性}
  - {id: pm25_2030, indicator: PM2.5, indicator_en: PM2.5, comparator: '<=', value: 40, unit: µg/m³, year: 2030, series_id: 't:pm25'}
"""
PLAN_B = """id: plan-b
plan_title: 空气质量(测试)
targets:
  - {id: pm25_2028, indicator: PM2.5, indicator_en: PM2.5, comparator: '<=', value: 50, unit: µg/m³, year: 2028, series_id: 't:pm25'}
"""


def observations_csv(rows: list[tuple[str, int, float]]) -> str:
    return "series_id,ds,y\n" + "".join(f"{s},{y},{v}\n" for s, y, v in rows)


def base_rows() -> list[tuple[str, int, float]]:
    wiggle = [0.3, -0.2, 0.1, -0.4, 0.2, 0.0, -0.1, 0.3, -0.3, 0.1, 0.2]
    return [("t:pass", 2010 + i, round(80 + 0.5 * i + w, 2)) for i, w in enumerate(wiggle)] + [
        ("t:pm25", 2010 + i, round(70 - 1.5 * i + 2 * w, 2)) for i, w in enumerate(wiggle)
    ]


def make_workspace(root: Path, store_url: str, models: str = "[rw_drift]", track: bool = False) -> tuple:
    """(workspace, store, config path, inbox) with the base data and both plans imported."""
    root.mkdir(parents=True, exist_ok=True)
    ws = Workspace(root / "ws").ensure()
    store = Store(store_url)
    (root / "indicators.yaml").write_text(INDICATORS, encoding="utf-8")
    base = root / "base.csv"
    base.write_text(observations_csv(base_rows()), encoding="utf-8")
    import_file(store, base, root / "indicators.yaml")
    for name, text in (("a.yaml", PLAN_A), ("b.yaml", PLAN_B)):
        (root / name).write_text(text, encoding="utf-8")
        store.save_plan(load_plan(root / name))
    inbox = root / "inbox"
    inbox.mkdir()
    config = root / "refresh.yaml"
    config.write_text(
        f"drop_folder: inbox\nindicators: indicators.yaml\nmodels: {models}\nn_paths: 200\n"
        f"langs: [en]\ntrack: {str(track).lower()}\n",
        encoding="utf-8",
    )
    return ws, store, config, inbox


def config_of(path: Path):
    return load_config(path)


def refresh_command(ws: Workspace, config: Path) -> list[str]:
    return [sys.executable, "-m", "forecast.cli.main", "--workspace", str(ws.root), "refresh", "--config", str(config)]


def child_env(store_url: str, **extra) -> dict:
    env = dict(os.environ, FORECAST_DB_URL=store_url, **extra)
    env.pop("MLFLOW_TRACKING_URI", None)
    return env


def start_held(ws: Workspace, config: Path, store_url: str, checkpoint: str, go: Path) -> subprocess.Popen:
    """A refresh in a subprocess that stops at `checkpoint` until `go` exists; returns once it is there."""
    command = [sys.executable, "-m", "tests.refresh.held", str(ws.root), str(config), checkpoint, str(go)]
    proc = subprocess.Popen(
        command,
        env=child_env(store_url, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    for line in proc.stderr:
        if f"holding at {checkpoint}" in line:
            return proc
        if time.monotonic() > deadline:
            break
    proc.kill()
    out, err = proc.communicate()
    raise AssertionError(f"the refresh never reached {checkpoint}: rc={proc.returncode}\n{out}\n{err}")


def latest_summary(ws: Workspace) -> dict:
    return json.loads((ws.root / "refresh" / "latest.json").read_text(encoding="utf-8"))
