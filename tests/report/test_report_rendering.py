"""Charts render Chinese with a real font, and `forecast ui` serves MLflow on localhost only."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import warnings

import pytest

from forecast.report.build import TEXT
from forecast.report.charts import fan_chart_png


def test_chinese_chart_labels_have_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = fan_chart_png(
            "食品药品抽检合格率 — 全国替代序列",
            "%",
            {2014: 94.7, 2015: 96.8, 2016: 96.8},
            {2017: {"0.025": 90, "0.1": 93, "0.5": 97, "0.9": 98.5, "0.975": 99}},
            95.0,
            ">=",
            2017,
            97.6,
            TEXT["zh"],
        )
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
