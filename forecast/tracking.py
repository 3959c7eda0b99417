"""The only module that talks to MLflow.

One parent run per `forecast run`, one nested run per candidate model; aggregate numbers as
metrics, per-target detail as table artifacts. The tracking store is a SQLite file in the workspace
unless MLFLOW_TRACKING_URI names a team server.
"""
from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from forecast.workspace import Workspace


def tracking_uri(ws: Workspace) -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{ws.mlflow_db}"


def _client(ws: Workspace):
    from mlflow.tracking import MlflowClient

    ws.ensure()
    return MlflowClient(tracking_uri=tracking_uri(ws))


def _experiment_id(client, ws: Workspace, name: str) -> str:
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = None if os.environ.get("MLFLOW_TRACKING_URI") else ws.mlflow_artifacts.as_uri()
    return client.create_experiment(name, artifact_location=location)


def log_run(ws: Workspace, result, artifacts: Iterable[Path] = ()) -> str:
    """Log a RunResult; returns the MLflow run id of the parent run."""
    client = _client(ws)
    settings = result.settings
    with _parent_run(client, ws, result.plan.id, result.run_id, settings, result.data_hash) as (experiment, pid):
        for k, v in summary_metrics([a.to_dict() for a in result.assessments]).items():
            client.log_metric(pid, k, v)
        for step, factor in result.evidence.mixture.factors.items():
            client.log_metric(pid, f"calibration_factor_{step}y", factor)
        skill = _backtest_skill(result.evidence.table)
        for name in [*settings["models"], "combined"]:
            _log_model_run(client, experiment, pid, name, result, skill.get(name, {}))
        with tempfile.TemporaryDirectory() as tmp:
            table = Path(tmp) / "assessments.csv"
            assessments_frame(result.assessments).to_csv(table, index=False)
            client.log_artifact(pid, str(table))
            if len(result.evidence.table):
                from forecast.evaluation.metrics import score

                per_series = Path(tmp) / "backtest_by_series.csv"
                score(result.evidence.table, by=["series_id", "model"]).to_csv(per_series, index=False)
                client.log_artifact(pid, str(per_series))
            if len(result.evidence_failures):  # a model that failed at a back-test origin, per series
                failures = Path(tmp) / "backtest_failures.csv"
                result.evidence_failures.to_csv(failures, index=False)
                client.log_artifact(pid, str(failures))
        _log_reports(client, pid, artifacts)
    return pid


@contextmanager
def fail_fast() -> Iterator[None]:
    """Few HTTP retries while the block runs: an unattended job reports a lost server instead of
    spending minutes in the client's back-off. Explicit settings in the environment win, and the
    environment is as it was afterwards (MLflow reads these variables at each request)."""
    added = {k: v for k, v in (("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1"), ("MLFLOW_HTTP_REQUEST_TIMEOUT", "30"))
             if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def unreachable(ws: Workspace, timeout: float = 5.0) -> Optional[str]:
    """Why the tracking server cannot be reached, or None. Only a server URI (http[s]) is probed:
    a refresh asks before logging, so a down server costs seconds, not the client's long retries."""
    uri = tracking_uri(ws)
    if not uri.startswith(("http://", "https://")):
        return None
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=timeout) as response:
            return None if response.status == 200 else f"{uri} answered {response.status}"
    except (urllib.error.URLError, OSError) as exc:
        return f"tracking server {uri} unreachable: {getattr(exc, 'reason', exc)}"


def log_stored_run(ws: Workspace, run: dict, results: list[dict], artifacts: Iterable[Path] = ()) -> str:
    """Log a run from what the store keeps (settings, assessments, reports): how a refresh back-fills
    runs that could not be logged when they were made. Back-test detail is not stored, so it is absent."""
    client = _client(ws)
    with _parent_run(client, ws, run["plan_id"], run["id"], run["settings"], run["data_hash"],
                     {"forecast.backfilled": "true"}) as (_, pid):
        for k, v in summary_metrics(results).items():
            client.log_metric(pid, k, v)
        client.log_dict(pid, results, "assessments.json")
        _log_reports(client, pid, artifacts)
    return pid


def _backtest_skill(table) -> dict[str, dict[str, float]]:
    """Pooled back-test metrics per model: what the MLflow UI compares side by side."""
    if not len(table):
        return {}
    from forecast.evaluation.metrics import score

    scores = score(table, by=["model"]).set_index("model")
    points = table.groupby("model").size()
    return {m: {**{f"backtest_{k}": float(v) for k, v in row.items() if v == v}, "backtest_points": float(points[m])}
            for m, row in scores.iterrows()}


