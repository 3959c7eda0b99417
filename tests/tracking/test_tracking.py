"""What a run leaves in MLflow, on a real file-backed tracking store: the experiment says what kind it
is, the runs are named for a person, the parent carries the comparison, logging a run twice logs it
once, and no text reaches a spreadsheet as a formula."""

from __future__ import annotations

import csv
import json
import urllib.parse
from pathlib import Path

import pytest

from forecast import tracking
from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan, save_run
from forecast.schema import Plan
from forecast.store import Store
from forecast.tracking import client as tracking_client
from forecast.tracking.tables import CSV_FORMULA_STARTS
from forecast.workspace import Workspace
from tests.report.test_report_output import FORMULAS, hostile  # noqa: F401  (the fixture)

INDICATORS = """indicators:
  - {id: 'c:rate', name_zh: 合格率, unit: '%', direction: higher, lower: 0, upper: 100}
  - {id: 'c:pm', name_zh: PM2.5, unit: µg/m³, direction: lower, lower: 0}
"""


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """A two-model run of a small plan of 江油市 (2016–2020), logged to the workspace's store."""
    tmp = tmp_path_factory.mktemp("tracking")
    ws = Workspace(tmp / "ws").ensure()
    store = Store(ws.db_url)
    (tmp / "ind.yaml").write_text(INDICATORS, encoding="utf-8")
    rows = ["series_id,ds,y"] + [f"c:rate,{2004 + i},{80 + 0.9 * i + (0.4 if i % 3 else -0.5):.2f}" for i in range(13)]
    rows += [f"c:pm,{2004 + i},{75 - 2.1 * i + (1.5 if i % 2 else -1.0):.2f}" for i in range(13)]
    (tmp / "obs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(store, tmp / "obs.csv", tmp / "ind.yaml")
    store.save_plan(
        Plan(
            id="jy",
            title="江油市质量发展规划",
            region="江油市",
            period=(2016, 2020),
            targets=[
                {
                    "id": "t.rate",
                    "indicator": "合格率",
                    "comparator": ">=",
                    "value": 92,
                    "unit": "%",
                    "year": 2020,
                    "series_id": "c:rate",
                },
                {
                    "id": "t.pm",
                    "indicator": "PM2.5",
                    "comparator": "<=",
                    "value": 45,
                    "unit": "µg/m³",
                    "year": 2020,
                    "series_id": "c:pm",
                },
            ],
        )
    )
    result = run_plan(store, "jy", as_of="2016", models=["rw_drift", "theta"], n_paths=300)
    save_run(store, result)
    pid = tracking.log_run(ws, result)
    return ws, store, result, pid


def _client(ws):
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=tracking.tracking_uri(ws))


def _children(mlflow, parent):
    return mlflow.search_runs([parent.info.experiment_id], f"tags.mlflow.parentRunId = '{parent.info.run_id}'")


def test_tag_names_are_mlflows_own():
    """The experiment tags as the installed MLflow spells them: its Python constants, and the UI
    bundle that reads them (the experiment kind has no Python constant)."""
    import mlflow
    from mlflow.utils import mlflow_tags

    assert tracking_client.PRIMARY_METRIC_TAG == mlflow_tags.MLFLOW_EXPERIMENT_PRIMARY_METRIC_NAME
    assert tracking_client.PRIMARY_METRIC_GREATER_TAG == mlflow_tags.MLFLOW_EXPERIMENT_PRIMARY_METRIC_GREATER_IS_BETTER
    bundle = Path(mlflow.__file__).parent / "server" / "js" / "build" / "static" / "js"
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in bundle.glob("main.*.js"))
    for needle in (
        '"mlflow.experimentKind"',
        '"custom_model_development"',
        '"mlflow.sharedViewState."',
        '"viewStateShareKey"',
        '"workflowType"',
        '"machine_learning"',
    ):
        assert needle in text, needle


def test_experiment_opens_as_model_development_ranked_by_crps(logged):
    ws, _, _, pid = logged
    mlflow = _client(ws)
    experiment = mlflow.get_experiment(mlflow.get_run(pid).info.experiment_id)
    assert experiment.tags["mlflow.experimentKind"] == "custom_model_development"
    assert experiment.tags["mlflow.experiment.primaryMetric.name"] == "backtest_crps"
    assert experiment.tags["mlflow.experiment.primaryMetric.greaterIsBetter"] == "false"
    assert all("backtest_crps" in c.data.metrics for c in _children(mlflow, mlflow.get_run(pid)))


def test_runs_are_named_for_a_person_and_children_differ_by_params(logged):
    ws, _, _, pid = logged
    mlflow = _client(ws)
    parent = mlflow.get_run(pid)
    assert parent.info.run_name == "江油 2020 · as of 2016-12-31 · 2 models"
    children = {c.info.run_name: c for c in _children(mlflow, parent)}
    assert set(children) == {"rw_drift", "theta", "combined (calibrated)"}
    assert children["theta"].data.params["forecaster"] == "theta"
    assert children["combined (calibrated)"].data.params["members"] == "rw_drift,theta"
    assert {c.data.params["model"] for c in children.values()} == {"rw_drift", "theta", "combined"}


