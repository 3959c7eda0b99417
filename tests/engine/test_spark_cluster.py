"""The spark engine on a real standalone cluster: a master and two workers on 127.0.0.1, started
here and stopped after. A run on it equals the local engine's bit for bit, also when an executor is
killed in the middle of a job (Spark runs its tasks again elsewhere)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from forecast.engine import LocalEngine
from tests.conftest import ROOT
from tests.engine.test_engines import demo_store, free_port, outcome, slow_draw  # noqa: F401  (a fixture and helpers)

pyspark = pytest.importorskip("pyspark")


def spark_class(*args: str, log: Path) -> subprocess.Popen:
    script = Path(pyspark.__file__).parent / "bin" / "spark-class"
    return subprocess.Popen(
        [str(script), *args],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=dict(os.environ, SPARK_LOCAL_IP="127.0.0.1"),
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(master URL, worker ports); two workers of one core each."""
    root = tmp_path_factory.mktemp("spark")
    port, ui = free_port(), free_port()
    procs = [
        spark_class(
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--webui-port",
            str(ui),
            log=root / "master.log",
        )
    ]
    worker_ports = [free_port(), free_port()]
    for i, wp in enumerate(worker_ports):
        procs.append(
            spark_class(
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--port",
                str(wp),
                "--webui-port",
                str(free_port()),
                "--cores",
                "1",
                "--memory",
                "1g",
                "--work-dir",
                str(root / f"work{i}"),
                f"spark://127.0.0.1:{port}",
                log=root / f"worker{i}.log",
            )
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=2) as r:
                    if json.load(r).get("aliveworkers") == 2:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the standalone cluster did not start: " + (root / "master.log").read_text())
            time.sleep(0.5)
        yield f"spark://127.0.0.1:{port}", worker_ports
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)


def executors_of(worker_port: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-f", f"CoarseGrainedExecutorBackend.*Worker@127.0.0.1:{worker_port}"], capture_output=True, text=True
    )
    return [int(pid) for pid in out.stdout.split()]


def test_a_run_on_the_cluster_equals_the_local_run(cluster, demo_store):  # noqa: F811
    from forecast.engine.spark import SparkEngine

    master, _ = cluster
    local = outcome(demo_store, LocalEngine(1))
    with SparkEngine(master, partitions=4, conf={"spark.executor.memory": "512m"}) as engine:
        assert outcome(demo_store, engine) == local


def test_a_killed_executor_changes_nothing(cluster):
    from forecast.engine.spark import SparkEngine

    master, worker_ports = cluster
    items = {f"series-{i}": i for i in range(24)}
    expected = LocalEngine(1).map(slow_draw, items, 7)
    conf = {"spark.executor.memory": "512m", "spark.executorEnv.PYTHONPATH": str(ROOT)}  # executors import this test
    with SparkEngine(master, partitions=8, conf=conf) as engine:
        engine.map(slow_draw, {"warm": 0}, 7)  # executors up before the job we interrupt
        killer = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import os, signal, sys, time; time.sleep(2); [os.kill(int(p), signal.SIGKILL) for p in sys.argv[1:]]",
                *map(str, executors_of(worker_ports[0])),
            ]
        )
        assert executors_of(worker_ports[0]), "no executor to kill on the first worker"
        got = engine.map(slow_draw, items, 7)
        assert killer.wait(timeout=30) == 0  # the executor was alive, and killed, during the job
    assert got == expected
