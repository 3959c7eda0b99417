"""Undo: `forecast data batches` lists imports, `forecast data undo BATCH` takes one back in one transaction,
refusing when a stored run used it unless forced."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.ingest.importer import import_file
from forecast.store import Store
from forecast.store.batches import UndoRefused, list_batches, undo_batch

runner = CliRunner()


def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_batches_are_listed_and_one_is_undone_whole(store, tmp_path, indicators_yaml):
    a = import_file(
        store,
        _csv(
            tmp_path,
            "a.csv",
            "series_id,ds,y,known_at\nx:pass_rate,2014,94.7,2015-02-01\nx:pass_rate,2015,95.0,2016-02-01\n",
        ),
        indicators_yaml,
    )
    b = import_file(store, _csv(tmp_path, "b.csv", "series_id,ds,y,known_at\nx:pass_rate,2015,96.8,2017-03-01\n"))
    listed = list_batches(store)
    assert [(r["id"], r["source_file"], r["n_rows"], r["series"]) for r in listed] == [
        (a.batch_id, "a.csv", 2, 1),
        (b.batch_id, "b.csv", 1, 1),
    ]
    assert (listed[0]["known_from"], listed[0]["known_to"]) == (dt.date(2015, 2, 1), dt.date(2016, 2, 1))
    assert store.observations("x:pass_rate") == [("2014", 94.7), ("2015", 96.8)]
    done = undo_batch(store, b.batch_id)
    assert (done.rows, done.runs_kept) == (1, [])
    assert store.observations("x:pass_rate") == [("2014", 94.7), ("2015", 95.0)]  # the earlier vintage again
    assert [r["id"] for r in list_batches(store)] == [a.batch_id]
    again = import_file(store, tmp_path / "b.csv")  # its bytes are no longer "already imported"
    assert not again.already_imported and again.rows == 1


def test_undo_refuses_an_unknown_batch(store):
    with pytest.raises(UndoRefused, match="no batch 7"):
        undo_batch(store, 7)


def _run_on(store):
    from forecast.jobs.run import run_plan, save_run
    from forecast.schema import Plan

    store.save_plan(
        Plan.model_validate(
            {
                "id": "p",
                "targets": [
                    {"id": "t1", "comparator": ">=", "value": 96, "unit": "%", "year": 2030, "series_id": "x:pass_rate"}
                ],
            }
        )
    )
    result = run_plan(store, "p", models=["rw_drift"], n_paths=200)
    save_run(store, result)
    return result.run_id


def test_undo_refuses_a_batch_a_stored_run_used_unless_forced(store, tmp_path, indicators_yaml):
    rows = "".join(f"x:pass_rate,{2010 + i},{90 + i * 0.4:.1f}\n" for i in range(10))
    used = import_file(store, _csv(tmp_path, "used.csv", "series_id,ds,y\n" + rows), indicators_yaml)
    run_id = _run_on(store)
    other = import_file(store, _csv(tmp_path, "pm.csv", "series_id,ds,y\nx:pm25,2015,40\n"))
    before = store.counts()
    with pytest.raises(UndoRefused, match=f"used by stored run\\(s\\) {run_id}"):
        undo_batch(store, used.batch_id)
    assert store.counts() == before
    assert undo_batch(store, other.batch_id).runs_kept == []  # a series the run never used
    forced = undo_batch(store, used.batch_id, force=True)
    assert forced.runs_kept == [run_id] and store.observations("x:pass_rate") == []
    assert [r["id"] for r in store.runs()] == [run_id]


def test_cli_batches_and_undo(tmp_path, indicators_yaml):
    ws = tmp_path / "ws"
    path = _csv(tmp_path, "a.csv", "series_id,ds,y\nx:pass_rate,2014,94.7\n")
    cli = ["--workspace", str(ws), "data"]
    assert runner.invoke(app, cli + ["batches"]).output.strip() == "no batches imported yet"
    assert runner.invoke(app, cli + ["import", str(path), "-i", str(indicators_yaml)]).exit_code == 0
    listed = runner.invoke(app, cli + ["batches"])
    assert listed.exit_code == 0 and "a.csv" in listed.output and "     1" in listed.output
    assert runner.invoke(app, cli + ["undo", "2"]).exit_code == 1
    undone = runner.invoke(app, cli + ["undo", "1"])
    assert undone.exit_code == 0 and "removed batch 1 (a.csv): 1 observations" in undone.output
    assert Store(f"sqlite:///{ws / 'forecast.db'}").counts()["observations"] == 0
