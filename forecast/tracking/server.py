"""`forecast ui`: the MLflow UI on the workspace store, bound to localhost, stopped with its parent.

MLflow's UI is a tree of processes (the command, uvicorn and its worker, the job runner). It runs in
its own process group, and when `forecast ui` ends — it returns, raises, or gets SIGTERM or SIGINT —
the whole group is stopped: nothing is left listening on the port. (SIGKILL cannot be caught; after
`kill -9` the group must be stopped by hand.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from forecast.tracking.client import tracking_uri
from forecast.workspace import Workspace

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
GRACE_SECONDS = 10.0


class _Stopped(Exception):
    def __init__(self, signum: int):
        self.signum = signum


def ui_command(ws: Workspace, port: int) -> list[str]:
    # One worker: an analyst's browser, not a team, is served (the default is four).
    return [
        sys.executable,
        "-m",
        "mlflow",
        "ui",
        "--backend-store-uri",
        tracking_uri(ws),
        "--default-artifact-root",
        ws.mlflow_artifacts.as_uri(),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]


def serve_ui(ws: Workspace, port: int = 5000) -> int:
    """Run the MLflow UI until it exits or this process is told to stop; returns its exit code
    (128 + signal number when stopped by a signal, as a shell reports it)."""
    ws.ensure()
    # The job runner serves GenAI judges only; without it the UI is a few processes lighter.
    env = {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false", **os.environ}
    proc = subprocess.Popen(ui_command(ws, port), env=env, start_new_session=True)
    previous = _trap_signals()
    try:
        return proc.wait()
    except _Stopped as stop:
        return 128 + stop.signum
    except KeyboardInterrupt:  # SIGINT when the handler could not be installed (not the main thread)
        return 128 + signal.SIGINT
    finally:
        stop_group(proc)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def stop_group(proc: subprocess.Popen, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM to the server's process group, SIGKILL to what is left after `grace` seconds; only
    that group (its id is the server's pid)."""
    _signal_group(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _group_alive(proc) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _group_alive(proc):
        _signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:  # the group is gone
        pass


def _group_alive(proc: subprocess.Popen) -> bool:
    proc.poll()  # reap the leader, or its zombie would count as alive
    try:
        os.killpg(proc.pid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _trap_signals() -> dict:
    """SIGTERM and SIGINT raise `_Stopped` while the server runs (restored afterwards). Only the main
    thread may install handlers; elsewhere the defaults stay."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum, frame):
        raise _Stopped(signum)

    return {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
