"""A refresh killed after MLflow took its runs but before the store recorded their MLflow ids leaves
exactly the store state simulated here (the runs published, `mlflow_run_id` empty). The next refresh
back-fills them: it must find the runs MLflow already has, not log each a second time."""

from __future__ import annotations

from forecast.refresh.job import EXIT_OK, run_refresh
from forecast.tracking import tracking_uri
from tests.refresh.workspace import config_of, make_workspace


def test_backfill_after_a_kill_logs_no_run_twice(tmp_path, monkeypatch):
    from mlflow.tracking import MlflowClient

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)  # the workspace's own store
    ws, store, config, _ = make_workspace(tmp_path, f"sqlite:///{tmp_path / 'forecast.db'}", track=True)
    try:
        first = run_refresh(ws, store, config_of(config))
        assert first.exit_code == EXIT_OK
        logged = {r["id"]: r["mlflow_run_id"] for r in store.runs()}
        assert len(logged) == 2 and all(logged.values())
        for run_id in logged:  # what kill -9 between logging and recording leaves
            store.set_mlflow_run(run_id, None)

        again = run_refresh(ws, store, config_of(config))
        assert again.status == "up_to_date" and again.exit_code == EXIT_OK
        assert "tracking back-filled 2 run(s)" in again.lines
        assert {r["id"]: r["mlflow_run_id"] for r in store.runs()} == logged  # the same MLflow runs
        mlflow = MlflowClient(tracking_uri=tracking_uri(ws))
        experiments = [e.experiment_id for e in mlflow.search_experiments() if e.name.startswith("feasibility-")]
        parents = mlflow.search_runs(experiments, "tags.`forecast.run_id` != ''")
        assert sorted(p.data.tags["forecast.run_id"] for p in parents) == sorted(logged)  # one each
        assert all("forecast.backfilled" not in p.data.tags for p in parents)  # never re-logged from the store
    finally:
        store.engine.dispose()
