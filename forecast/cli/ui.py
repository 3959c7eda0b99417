"""`forecast ui`: the MLflow UI on the workspace's tracking store."""
from __future__ import annotations

import typer

from forecast.cli.common import workspace


def ui(ctx: typer.Context, port: int = typer.Option(5000, help="Port on 127.0.0.1.")) -> None:
    """Open the MLflow UI on this workspace (localhost only)."""
    from forecast.tracking import serve_ui

    serve_ui(workspace(ctx), port)
