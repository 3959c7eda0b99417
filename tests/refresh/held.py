"""A refresh that stops at one stage until a file appears: the kill tests run it in a subprocess.

python -m tests.refresh.held WORKSPACE CONFIG STAGE GO_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from forecast.refresh.config import load_config
from forecast.refresh.job import run_refresh
from forecast.store import Store
from forecast.workspace import Workspace


def main(workspace: str, config: str, stage: str, go: str) -> int:
    def hold(name: str) -> None:
        if name != stage:
            return
        print(f"refresh: holding at {name}", file=sys.stderr, flush=True)
        while not Path(go).exists():
            time.sleep(0.05)

    ws = Workspace(Path(workspace))
    return run_refresh(ws, Store(ws.db_url), load_config(Path(config)), on_stage=hold).exit_code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
