"""Spark: per-series groups through `groupBy(...).applyInPandas`, the shared inputs broadcast once.

Installed with the optional extra `pip install -e ".[spark]"`. The session starts when the engine
is made and stops with `close()`; `master` is a Spark master URL (`local[2]`,
`spark://host:7077`), else the SPARK_MASTER environment variable, else `local[*]`. Executors run
the Python that runs this process (it must have the package installed, as on a cluster image).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Mapping
from typing import Any, Optional

from forecast.engine.base import Closing, Progress, Task, in_order

RESULT_SCHEMA = "key string, result binary"


class SparkEngine(Closing):
    name = "spark"

    def __init__(
        self, master: Optional[str] = None, partitions: Optional[int] = None, conf: Optional[Mapping[str, str]] = None
    ):
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise RuntimeError('the spark engine needs pyspark: pip install -e ".[spark]"') from None
        self.master = master or os.environ.get("SPARK_MASTER") or "local[*]"
        builder = (
            SparkSession.builder.master(self.master)
            .appName("forecast")
            .config("spark.pyspark.python", sys.executable)
            .config("spark.pyspark.driver.python", sys.executable)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            # The inputs are a few bytes a series, so adaptive execution merged every group into one
            # shuffle partition: one task, one core. Each group must stay a task of its own.
            .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
        )
        for key, value in (conf or {}).items():
            builder = builder.config(key, value)
        self.session = _with_python(builder.getOrCreate)
        self.session.sparkContext.setLogLevel("ERROR")
        # A few groups per core, so the cores finish together.
        self.partitions = partitions or max(2, 4 * self.session.sparkContext.defaultParallelism)

    def map(
        self, fn: Task, items: Mapping[str, Any], shared: Any = None, on_done: Optional[Progress] = None
    ) -> dict[str, Any]:
        import pandas as pd

        keys = list(items)
        if not keys:
            return {}
        inputs = pd.DataFrame(
            {
                "key": keys,
                "part": [i % self.partitions for i in range(len(keys))],
                "payload": [pickle.dumps(items[k]) for k in keys],
            }
        )
        task = self.session.sparkContext.broadcast(pickle.dumps((fn, shared)))

        def run_group(group: pd.DataFrame) -> pd.DataFrame:
            fn_, shared_ = pickle.loads(task.value)
            results = [pickle.dumps(fn_(k, pickle.loads(p), shared_)) for k, p in zip(group["key"], group["payload"])]
            return pd.DataFrame({"key": group["key"].to_numpy(), "result": results})

        frame = self.session.createDataFrame(inputs, schema="key string, part int, payload binary")
        rows = frame.groupBy("part").applyInPandas(run_group, RESULT_SCHEMA).collect()
        task.unpersist()
        by_key = {row["key"]: pickle.loads(row["result"]) for row in rows}
        return in_order(keys, (by_key[key] for key in keys), on_done)

    def close(self) -> None:
        self.session.stop()


def _with_python(start):
    """Start the session with this process's Python for the workers: pyspark reads PYSPARK_PYTHON
    when the context starts (else it runs whatever `python3` is on PATH). Restored afterwards."""
    before = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = before or sys.executable
    try:
        return start()
    finally:
        if before is None:
            del os.environ["PYSPARK_PYTHON"]
