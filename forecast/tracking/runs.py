"""Runs: one parent run per `forecast run`, one nested run per candidate model and one for the
calibrated combination; aggregate numbers as metrics, per-target and per-series detail as table
artifacts, the model comparison as a chart and table on the parent.

Logging is idempotent: a run is looked up by its `forecast.run_id` tag before it is created, so a
process killed between logging and recording the MLflow id (or a refresh repeated) never logs the
same run twice. A parent found unfinished (killed while logging) is deleted and logged afresh.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from forecast.tracking import tables, views
from forecast.tracking.client import client, experiment_id
from forecast.workspace import Workspace

log = logging.getLogger(__name__)


def log_run(ws: Workspace, result, artifacts: Iterable[Path] = ()) -> str:
    """Log a RunResult; returns the MLflow run id of the parent run (the existing one when the run
    was logged before)."""
    mlflow = client(ws)
    eid = experiment_id(mlflow, ws, result.plan.id)
    if (logged := _logged_before(mlflow, eid, result.run_id)) is not None:
        return logged
    settings, label = result.settings, views.plan_label(result.plan)
    with _parent_run(mlflow, eid, result.plan.id, label, result.run_id, settings, result.data_hash) as pid:
        for k, v in tables.summary_metrics([a.to_dict() for a in result.assessments]).items():
            mlflow.log_metric(pid, k, v)
        for step, factor in result.evidence.mixture.factors.items():
            mlflow.log_metric(pid, f"calibration_factor_{step}y", factor)
        skill = _backtest_skill(result.evidence)
        for name in [*settings["models"], tables.COMBINED]:
            _log_model_run(mlflow, eid, pid, name, result, skill.get(name, {}))
        with tempfile.TemporaryDirectory() as tmp:
            mlflow.log_artifact(
                pid, str(tables.write_csv(tables.assessments_frame(result.assessments), Path(tmp) / "assessments.csv"))
            )
            if len(result.evidence.table):  # the plan's own series: the store's are every plan's
                per_series = result.evidence.score(["series_id", "model"]).drop(columns="points")
                per_series = per_series[per_series["series_id"].isin(list(result.series))]
                mlflow.log_artifact(pid, str(tables.write_csv(per_series, Path(tmp) / "backtest_by_series.csv")))
            if len(result.evidence_failures):  # a model that failed at a back-test origin, per series
                failures = tables.write_csv(result.evidence_failures, Path(tmp) / "backtest_failures.csv")
                mlflow.log_artifact(pid, str(failures))
        _log_comparison(mlflow, eid, pid, result.run_id, settings, label)
        _log_reports(mlflow, pid, artifacts)
    return pid


def log_stored_run(ws: Workspace, run: dict, results: list[dict], artifacts: Iterable[Path] = (), plan=None) -> str:
    """Log a run from what the store keeps (settings, assessments, reports): how a refresh back-fills
    runs that could not be logged when they were made. The back-test table is not stored; the child
    runs carry the pooled skill the settings keep (no fit counts). `plan` names the run."""
    mlflow = client(ws)
    eid = experiment_id(mlflow, ws, run["plan_id"])
    if (logged := _logged_before(mlflow, eid, run["id"])) is not None:
        return logged
    label = views.plan_label(plan) if plan is not None else run["plan_id"]
    with _parent_run(
        mlflow,
        eid,
        run["plan_id"],
        label,
        run["id"],
        run["settings"],
        run["data_hash"],
        {"forecast.backfilled": "true"},
    ) as pid:
        for k, v in tables.summary_metrics(results).items():
            mlflow.log_metric(pid, k, v)
        mlflow.log_dict(pid, results, "assessments.json")
        _log_stored_model_runs(mlflow, eid, pid, run["settings"])
        _log_comparison(mlflow, eid, pid, run["id"], run["settings"], label)
        _log_reports(mlflow, pid, artifacts)
    return pid


def find_run(ws: Workspace, mlflow_run_id: str):
    """The MLflow run as stored (for tests and `forecast run` output)."""
    return client(ws).get_run(mlflow_run_id)


def parents_of(mlflow, eid: str, run_id: str) -> list:
    """The parent runs logged for one feasibility run (none or one, unless deleted ones are asked for)."""
    return mlflow.search_runs([eid], f"tags.`{views.RUN_ID_TAG}` = '{run_id}'")


def _logged_before(mlflow, eid: str, run_id: str) -> Optional[str]:
    """The finished parent run of `run_id`, if any; an unfinished one (killed while logging) is deleted."""
    for found in parents_of(mlflow, eid, run_id):
        if found.info.status == "FINISHED":
            return found.info.run_id
        for child in mlflow.search_runs([eid], f"tags.mlflow.parentRunId = '{found.info.run_id}'"):
            mlflow.delete_run(child.info.run_id)
        mlflow.delete_run(found.info.run_id)
        log.info("deleted the unfinished MLflow run %s of run %s; logging it again", found.info.run_id, run_id)
    return None


@contextmanager
def _parent_run(
    mlflow, eid: str, plan_id: str, label: str, run_id: str, settings: dict, data_hash: str, tags: Optional[dict] = None
) -> Iterator[str]:
    """The parent MLflow run of one feasibility run, with its parameters: yields its id and ends the
    run FINISHED, or FAILED when the block raises."""
    name = views.parent_name(label, settings["as_of"], len(settings["models"]))
    parent = mlflow.create_run(
        eid, run_name=name, tags={views.RUN_ID_TAG: run_id, "forecast.plan": plan_id, **(tags or {})}
    )
    pid = parent.info.run_id
    params = {
        "plan": plan_id,
        "as_of": settings["as_of"] or "latest",
        "models": ",".join(settings["models"]),
        "n_paths": settings["n_paths"],
        "seed": settings["seed"],
        "data_hash": data_hash,
        "run_id": run_id,
    }
    try:
        for k, v in params.items():
            mlflow.log_param(pid, k, v)
        yield pid
    except BaseException:
        mlflow.set_terminated(pid, "FAILED")
        raise
    mlflow.set_terminated(pid, "FINISHED")


def _backtest_skill(ensemble) -> dict[str, dict[str, float]]:
    """Pooled back-test metrics per model: what the MLflow UI compares side by side."""
    if not len(ensemble.table):
        return {}
    scores = ensemble.score(["model"]).set_index("model")
    return {
        m: {
            **{f"backtest_{k}": float(v) for k, v in row.drop("points").items() if v == v},
            "backtest_points": float(row["points"]),
        }
        for m, row in scores.iterrows()
    }


def _model_params(name: str, settings: dict) -> dict:
    """What differs between the child runs: the candidate, the model it builds and its settings; for
    the combination, its members and how it is made."""
    if name == tables.COMBINED:
        return {
            "model": name,
            "forecaster": "weighted mixture, calibrated spread",
            "members": ",".join(settings["models"]),
            "weights": "back-test CRPS, pooled and per series",
        }
    spec = (settings.get("candidates") or {}).get(name) or {}
    return {
        "model": name,
        "forecaster": spec.get("model", name),
        **{k: v for k, v in (spec.get("params") or {}).items() if k not in ("model", "forecaster")},
    }


def _log_model_run(mlflow, eid: str, parent_id: str, name: str, result, skill: dict) -> None:
    child = mlflow.create_run(
        eid, run_name=views.child_name(name), tags={"mlflow.parentRunId": parent_id, "forecast.model": name}
    )
    cid = child.info.run_id
    for k, v in _model_params(name, result.settings).items():
        mlflow.log_param(cid, k, v)
    for k, v in skill.items():
        mlflow.log_metric(cid, k, v)
    if name == tables.COMBINED:
        fitted = sum(1 for s in result.series.values() if s.combined is not None)
        probs = [a.probability for a in result.assessments if a.probability is not None]
    else:
        fitted = sum(1 for s in result.series.values() if name in s.paths)
        probs = [a.by_model[name] for a in result.assessments if isinstance(a.by_model.get(name), float)]
    failed = sum(1 for s in result.series.values() if name in s.failures)
    mlflow.log_metric(cid, "series_fitted", fitted)
    mlflow.log_metric(cid, "series_failed", failed)
    if probs:
        mlflow.log_metric(cid, "mean_probability", sum(probs) / len(probs))
    failures = {sid: s.failures[name] for sid, s in result.series.items() if name in s.failures}
    if failures:
        mlflow.log_dict(cid, failures, "failures.json")
    mlflow.set_terminated(cid, "FINISHED")


def _log_stored_model_runs(mlflow, eid: str, parent_id: str, settings: dict) -> None:
    """Child runs of a back-filled run, from the pooled back-test skill kept in its settings."""
    for row in tables.comparison_rows(settings.get("backtest") or {}):
        child = mlflow.create_run(
            eid,
            run_name=views.child_name(row["model"]),
            tags={"mlflow.parentRunId": parent_id, "forecast.model": row["model"]},
        )
        for k, v in _model_params(row["model"], settings).items():
            mlflow.log_param(child.info.run_id, k, v)
        for k in ("crps", "smape", "coverage80", "coverage95", "points"):
            if row[k] is not None and row[k] == row[k]:
                mlflow.log_metric(child.info.run_id, f"backtest_{k}", float(row[k]))
        mlflow.set_terminated(child.info.run_id, "FINISHED")


def _log_comparison(mlflow, eid: str, pid: str, run_id: str, settings: dict, label: str) -> None:
    """On the parent: the comparison chart and tables (by model, by series and model), and the saved
    view of its children that `forecast ui` opens."""
    import pandas as pd

    from forecast.tracking.chart import comparison_png

    rows = tables.comparison_rows(settings.get("backtest") or {})
    if rows:
        with tempfile.TemporaryDirectory() as tmp:
            chart = Path(tmp) / "model_comparison.png"
            title = views.parent_name(label, settings["as_of"], len(settings["models"]))
            chart.write_bytes(comparison_png(rows, f"{title}: back-test skill by model, pooled over series"))
            mlflow.log_artifact(pid, str(chart))
            mlflow.log_artifact(pid, str(tables.write_csv(pd.DataFrame(rows), Path(tmp) / "model_comparison.csv")))
            by_series = tables.series_rows(settings.get("backtest") or {})
            if by_series:
                mlflow.log_artifact(
                    pid, str(tables.write_csv(pd.DataFrame(by_series), Path(tmp) / "model_comparison_by_series.csv"))
                )
    key = views.view_key(run_id)
    if views.save_view(mlflow, eid, key, pid):
        mlflow.set_tag(pid, views.VIEW_TAG, key)


def _log_reports(mlflow, pid: str, artifacts: Iterable[Path]) -> None:
    for path in map(Path, artifacts):
        if path.is_dir():
            mlflow.log_artifacts(pid, str(path), artifact_path=f"report/{path.name}")
        else:
            mlflow.log_artifact(pid, str(path), artifact_path="report")
