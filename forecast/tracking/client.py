"""The tracking store and its experiments: where runs go, and the tags that tell the MLflow UI what
kind of experiment it shows.

The store is a SQLite file in the workspace unless MLFLOW_TRACKING_URI names a team server.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Optional

from forecast.workspace import Workspace

log = logging.getLogger(__name__)

# MLflow's own experiment tags (checked against the installed MLflow by the tests): the kind makes the
# UI open in its model-training view, not the GenAI overview; the primary metric is the one that
# decides the combination's weights, and lower is better.
EXPERIMENT_KIND_TAG = "mlflow.experimentKind"
MODEL_DEVELOPMENT = "custom_model_development"
PRIMARY_METRIC_TAG = "mlflow.experiment.primaryMetric.name"
PRIMARY_METRIC_GREATER_TAG = "mlflow.experiment.primaryMetric.greaterIsBetter"
PRIMARY_METRIC = "backtest_crps"
EXPERIMENT_TAGS = {
    EXPERIMENT_KIND_TAG: MODEL_DEVELOPMENT,
    PRIMARY_METRIC_TAG: PRIMARY_METRIC,
    PRIMARY_METRIC_GREATER_TAG: "false",
}


def tracking_uri(ws: Workspace) -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{ws.mlflow_db}"


def is_server(ws: Workspace) -> bool:
    return tracking_uri(ws).startswith(("http://", "https://"))


def client(ws: Workspace):
    from mlflow.tracking import MlflowClient

    ws.ensure()
    return MlflowClient(tracking_uri=tracking_uri(ws))


def experiment_name(plan_id: str) -> str:
    return f"feasibility-{plan_id}"


def experiment_id(mlflow, ws: Workspace, plan_id: str) -> str:
    """The plan's experiment, created when missing; an experiment made before the UI tags existed
    gets them now."""
    found = mlflow.get_experiment_by_name(experiment_name(plan_id))
    if found is None:
        location = None if is_server(ws) else ws.mlflow_artifacts.as_uri()
        eid = mlflow.create_experiment(experiment_name(plan_id), artifact_location=location)
        tags: dict = {}
    else:
        eid, tags = found.experiment_id, found.tags
    set_experiment_tags(mlflow, eid, {k: v for k, v in EXPERIMENT_TAGS.items() if tags.get(k) != v})
    return eid


def set_experiment_tags(mlflow, eid: str, tags: dict) -> bool:
    """Tags that only help the UI: a server that refuses one (an older or stricter one) costs the
    run nothing, it is said in the log. True when every tag was set."""
    from mlflow.exceptions import MlflowException

    for key, value in tags.items():
        try:
            mlflow.set_experiment_tag(eid, key, value)
        except MlflowException as exc:
            log.warning("tracking server refused experiment tag %s: %s", key, str(exc)[:200])
            return False
    return True


@contextmanager
def fail_fast() -> Iterator[None]:
    """Few HTTP retries while the block runs: an unattended job reports a lost server instead of
    spending minutes in the client's back-off. Explicit settings in the environment win, and the
    environment is as it was afterwards (MLflow reads these variables at each request)."""
    added = {
        k: v
        for k, v in (("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1"), ("MLFLOW_HTTP_REQUEST_TIMEOUT", "30"))
        if k not in os.environ
    }
    os.environ.update(added)
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def unreachable(ws: Workspace, timeout: float = 5.0) -> Optional[str]:
    """Why the tracking server cannot be reached, or None. Only a server URI (http[s]) is probed:
    a refresh asks before logging, so a down server costs seconds, not the client's long retries."""
    if not is_server(ws):
        return None
    import urllib.error
    import urllib.request

    uri = tracking_uri(ws)
    try:
        with urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=timeout) as response:
            return None if response.status == 200 else f"{uri} answered {response.status}"
    except (urllib.error.URLError, OSError) as exc:
        return f"tracking server {uri} unreachable: {getattr(exc, 'reason', exc)}"
