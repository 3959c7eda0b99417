"""The only package that talks to MLflow: experiments and their UI tags (client), runs (runs),
their tables and comparison chart (tables, chart), what the UI opens on (views) and the UI server
(server). MLflow itself is imported inside functions, so importing this package is cheap."""

from forecast.tracking.client import fail_fast, is_server, tracking_uri, unreachable
from forecast.tracking.runs import find_run, log_run, log_stored_run
from forecast.tracking.server import serve_ui
from forecast.tracking.tables import assessments_frame, summary_metrics
from forecast.tracking.views import comparison_address

__all__ = [
    "assessments_frame",
    "comparison_address",
    "fail_fast",
    "find_run",
    "is_server",
    "log_run",
    "log_stored_run",
    "serve_ui",
    "summary_metrics",
    "tracking_uri",
    "unreachable",
]
