"""`forecast refresh`: the unattended job — new data in, every plan re-run, change summary out."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from forecast.cli.common import store, workspace


def refresh(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(
        None,
        "--config",
        "-c",
        help="refresh.yaml: sources and settings (see `forecast schedule config`). Without it: re-run every plan.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Validate the sources and say what would happen; write and move nothing."
    ),
) -> None:
    """Pull new observations, store them as a new vintage, re-run every plan, report what changed.

    Exit codes: 0 complete or already up to date; 1 nothing done (bad configuration, store unreachable,
    unexpected error); 3 complete with problems (rejected file, failed source, plan or series,
    tracking); 75 another refresh is running (try later).
    """
    import traceback

    from forecast.ingest.importer import ImportFailed
    from forecast.refresh.config import ConfigError, load_config
    from forecast.refresh.job import EXIT_BUSY, EXIT_FAILED, RefreshBusy, run_refresh

    try:
        settings = load_config(config)
        outcome = run_refresh(workspace(ctx), store(ctx), settings, dry_run=dry_run)
    except RefreshBusy as exc:
        typer.secho(f"refresh not started: {exc}", fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(EXIT_BUSY)
    except (ConfigError, ImportFailed, LookupError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_FAILED)
    except Exception as exc:  # unattended: a message and a code a scheduler understands, detail below
        typer.secho(f"error: refresh failed: {type(exc).__name__}: {exc}", fg=typer.colors.RED, err=True)
        traceback.print_exc()
        raise typer.Exit(EXIT_FAILED)
    for line in outcome.lines:
        typer.echo(line)
    raise typer.Exit(outcome.exit_code)
