"""`forecast ui` as a user starts it: a real process, through the real entry point, on a free port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

START_SECONDS = 240  # the MLflow server takes ~30 s to start on a busy two-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    """Nothing listens: a new server could bind it (as servers do, despite connections in TIME_WAIT)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class UI:
    proc: subprocess.Popen
    port: int
    output: Path
    address: str

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")


def start_ui(workspace: Path, tmp: Path, *args: str) -> UI:
    port = free_port()
    output = tmp / "ui.out"
    with open(output, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "forecast.cli.main",
                "--workspace",
                str(workspace),
                "ui",
                "--port",
                str(port),
                *args,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    found = re.search(r"^model comparison: (\S+)", output.read_text(encoding="utf-8"), re.MULTILINE)
                    return UI(proc, port, output, found.group(1) if found else "")
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            break
    stop_all(proc)
    raise AssertionError(f"forecast ui did not start:\n{output.read_text(encoding='utf-8')[-3000:]}")


def stop_all(proc: subprocess.Popen, started: set[int] = frozenset()) -> None:
    """Test clean-up: the process and whatever it started, by pid (only processes this test made)."""
    for pid in [proc.pid, *descendants(proc.pid), *started]:
        if pid != proc.pid and not alive(pid):
            continue
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