def test_parent_carries_the_comparison_chart_and_tables(logged, tmp_path):
    ws, _, result, pid = logged
    mlflow = _client(ws)
    names = {a.path for a in mlflow.list_artifacts(pid)}
    assert {"model_comparison.png", "model_comparison.csv", "model_comparison_by_series.csv"} <= names
    png = Path(mlflow.download_artifacts(pid, "model_comparison.png", str(tmp_path)))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    with open(mlflow.download_artifacts(pid, "model_comparison.csv", str(tmp_path)), encoding="utf-8") as f:
        table = {r["model"]: r for r in csv.DictReader(f)}
    pooled = result.settings["backtest"]["pooled"]
    assert set(table) == set(pooled) == {"rw_drift", "theta", "combined"}
    for model, skill in pooled.items():  # the numbers the report shows, not recomputed ones
        assert float(table[model]["crps"]) == pytest.approx(skill["crps"])
        assert int(float(table[model]["points"])) == skill["points"] > 0
    children = {c.data.params["model"]: c for c in _children(mlflow, mlflow.get_run(pid))}
    for model in pooled:  # ... and the same as the child runs' metrics
        assert children[model].data.metrics["backtest_crps"] == pytest.approx(pooled[model]["crps"])


def test_address_opens_the_saved_comparison_of_the_latest_run(logged):
    ws, _, _, pid = logged
    address = tracking.comparison_address(ws, "http://127.0.0.1:5000", "jy")
    assert address == tracking.comparison_address(ws, "http://127.0.0.1:5000")  # the only plan
    parsed = urllib.parse.urlparse(address)
    assert parsed.netloc == "127.0.0.1:5000" and parsed.fragment.startswith("/experiments/")
    query = urllib.parse.parse_qs(parsed.fragment.split("?", 1)[1])
    assert query["workflowType"] == ["machine_learning"]
    mlflow = _client(ws)
    experiment = mlflow.get_experiment(mlflow.get_run(pid).info.experiment_id)
    state = json.loads(experiment.tags["mlflow.sharedViewState." + query["viewStateShareKey"][0]])
    assert state["searchFilter"] == f"tags.mlflow.parentRunId = '{pid}'"
    assert state["orderByKey"] == "metrics.`backtest_crps`" and state["orderByAsc"] is True
    assert "metrics.`backtest_crps`" in state["selectedColumns"]
    assert len(mlflow.search_runs([experiment.experiment_id], state["searchFilter"])) == 3
    assert tracking.comparison_address(ws, "http://127.0.0.1:5000", "no-such-plan") is None


def test_a_run_logged_twice_is_one_mlflow_run(logged):
    """A kill -9 after MLflow took the run but before the store recorded its id: the next refresh
    back-fills it again. The run is found by its tag, not logged a second time."""
    ws, store, result, pid = logged
    run = store.run(result.run_id)
    again = tracking.log_stored_run(ws, run, store.assessments(result.run_id))
    assert again == pid
    assert tracking.log_run(ws, result) == pid
    mlflow = _client(ws)
    eid = mlflow.get_run(pid).info.experiment_id
    assert [r.info.run_id for r in mlflow.search_runs([eid], f"tags.`forecast.run_id` = '{result.run_id}'")] == [pid]
    assert len(_children(mlflow, mlflow.get_run(pid))) == 3


def test_backfill_twice_logs_once_and_replaces_a_half_logged_run(hostile, tmp_path):  # noqa: F811
    store, result, _ = hostile
    ws = Workspace(tmp_path / "ws").ensure()
    run, results = store.run(result.run_id), store.assessments(result.run_id)
    mlflow = _client(ws)
    # What a process killed while logging leaves: a parent still RUNNING, with one child.
    eid = tracking_client.experiment_id(mlflow, ws, run["plan_id"])
    half = mlflow.create_run(eid, tags={"forecast.run_id": run["id"], "forecast.plan": run["plan_id"]})
    half_child = mlflow.create_run(eid, tags={"mlflow.parentRunId": half.info.run_id})
    first = tracking.log_stored_run(ws, run, results)
    second = tracking.log_stored_run(ws, run, results)
    assert first == second != half.info.run_id
    parents = mlflow.search_runs([eid], "tags.`forecast.run_id` != ''")
    assert [r.info.run_id for r in parents] == [first] and mlflow.get_run(first).info.status == "FINISHED"
    for deleted in (half, half_child):  # the half-logged run and its child
        assert mlflow.get_run(deleted.info.run_id).info.lifecycle_stage == "deleted"
    # The back-filled run is compared like any other: its model runs carry the pooled skill it stored.
    children = {c.data.params["model"]: c for c in _children(mlflow, mlflow.get_run(first))}
    pooled = run["settings"]["backtest"]["pooled"]
    assert set(children) == set(pooled) == {"rw_drift", "combined"}
    for model, skill in pooled.items():
        assert children[model].data.metrics["backtest_crps"] == pytest.approx(skill["crps"])
        assert children[model].data.metrics["backtest_points"] == skill["points"]
    assert children["combined"].info.run_name == "combined (calibrated)"


