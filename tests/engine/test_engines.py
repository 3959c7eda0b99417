"""One seam, several engines: the same run gives the same numbers locally, in worker processes and
on Spark, however the series are partitioned."""

from __future__ import annotations

import os
import socket
import time
import zlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecast.engine import LocalEngine, engine_for
from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan
from forecast.store import Store
from forecast.targets.plans import load_plan
from tests.conftest import DATA


def square_plus(key: str, item: float, shared: float) -> float:
    return item * item + shared


def loaded_before_import(key: str, module: str, shared: None) -> tuple[int, bool]:
    """(pid, whether `module` was loaded in this process before the task imported it)."""
    import importlib
    import sys

    before = module in sys.modules
    importlib.import_module(module)
    return os.getpid(), before


def slow_draw(key: str, item: int, shared: int) -> float:
    """A task that takes a while and draws from its own stream, as a series' simulation does."""
    time.sleep(0.4)
    return float(np.random.default_rng([shared, zlib.crc32(key.encode())]).normal() + item)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_worker(key: str, item: float, shared: float) -> int:
    time.sleep(item)  # long enough that a second core takes the other groups
    return os.getpid()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Store:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('engines') / 'forecast.db'}")
    for i, path in enumerate(sorted((DATA / "observations").glob("*.csv"))):
        import_file(store, path, DATA / "indicators.yaml" if i == 0 else None)
    store.save_plan(load_plan(DATA / "plans" / "jiangyou_2020.yaml"))
    return store


def outcome(store: Store, engine) -> tuple[list[dict], list[dict], dict]:
    result = run_plan(store, "jiangyou-2020", as_of="2016", n_paths=300, engine=engine)
    return [a.to_dict() for a in result.assessments], result.fans, result.settings["calibration"]


def test_maps_keep_the_order_of_their_inputs_and_pass_the_shared_value():
    items = {f"s{i}": float(i) for i in range(7)}
    seen = []
    out = LocalEngine(2).map(square_plus, items, 0.5, on_done=lambda key, done, total: seen.append((key, done, total)))
    assert list(out) == list(items) and out["s3"] == 9.5
    assert seen[-1] == ("s6", 7, 7)


def test_workers_inherit_what_the_first_task_imported(tmp_path, monkeypatch):
    """The first task runs before the fork, so the workers find its imports loaded instead of each
    importing them (and the caller importing them again for its own in-process work)."""
    (tmp_path / "slow_to_import.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with LocalEngine(2) as engine:
        out = engine.map(loaded_before_import, {f"s{i}": "slow_to_import" for i in range(6)})
    (first_pid, first_before), *rest = out.values()
    assert first_pid == os.getpid() and not first_before
    assert rest and all(pid != os.getpid() and before for pid, before in rest)


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        engine_for("ray")


def test_one_process_and_two_workers_give_identical_results(demo_store):
    one = outcome(demo_store, LocalEngine(1))
    two = outcome(demo_store, LocalEngine(2))
    assert one == two
    assert any(a["probability"] is not None for a in one[0])  # the comparison is not of empty runs


def test_spark_local_gives_the_local_engines_results_bit_for_bit(demo_store):
    pytest.importorskip("pyspark")
    from forecast.engine.spark import SparkEngine

    local = outcome(demo_store, LocalEngine(1))
    spark = SparkEngine("local[2]", partitions=3)
    try:
        assert spark.map(square_plus, {"a": 2.0, "b": 3.0}, 1.0) == {"a": 5.0, "b": 10.0}
        assert outcome(demo_store, spark) == local
    finally:
        spark.close()


def test_spark_groups_run_as_tasks_of_their_own_on_every_core():
    """Adaptive execution must not merge the groups (a few bytes each) into one task on one core."""
    pytest.importorskip("pyspark")
    from forecast.engine.spark import SparkEngine

    with SparkEngine("local[2]") as spark:
        pids = spark.map(python_worker, {f"s{i}": 0.3 for i in range(8)})
    assert len(set(pids.values())) >= 2


def test_runs_sharing_an_evidence_cache_give_the_numbers_of_separate_runs(demo_store):
    separate = outcome(demo_store, LocalEngine(1))
    cache: dict = {}
    first = run_plan(demo_store, "jiangyou-2020", as_of="2016", n_paths=300, evidence_cache=cache)
    assert len(cache) == 1
    second = run_plan(demo_store, "jiangyou-2020", as_of="2016", n_paths=300, evidence_cache=cache)
    assert len(cache) == 1  # the store was back-tested once
    for result in (first, second):
        assert ([a.to_dict() for a in result.assessments], result.fans) == separate[:2]


def test_back_tests_batched_any_way_give_the_same_evidence(demo_store, monkeypatch):
    from functools import partial

    from forecast.evaluation import evidence

    def run() -> tuple:
        result = run_plan(demo_store, "jiangyou-2020", as_of="2016", n_paths=300, engine=LocalEngine(2))
        return [a.to_dict() for a in result.assessments], result.evidence.rows()

    one_each = run()
    monkeypatch.setattr(evidence, "_batches", partial(evidence._batches, tasks=3))  # a few large batches
    few = run()
    assert few[0] == one_each[0]
    pd.testing.assert_frame_equal(few[1], one_each[1])


@given(n=st.integers(0, 3000), tasks=st.integers(1, 100), most=st.integers(1, 200))
def test_batches_cover_every_series_in_order(n, tasks, most):
    from forecast.evaluation.evidence import _batches

    ids = [f"s{i}" for i in range(n)]
    batches = _batches(ids, tasks, most)
    assert [sid for batch in batches.values() for sid in batch] == ids
    assert list(batches) == sorted(batches)  # keys sort in the series' order
    assert all(1 <= len(b) <= most for b in batches.values())
    assert len(batches) == min(
        n, max(tasks, -(-n // most))
    )  # as many tasks as asked, more when batches would exceed `most`
    sizes = [len(b) for b in batches.values()]
    assert not sizes or max(sizes) - min(sizes) <= 1
