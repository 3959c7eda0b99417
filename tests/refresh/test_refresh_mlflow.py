"""Refresh against a real MLflow tracking server (loopback): down, the refresh completes and says so;
up again, the next refresh back-fills what was not logged."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from forecast.refresh.job import EXIT_OK, EXIT_PARTIAL, run_refresh
from tests.refresh.workspace import config_of, latest_summary, make_workspace, observations_csv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(tmp_path, port: int) -> subprocess.Popen:
    mlflow = [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--workers",
        "1",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--backend-store-uri",
        f"sqlite:///{tmp_path / 'server.db'}",
        "--artifacts-destination",
        (tmp_path / "server-artifacts").as_uri(),
    ]
    proc = subprocess.Popen(mlflow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            break
    _stop(proc)
    pytest.fail("the MLflow server did not start")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and the workers it started, nothing else
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_tracking_server_down_then_up(tmp_path, monkeypatch):
    port = _free_port()
    uri = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    ws, store, config, inbox = make_workspace(tmp_path, f"sqlite:///{tmp_path / 'forecast.db'}", track=True)

    down = run_refresh(ws, store, config_of(config))  # nothing listens on the port yet
    assert down.status == "complete" and down.exit_code == EXIT_PARTIAL
    failed = down.summary["tracking"]["failed"]
    assert len(failed) == 2 and all("unreachable" in f["error"] for f in failed)
    assert all(r["mlflow_run_id"] is None for r in store.runs())
    assert "tracking failed for run" in (ws.root / "refresh" / "latest.md").read_text(encoding="utf-8")
    assert [p["plan"] for p in down.summary["plans"]] == ["plan-a", "plan-b"]  # the rest completed
    pages = [ws.root / p for p in down.summary["reports"] if p.endswith(".html")]
    assert pages and all('id="tracking-problem"' in p.read_text(encoding="utf-8") for p in pages)  # each report says so

    server = _start_server(tmp_path, port)
    try:
        from mlflow.tracking import MlflowClient

        client = MlflowClient(tracking_uri=uri)
        up = run_refresh(ws, store, config_of(config))  # no new data: nothing run, but the back-fill is done
        assert up.status == "up_to_date" and up.exit_code == EXIT_OK
        runs = store.runs()
        assert all(r["mlflow_run_id"] for r in runs)
        for r in runs:
            logged = client.get_run(r["mlflow_run_id"])
            assert logged.data.tags["forecast.run_id"] == r["id"]
            assert logged.data.tags["forecast.backfilled"] == "true"
            assert logged.data.metrics["targets"] == (2 if r["plan_id"] == "plan-a" else 1)
            assert any(a.path == "report" for a in client.list_artifacts(r["mlflow_run_id"]))

        (inbox / "new.csv").write_text(observations_csv([("t:pm25", 2021, 50.0)]), encoding="utf-8")
        fresh = run_refresh(ws, store, config_of(config))  # server up: logged as the run is made
        assert fresh.exit_code == EXIT_OK and fresh.summary["tracking"] == {"failed": [], "backfilled": []}
        new_run = next(p["run_id"] for p in fresh.summary["plans"] if p["plan"] == "plan-a")
        parent = store.run(new_run)["mlflow_run_id"]
        children = client.search_runs(
            [client.get_run(parent).info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent}'"
        )
        assert {c.data.tags["forecast.model"] for c in children} == {"rw_drift", "combined"}
        assert latest_summary(ws)["tracking"]["failed"] == []
        page = next(ws.root / p for p in fresh.summary["reports"] if p.endswith(".html"))
        assert 'id="tracking-problem"' not in page.read_text(encoding="utf-8")
    finally:
        _stop(server)
        store.engine.dispose()