def _log_model_run(client, experiment: str, parent_id: str, name: str, result, skill: dict) -> None:
    child = client.create_run(experiment, run_name=name, tags={"mlflow.parentRunId": parent_id,
                                                               "forecast.model": name})
    cid = child.info.run_id
    client.log_param(cid, "model", name)
    for k, v in skill.items():
        client.log_metric(cid, k, v)
    if name == "combined":
        fitted = sum(1 for s in result.series.values() if s.combined is not None)
        probs = [a.probability for a in result.assessments if a.probability is not None]
    else:
        fitted = sum(1 for s in result.series.values() if name in s.paths)
        probs = [a.by_model[name] for a in result.assessments if isinstance(a.by_model.get(name), float)]
    failed = sum(1 for s in result.series.values() if name in s.failures)
    client.log_metric(cid, "series_fitted", fitted)
    client.log_metric(cid, "series_failed", failed)
    if probs:
        client.log_metric(cid, "mean_probability", sum(probs) / len(probs))
    failures = {sid: s.failures[name] for sid, s in result.series.items() if name in s.failures}
    if failures:
        client.log_dict(cid, failures, "failures.json")
    client.set_terminated(cid, "FINISHED")


@contextmanager
def _parent_run(client, ws: Workspace, plan_id: str, run_id: str, settings: dict, data_hash: str,
                tags: Optional[dict] = None) -> Iterator[tuple[str, str]]:
    """The parent MLflow run of one feasibility run, with its parameters: yields (experiment id, run id)
    and ends the run FINISHED, or FAILED when the block raises."""
    experiment = _experiment_id(client, ws, f"feasibility-{plan_id}")
    parent = client.create_run(experiment, run_name=f"{plan_id} as of {settings['as_of'] or 'latest'}",
                               tags={"forecast.run_id": run_id, "forecast.plan": plan_id, **(tags or {})})
    params = {"plan": plan_id, "as_of": settings["as_of"] or "latest", "models": ",".join(settings["models"]),
              "n_paths": settings["n_paths"], "seed": settings["seed"], "data_hash": data_hash, "run_id": run_id}
    try:
        for k, v in params.items():
            client.log_param(parent.info.run_id, k, v)
        yield experiment, parent.info.run_id
    except BaseException:
        client.set_terminated(parent.info.run_id, "FAILED")
        raise
    client.set_terminated(parent.info.run_id, "FINISHED")


def _log_reports(client, pid: str, artifacts: Iterable[Path]) -> None:
    for path in map(Path, artifacts):
        if path.is_dir():
            client.log_artifacts(pid, str(path), artifact_path=f"report/{path.name}")
        else:
            client.log_artifact(pid, str(path), artifact_path="report")


def summary_metrics(assessments: list[dict]) -> dict[str, float]:
    """Counts per status and likelihood band, and the mean probability, from stored assessments."""
    probs = [a["probability"] for a in assessments if a.get("probability") is not None]
    out: dict[str, float] = {"targets": len(assessments), "assessed": len(probs)}
    out |= {f"status_{k}": v for k, v in Counter(a["status"] for a in assessments).items()}
    out |= {f"band_{k}": v for k, v in Counter(a["band"] for a in assessments if a.get("band")).items()}
    if probs:
        out["mean_probability"] = sum(probs) / len(probs)
    return out


def assessments_frame(assessments):
    import pandas as pd

    from forecast.report import wording
    from forecast.targets.feasibility.restatements import statement_text

    rows = []
    for a in assessments:
        d = a.to_dict()
        d["interval80"] = _pair(d["interval80"])
        d["interval95"] = _pair(d["interval95"])
        d["official_category"] = d.pop("official").get("category")
        d["by_model"] = "; ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in d["by_model"].items())
        d["message"] = wording.message(d, "en")  # the analysts' table is English
        d.pop("params")
        d["time_progress"] = d.pop("progress").get("category")
        d["notes"] = "; ".join(wording.note(n, "en") for n in d["notes"])
        d["warnings"] = "; ".join(wording.note(n, "en") for n in d["warnings"])
        d["conflicts"] = "; ".join(statement_text(c) for c in d["conflicts"])
        rows.append(d)
    return pd.DataFrame(rows)


def _pair(p: Optional[tuple]) -> Optional[str]:
    return None if p is None else f"{p[0]:.4g} – {p[1]:.4g}"


def find_run(ws: Workspace, mlflow_run_id: str):
    """The MLflow run as stored (for tests and `forecast run` output)."""
    return _client(ws).get_run(mlflow_run_id)


def serve_ui(ws: Workspace, port: int = 5000) -> None:
    """Start the MLflow UI on the workspace store, bound to localhost only."""
    import subprocess
    import sys

    ws.ensure()
    cmd = [sys.executable, "-m", "mlflow", "ui", "--backend-store-uri", tracking_uri(ws),
           "--default-artifact-root", ws.mlflow_artifacts.as_uri(), "--host", "127.0.0.1", "--port", str(port)]
    subprocess.run(cmd, check=False)
