"""The dask engine for real: its own local cluster, and a scheduler with two workers on 127.0.0.1
started here and stopped after. A run on either equals the local engine's bit for bit, also when a
worker is killed in the middle of a job (the scheduler runs its tasks again elsewhere)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from forecast.engine import LocalEngine, engine_for
from tests.conftest import ROOT
from tests.engine.test_engines import demo_store, free_port, outcome, slow_draw, square_plus  # noqa: F401  (a fixture and helpers)

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The address of a scheduler with two single-threaded workers (each under its nanny)."""
    root = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # the workers import this test's task functions
    run = [sys.executable, "-m"]
    procs = [
        subprocess.Popen(
            [*run, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1]]
            + ["--no-dashboard"],
            stdout=(root / "scheduler.log").open("w"),
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    ]
    for i in range(2):
        procs.append(
            subprocess.Popen(
                [*run, "distributed.cli.dask_worker", address, "--host", "127.0.0.1", "--nthreads", "1"]
                + ["--no-dashboard", "--local-directory", str(root / f"worker{i}")],
                stdout=(root / f"worker{i}.log").open("w"),
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        )
    try:
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)


def test_a_local_dask_cluster_gives_the_local_engines_results_bit_for_bit(demo_store):  # noqa: F811
    local = outcome(demo_store, LocalEngine(1))
    with engine_for("dask", jobs=2) as engine:
        assert engine.map(square_plus, {"a": 2.0, "b": 3.0}, 1.0) == {"a": 5.0, "b": 10.0}
        assert engine.map(square_plus, {}, 1.0) == {}
        assert outcome(demo_store, engine) == local


def test_a_run_on_a_dask_scheduler_equals_the_local_run(scheduler, demo_store):  # noqa: F811
    local = outcome(demo_store, LocalEngine(1))
    with engine_for("dask", dask_scheduler=scheduler) as engine:
        assert outcome(demo_store, engine) == local


def test_a_task_failure_fails_the_map_as_in_the_other_engines(scheduler):
    with engine_for("dask", dask_scheduler=scheduler) as engine, pytest.raises(TypeError):
        engine.map(square_plus, {"a": "not a number"}, 1.0)


def test_a_killed_dask_worker_changes_nothing(scheduler):
    items = {f"series-{i}": i for i in range(24)}
    expected = LocalEngine(1).map(slow_draw, items, 7)
    with engine_for("dask", dask_scheduler=scheduler) as engine:
        pids = engine.client.run(os.getpid)  # {worker address: pid}
        victim = sorted(pids.values())[0]
        killed = threading.Event()

        def kill_soon() -> None:
            time.sleep(1.5)  # 24 tasks of 0.4 s on two workers: well inside the job
            os.kill(victim, signal.SIGKILL)
            killed.set()

        threading.Thread(target=kill_soon, daemon=True).start()
        got = engine.map(slow_draw, items, 7)
        assert killed.is_set()
        assert victim not in engine.client.run(os.getpid).values()  # the worker did die (its nanny restarted it)
    assert got == expected


def test_the_cli_runs_a_plan_on_dask_with_the_local_engines_numbers(tmp_path):
    from tests.cli.test_cli import invoke
    from tests.conftest import DATA

    said = {}
    for engine in ("local", "dask"):
        ws = tmp_path / engine
        observations = DATA / "observations" / "china_indicators_annual.csv"
        assert invoke(ws, "data", "import", observations, "--indicators", DATA / "indicators.yaml").exit_code == 0
        assert invoke(ws, "plan", "import", DATA / "plans" / "replays.yaml").exit_code == 0
        run = invoke(ws, "run", "replays", "--as-of", "2015", "--paths", "300", "--no-track", "--engine", engine)
        assert run.exit_code == 0, run.output
        said[engine] = [line for line in run.output.splitlines() if "beijing" in line]  # one line a target
    assert said["dask"] == said["local"] and said["local"]
