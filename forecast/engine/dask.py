"""Dask: one task per item on a `dask.distributed` cluster, the shared inputs scattered once.

Installed with the optional extra `pip install -e ".[dask]"`. `address` is a running scheduler
(`tcp://host:8786`), else the DASK_SCHEDULER_ADDRESS environment variable; without either, a local
cluster of `jobs` single-threaded worker processes (default: all cores) starts with the engine and
stops with `close()`. Workers must have the package installed, as on a cluster image.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Optional

from forecast.engine.base import Closing, Progress, Task, in_order


class DaskEngine(Closing):
    name = "dask"

    def __init__(self, address: Optional[str] = None, jobs: Optional[int] = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError('the dask engine needs dask.distributed: pip install -e ".[dask]"') from None
        self.address = address or os.environ.get("DASK_SCHEDULER_ADDRESS")
        self._cluster = None
        if self.address is None:
            # Processes, one thread each: the per-series work is Python and numpy, which threads would
            # serialise on the interpreter lock. Everything on 127.0.0.1, on free ports: the scheduler
            # serves HTTP even without a dashboard, and would otherwise take 8787 on every interface.
            self._cluster = LocalCluster(
                n_workers=max(1, jobs or os.cpu_count() or 1),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                scheduler_port=0,
                dashboard_address="127.0.0.1:0",
            )
        self.client = Client(self._cluster or self.address)

    def map(
        self, fn: Task, items: Mapping[str, Any], shared: Any = None, on_done: Optional[Progress] = None
    ) -> dict[str, Any]:
        keys = list(items)
        if not keys:
            return {}
        # Sent to every worker once; each task then names it instead of carrying its own copy.
        [common] = self.client.scatter([shared], broadcast=True, hash=False)
        futures = self.client.map(fn, keys, [items[k] for k in keys], [common] * len(keys), pure=False)
        try:  # a task's exception is raised by its result(), as in the other engines
            return in_order(keys, (future.result() for future in futures), on_done)
        finally:
            self.client.cancel([*futures, common])

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
