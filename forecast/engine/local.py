"""Worker processes on this machine (joblib's loky backend), or a plain loop for one job."""
from __future__ import annotations

import os
from typing import Any, Mapping, Optional

from forecast.engine.base import Closing, Progress, Task


class LocalEngine(Closing):
    name = "local"

    def __init__(self, jobs: Optional[int] = None):
        self.jobs = max(1, jobs if jobs is not None else os.cpu_count() or 1)

    def map(self, fn: Task, items: Mapping[str, Any], shared: Any = None,
            on_done: Optional[Progress] = None) -> dict[str, Any]:
        keys = list(items)
        if self.jobs == 1 or len(keys) < 2:
            out = {}
            for i, key in enumerate(keys):
                out[key] = fn(key, items[key], shared)
                if on_done is not None:
                    on_done(key, i + 1, len(keys))
            return out
        from joblib import Parallel, delayed

        # Results come back in submission order; `shared` travels with each batch of tasks.
        results = Parallel(n_jobs=self.jobs, return_as="generator", batch_size="auto")(
            delayed(fn)(key, items[key], shared) for key in keys)
        out = {}
        for i, (key, result) in enumerate(zip(keys, results, strict=True)):
            out[key] = result
            if on_done is not None:
                on_done(key, i + 1, len(keys))
        return out
