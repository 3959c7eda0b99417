"""Charts render Chinese with a real font, and `forecast ui` serves MLflow on localhost only."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import warnings

import pytest

from forecast.report.charts import history_chart_png


def test_chinese_chart_labels_have_glyphs():
    from datetime import datetime

    from forecast.jobs.history import HistoryPoint

    points = [
        HistoryPoint(
            run_id=f"r{k}",
            plan_id="p",
            created_at=datetime(2026, k, 1),
            refresh_id=None,
            result={
                "probability": 0.5 + k / 20,
                "median": 95.0 + k,
                "interval80": [93.0, 97.0 + k],
                "threshold": 96.0,
                "target_year": 2025,
            },
        )
        for k in (1, 2, 3)
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = history_chart_png(points, "食品药品抽检合格率 — 全国替代序列", "%")
    missing = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    assert missing == []
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_ui_serves_the_workspace_store_on_localhost(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "forecast.cli.main", "--workspace", str(tmp_path / "ws"), "ui", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("the MLflow UI did not answer within 90 s")
        assert (tmp_path / "ws" / "mlflow.db").exists()
    finally:
        import os
        import signal

        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
