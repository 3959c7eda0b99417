"""The store on a real PostgreSQL server: the team set-up runs the same code as the SQLite default.

A throwaway server is started from the machine's PostgreSQL binaries (initdb/postgres; fixture
`pg_url` in conftest); without them (or without psycopg) the tests skip.
"""

from __future__ import annotations

import pytest

from forecast.ingest.importer import ImportFailed, import_file
from forecast.jobs.run import run_plan, save_run
from forecast.store import Store
from forecast.targets.plans import load_plan
from tests.conftest import DATA


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
    save_run(store, result)
    stored = {a["target_id"]: a for a in store.assessments(result.run_id)}
    assert stored["beijing_pm25_2017"]["status"] == "observed"
    assert 0 <= stored["cn_good_days_2020"]["probability"] <= 1
    assert Store(pg_url).observations("beijing:pm25_annual")[0] == ("2013", 89.5)
