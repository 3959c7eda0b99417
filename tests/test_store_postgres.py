"""The store on a real PostgreSQL server: the team set-up runs the same code as the SQLite default.

A throwaway server is started from the machine's PostgreSQL binaries (initdb/postgres); without them
(or without psycopg) the tests skip.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from forecast.importer import ImportFailed, import_file
from forecast.plans import load_plan
from forecast.runner import run_plan
from forecast.store import Store

from .conftest import DATA


def _as_server_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI machines run as root and have a `postgres` user.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def pg_url():
    pytest.importorskip("psycopg")
    if not (shutil.which("initdb") and shutil.which("postgres")):
        pytest.skip("PostgreSQL server binaries (initdb, postgres) not installed")
    # Not under pytest's tmp dirs: those are private to the test user, and the server runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="forecast-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    subprocess.run(_as_server_user(["initdb", "-D", str(data), "-A", "trust", "-U", "postgres"]),
                   check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(_as_server_user(["postgres", "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
                                               "-k", str(data)]),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    import psycopg

    for _ in range(100):
        try:
            psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres").close()
            break
        except psycopg.OperationalError:
            time.sleep(0.2)
    else:
        server.terminate()
        pytest.fail("PostgreSQL did not start")
    yield url
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(base, ignore_errors=True)


def test_import_run_and_failed_import_on_postgres(pg_url, tmp_path):
    store = Store(pg_url)
    import_file(store, DATA / "observations" / "china_indicators_annual.csv", DATA / "indicators.yaml")
    before = store.counts()
    bad = tmp_path / "bad.csv"
    bad.write_text("series_id,ds,y\ncn_national:food_safety_sampling_pass_rate,2030,105\n", encoding="utf-8")
    with pytest.raises(ImportFailed):
        import_file(store, bad)
    assert store.counts() == before  # nothing half-written on the team database either
    store.save_plan(load_plan(DATA / "plans" / "replays.yaml"))
    result = run_plan(store, "replays", as_of="2017", n_paths=300)
    stored = {a["target_id"]: a for a in store.assessments(result.run_id)}
    assert stored["beijing_pm25_2017"]["status"] == "observed"
    assert 0 <= stored["cn_good_days_2020"]["probability"] <= 1
    assert Store(pg_url).observations("beijing:pm25_annual")[0] == ("2013", 89.5)