def test_assessments_csv_holds_no_formula(hostile, tmp_path):  # noqa: F811
    """Text from a plan file (ids, a restatement, a model's failure message) at the start of a cell is
    written after a quote, as the workbook marks it: a spreadsheet shows it, never evaluates it."""
    import dataclasses

    _, result, _ = hostile
    evil = "=cmd|' /C calc'!A0"
    first, *rest = result.assessments
    first = dataclasses.replace(
        first,
        target_id=evil,
        series_id=FORMULAS[1],
        notes=[{"en": FORMULAS[3]}],
        by_model={"@model": "failed: " + FORMULAS[2]},
        conflicts=[{"target_id": FORMULAS[2], "comparator": ">=", "value": 1.0, "year": 2020}],
    )
    result = dataclasses.replace(result, assessments=[first, *rest])
    ws = Workspace(tmp_path / "ws").ensure()
    pid = tracking.log_run(ws, result)
    mlflow = _client(ws)
    for name in ("assessments.csv", "backtest_by_series.csv", "model_comparison.csv"):
        with open(mlflow.download_artifacts(pid, name, str(tmp_path)), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        cells = [c for row in rows for c in row]
        assert cells and not [c for c in cells if c.startswith(CSV_FORMULA_STARTS) and not _number(c)], name
        if name == "assessments.csv":
            row = dict(zip(rows[0], rows[1], strict=True))
            assert row["target_id"] == "'" + evil and row["series_id"] == "'" + FORMULAS[1]  # kept, as text
            assert row["notes"] == "'" + FORMULAS[3] and row["by_model"].startswith("'@model=failed")
            assert row["conflicts"] == "'" + FORMULAS[2] + ": >= 1 by 2020"
            assert row["threshold"] == "97.0"  # numbers stay numbers


def _number(cell: str) -> bool:
    """A negative number is a number, not a formula."""
    try:
        float(cell)
        return True
    except ValueError:
        return False


def test_a_server_refusing_the_ui_tags_still_takes_the_run(hostile, tmp_path, monkeypatch):  # noqa: F811
    """An older or stricter server that refuses an experiment tag: the run is logged all the same, and
    the address falls back to the compare page of the run's children."""
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    def refuse(self, experiment_id, key, value):
        raise MlflowException(f"unknown tag {key}")

    monkeypatch.setattr(MlflowClient, "set_experiment_tag", refuse)
    _, result, _ = hostile
    ws = Workspace(tmp_path / "ws").ensure()
    pid = tracking.log_run(ws, result)
    mlflow = _client(ws)
    assert mlflow.get_run(pid).info.status == "FINISHED"
    assert "mlflow.experimentKind" not in mlflow.get_experiment(mlflow.get_run(pid).info.experiment_id).tags
    address = tracking.comparison_address(ws, "http://127.0.0.1:5000", result.plan.id)
    fragment = urllib.parse.urlparse(address).fragment
    assert fragment.startswith("/compare-runs?")
    runs = json.loads(urllib.parse.parse_qs(fragment.split("?", 1)[1])["runs"][0])
    assert sorted(runs) == sorted(c.info.run_id for c in _children(mlflow, mlflow.get_run(pid)))


def test_forecast_ui_prints_the_comparison_address(logged, monkeypatch):
    """Through the real entry point; the server start is recorded, not made (tests/tracking/test_ui_*
    start it for real)."""
    from typer.testing import CliRunner

    from forecast.cli.main import app

    ws, _, _, _ = logged
    started = []
    monkeypatch.setattr(tracking, "serve_ui", lambda w, port: started.append((w.root, port)) or 0)
    out = CliRunner().invoke(app, ["--workspace", str(ws.root), "ui", "--plan", "jy", "--port", "5999"])
    assert out.exit_code == 0, out.output
    assert f"model comparison: {tracking.comparison_address(ws, 'http://127.0.0.1:5999', 'jy')}\n" in out.output
    assert "viewStateShareKey=" in out.output and started == [(ws.root, 5999)]
    out = CliRunner().invoke(app, ["--workspace", str(ws.root), "ui", "--plan", "elsewhere"])
    assert out.exit_code == 0 and "no run of plan elsewhere is logged yet" in out.output


def test_a_run_logs_the_back_test_skill_of_its_own_series_only(logged, tmp_path):
    """The pooled back-tests cover the whole store; each plan's run logs its own series' rows (a
    province's 200 plans each logged all 20,000 series before)."""
    import dataclasses

    _, _, result, _ = logged
    one = dataclasses.replace(result, run_id=result.run_id + "-rate", series={"c:rate": result.series["c:rate"]})
    ws = Workspace(tmp_path / "ws").ensure()
    pid = tracking.log_run(ws, one)
    with open(_client(ws).download_artifacts(pid, "backtest_by_series.csv", str(tmp_path)), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["series_id"] for r in rows} == {"c:rate"}
    assert {r["model"] for r in rows} == {"rw_drift", "theta", "combined"}
