"""Worker processes on this machine, or a plain loop for one job.

The pool starts with the first map (after its first task, run here) and lives until `close()`, so
the plans of one refresh share it. Workers are forked (no re-import of the caller's main module, no
start-up imports) and each watches its parent: when the parent dies, even by SIGKILL, the worker
exits instead of lingering.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, repeat
from typing import Any, Optional

from forecast.engine.base import Closing, Progress, Task, in_order


class LocalEngine(Closing):
    name = "local"

    def __init__(self, jobs: Optional[int] = None):
        self.jobs = max(1, jobs if jobs is not None else os.cpu_count() or 1)
        self._pool: Optional[ProcessPoolExecutor] = None

    def map(
        self, fn: Task, items: Mapping[str, Any], shared: Any = None, on_done: Optional[Progress] = None
    ) -> dict[str, Any]:
        keys = list(items)
        if self.jobs == 1 or len(keys) < 2:
            results: Any = (fn(key, items[key], shared) for key in keys)
        else:
            first: list[Any] = []
            if self._pool is None:
                # The first task runs here, before the fork: the workers then inherit every module it
                # loaded (statsmodels' Theta alone takes ~1 s), instead of each importing them and this
                # process importing them again for its own in-process work.
                first = [fn(keys[0], items[keys[0]], shared)]
                self._pool = ProcessPoolExecutor(
                    self.jobs,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_exit_with_parent,
                    initargs=(os.getpid(),),
                )
            rest = keys[len(first) :]
            # Many small chunks per worker: tasks differ in cost, and with a few large chunks one worker
            # sat idle while the other finished its last. `shared` is pickled once per chunk.
            chunk = max(1, math.ceil(len(rest) / (self.jobs * 16)))
            results = chain(first, self._pool.map(fn, rest, [items[k] for k in rest], repeat(shared), chunksize=chunk))
        return in_order(keys, results, on_done)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def _exit_with_parent(parent: int) -> None:
    """In a worker: a watcher thread that ends the process once its parent is gone (it is then
    re-parented), since an idle worker would otherwise wait on its task queue for ever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
