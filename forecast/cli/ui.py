"""`forecast ui`: the MLflow UI on the workspace's tracking store, and the address of a plan's latest
model comparison."""

from __future__ import annotations

from typing import Optional

import typer

from forecast.cli.common import workspace


def ui(
    ctx: typer.Context,
    port: int = typer.Option(5000, help="Port on 127.0.0.1."),
    plan: Optional[str] = typer.Option(
        None,
        "--plan",
        help="Print the address of this plan's latest model comparison (default: the latest of any plan).",
    ),
) -> None:
    """Open the MLflow UI on this workspace (localhost only); stops with this command (Ctrl-C, SIGTERM)."""
    from forecast import tracking

    ws = workspace(ctx)
    server = tracking.tracking_uri(ws) if tracking.is_server(ws) else None
    base = server or f"http://127.0.0.1:{port}"
    address = tracking.comparison_address(ws, base, plan)
    if address is None:
        typer.echo(f"no run of {'plan ' + plan if plan else 'any plan'} is logged yet; `forecast run` logs one")
    else:
        typer.echo(f"model comparison: {address}")
    if server is not None:  # a team server is already running: nothing to start
        typer.echo(f"tracking server: {server}")
        return
    typer.echo(f"MLflow UI: {base}  (stop with Ctrl-C)")
    raise typer.Exit(tracking.serve_ui(ws, port))
