from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast.schema import Indicator
from forecast.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'forecast.db'}")


@pytest.fixture
def rate_indicator() -> Indicator:
    return Indicator(id="x:pass_rate", name_zh="合格率", unit="%", direction="higher", lower=0, upper=100)


@pytest.fixture
def indicators_yaml(tmp_path) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(
        "indicators:\n"
        "  - {id: 'x:pass_rate', name_zh: 合格率, unit: '%', direction: higher, lower: 0, upper: 100}\n"
        "  - {id: 'x:pm25', name_zh: PM2.5, unit: µg/m³, direction: lower, lower: 0}\n"
        "  - {id: 'x:pm25_monthly', unit: µg/m³, direction: lower, lower: 0, frequency: M}\n",
        encoding="utf-8",
    )
    return path


def yearly(values, start=2010) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.period_range(str(start), periods=len(values), freq="Y"))


# -- a throwaway PostgreSQL server, shared by the tests that run the store on PostgreSQL -------------


def _as_server_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI machines run as root and have a `postgres` user.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def pg_url():
    pytest.importorskip("psycopg")
    if not (shutil.which("initdb") and shutil.which("postgres")):
        pytest.skip("PostgreSQL server binaries (initdb, postgres) not installed")
    # Not under pytest's tmp dirs: those are private to the test user, and the server runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="forecast-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    subprocess.run(
        _as_server_user(["initdb", "-D", str(data), "-A", "trust", "-U", "postgres"]), check=True, capture_output=True
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        _as_server_user(["postgres", "-D", str(data), "-p", str(port), "-h", "127.0.0.1", "-k", str(data)]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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


@pytest.fixture
def pg_database(pg_url):
    """A fresh, empty database on the throwaway server (dropped afterwards)."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The store URL of a fresh database: SQLite, and PostgreSQL when its binaries are installed."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'forecast.db'}"
    return request.getfixturevalue("pg_database")
