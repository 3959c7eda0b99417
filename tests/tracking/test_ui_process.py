"""`forecast ui` stopped by its PID (SIGTERM, as a service manager or `kill` does) or by Ctrl-C
(SIGINT) stops the MLflow server it started: the port is free and no process it started is left."""

from __future__ import annotations

import signal
import time

import pytest

from tests.tracking.ui_process import alive, descendants, port_free, start_ui, stop_all


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_forecast_ui_stops_the_server(tmp_path, signum):
    ui = start_ui(tmp_path / "ws", tmp_path)
    started = descendants(ui.proc.pid)
    try:
        assert started, "the MLflow server runs below forecast ui"
        ui.proc.send_signal(signum)
        code = ui.proc.wait(timeout=60)
        deadline = time.monotonic() + 10
        while (not port_free(ui.port) or any(map(alive, started))) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert port_free(ui.port), "something still listens on the port"
        assert [pid for pid in started if alive(pid)] == []
        assert code == 128 + signum  # as a shell reports a command stopped by a signal
    finally:  # clean-up by pid, of the processes this test started (nothing left unless it failed)
        stop_all(ui.proc, started)
