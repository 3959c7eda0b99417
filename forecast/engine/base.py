"""The engine protocol and the one place that picks an engine from the user's settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Optional, Protocol, TypeVar

K = TypeVar("K", bound=str)
V = TypeVar("V")
R = TypeVar("R")

# fn(key, item, shared) -> result; a module-level function, so worker processes can import it
Task = Callable[[str, Any, Any], Any]
Progress = Callable[[str, int, int], None]  # (key, done, total), told on the caller's side


class Engine(Protocol):
    name: str

    def map(
        self, fn: Task, items: Mapping[str, Any], shared: Any = None, on_done: Optional[Progress] = None
    ) -> dict[str, Any]:
        """{key: fn(key, item, shared)} for every item, in the order of `items`.

        `shared` is the same for every item (the pooled calibration, the candidate models): sent to
        each worker once. An exception inside `fn` fails the map; per-series failures that must not
        sink a run are caught inside `fn` and returned as results.
        """
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


def in_order(keys: list[str], results: Iterable[Any], on_done: Optional[Progress] = None) -> dict[str, Any]:
    """{key: result} in the order of `keys` (results given in that order), telling `on_done` of each:
    what every engine's `map` returns, however its results arrive."""
    out = {}
    for i, (key, result) in enumerate(zip(keys, results, strict=True)):
        out[key] = result
        if on_done is not None:
            on_done(key, i + 1, len(keys))
    return out


class Closing:
    """`with engine_for(...) as engine:` stops the engine (and a Spark session) when the block ends."""

    def close(self) -> None:
        pass

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


ENGINES = ("local", "spark", "dask")


def engine_for(
    name: str = "local",
    jobs: Optional[int] = None,
    spark_master: Optional[str] = None,
    dask_scheduler: Optional[str] = None,
) -> Engine:
    """The engine a command asked for: `local` (worker processes; `jobs`, default all cores), `spark`
    (`spark_master`, else the SPARK_MASTER environment variable, else local[*]) or `dask`
    (`dask_scheduler`, else DASK_SCHEDULER_ADDRESS, else a local cluster of `jobs` workers)."""
    if name == "local":
        from forecast.engine.local import LocalEngine

        return LocalEngine(jobs)
    if name == "spark":
        from forecast.engine.spark import SparkEngine

        return SparkEngine(spark_master)
    if name == "dask":
        from forecast.engine.dask import DaskEngine

        return DaskEngine(dask_scheduler, jobs)
    raise ValueError(f"unknown engine {name!r}: use {', '.join(ENGINES[:-1])} or {ENGINES[-1]}")
