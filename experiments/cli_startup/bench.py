"""Time `forecast --help` against the Python floor and a peer CLI (mlflow), in one run.

Usage (from the repository root, after `make setup`):
    .venv/bin/python experiments/cli_startup/bench.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "forecast --help": [str(BIN / "forecast"), "--help"],
    "forecast data --help": [str(BIN / "forecast"), "data", "--help"],
    "mlflow --help (peer)": [str(BIN / "mlflow"), "--help"],
}


def time_command(cmd: list[str], repeats: int) -> list[float]:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}")
    print("| command | median s | min s | max s |")
    print("|---|---:|---:|---:|")
    for name, cmd in COMMANDS.items():
        times = time_command(cmd, args.repeats)
        print(f"| `{name}` | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} |")


if __name__ == "__main__":
    main()
