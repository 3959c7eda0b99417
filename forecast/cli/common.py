"""What every command shares: the workspace from the root options, and error printing."""

from __future__ import annotations

import typer


def workspace(ctx: typer.Context):
    from forecast.workspace import Workspace

    return Workspace.resolve(ctx.find_root().params.get("workspace")).ensure()


def store(ctx: typer.Context):
    from forecast.store import Store

    return Store(workspace(ctx).db_url)


def fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)
