"""What an analyst sees first in the MLflow UI: run names a person reads, and a saved view of each
run's model comparison (the child runs, best back-test CRPS first, the comparison columns shown) with
the address that opens it.

The view is MLflow's own "shared view": the runs page's state as JSON in the experiment tag
`mlflow.sharedViewState.<key>`, opened by `?viewStateShareKey=<key>`. A server or UI that does not
know it keeps working (the tag is an ordinary tag); the address then falls back to the compare page
of the run's children.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Optional

from forecast.tracking.client import PRIMARY_METRIC, client, experiment_name, set_experiment_tags
from forecast.tracking.tables import COMBINED, COMBINED_LABEL
from forecast.workspace import Workspace

SHARED_VIEW_TAG = "mlflow.sharedViewState."
RUN_ID_TAG = "forecast.run_id"  # on the parent run only: how a run is found again (idempotent logging)
VIEW_TAG = "forecast.view"  # on the parent run: the key of its comparison view
COLUMNS = (
    "params.`forecaster`",
    *(
        f"metrics.`{m}`"
        for m in (
            PRIMARY_METRIC,
            "backtest_smape",
            "backtest_coverage80",
            "backtest_coverage95",
            "backtest_points",
            "series_fitted",
            "series_failed",
        )
    ),
)
ML_VIEW = "workflowType=machine_learning"  # the UI's model-training view, whatever the browser chose last


def plan_label(plan) -> str:
    """`江油 2020`: the region without its administrative suffix (or the title, or the id) and the
    plan's last year."""
    region = re.sub(r"(?<=..)[市县区省]$", "", (plan.region or "").strip())
    name = (region or (plan.title or "").strip() or plan.id)[:60]
    years = [int(t.year) for t in plan.targets if t.year is not None]
    end = plan.period[1] if plan.period else (max(years) if years else None)
    return f"{name} {end}" if end else name


def parent_name(label: str, as_of: Optional[str], n_models: int) -> str:
    """`江油 2020 · as of 2016-12-31 · 3 models`."""
    return f"{label} · {'as of ' + as_of if as_of else 'latest data'} · {n_models} model{'s' * (n_models != 1)}"


def child_name(model: str) -> str:
    return COMBINED_LABEL if model == COMBINED else model


def view_key(run_id: str) -> str:
    return "forecast-" + re.sub(r"[^A-Za-z0-9_-]", "_", run_id)


def save_view(mlflow, eid: str, key: str, parent_id: str) -> bool:
    """The comparison of one parent run's children as a shared view of its experiment."""
    state = {
        "searchFilter": f"tags.mlflow.parentRunId = '{parent_id}'",
        "orderByKey": f"metrics.`{PRIMARY_METRIC}`",
        "orderByAsc": True,
        "startTime": "ALL",
        "lifecycleFilter": "Active",
        "modelVersionFilter": "All Runs",
        "datasetsFilter": [],
        "selectedColumns": list(COLUMNS),
        "columnOrder": list(COLUMNS),
        "columnWidths": {c: 130 for c in COLUMNS},
        "runsHiddenMode": "SHOW_ALL",
        "groupBy": None,
    }
    return set_experiment_tags(mlflow, eid, {SHARED_VIEW_TAG + key: json.dumps(state)})


def comparison_address(ws: Workspace, base_url: str, plan_id: Optional[str] = None) -> Optional[str]:
    """The address of the latest model comparison (of `plan_id`, or of any plan), or None when no run
    has been logged. `base_url`: where the UI listens, e.g. http://127.0.0.1:5000."""
    mlflow = client(ws)
    if plan_id is not None:
        found = mlflow.get_experiment_by_name(experiment_name(plan_id))
        experiments = [found] if found is not None else []
    else:
        experiments = [e for e in mlflow.search_experiments() if e.name.startswith(experiment_name(""))]
    if not experiments:
        return None
    latest = mlflow.search_runs(
        [e.experiment_id for e in experiments],
        f"tags.`{RUN_ID_TAG}` != ''",
        order_by=["attributes.start_time DESC"],
        max_results=1,
    )
    if not latest:
        return None
    parent = latest[0]
    eid, base = parent.info.experiment_id, base_url.rstrip("/")
    tags = next(e for e in experiments if e.experiment_id == eid).tags
    key = parent.data.tags.get(VIEW_TAG)
    if key and SHARED_VIEW_TAG + key in tags:
        return f"{base}/#/experiments/{eid}/runs?viewStateShareKey={key}&{ML_VIEW}"
    children = mlflow.search_runs([eid], f"tags.mlflow.parentRunId = '{parent.info.run_id}'")
    runs = urllib.parse.quote(json.dumps([c.info.run_id for c in children]))
    return f"{base}/#/compare-runs?runs={runs}&experiments={urllib.parse.quote(json.dumps([eid]))}&{ML_VIEW}"
