"""`forecast demo`: build a workspace from the bundled data and run every demo plan."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from forecast.cli.common import fail, store, workspace


def demo(
    ctx: typer.Context,
    data_dir: Path = typer.Option(Path("data"), "--data", help="The bundled data folder."),
    lang: str = typer.Option("zh", help="Report language: zh or en."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, help="Local worker processes (default: all cores)."
    ),
    progress: Optional[bool] = typer.Option(
        None, "--progress/--no-progress", help="Progress bar on standard error (default: on a terminal)."
    ),
) -> None:
    """Import data/ and run the demo plans (real targets, replayed as of years before their deadlines)."""
    from forecast.cli.progress import progress_bar, wanted
    from forecast.engine import LocalEngine
    from forecast.jobs.demo import run_demo

    try:
        with progress_bar(wanted(progress)) as tell:
            for line in run_demo(
                workspace(ctx), store(ctx), data_dir, lang=lang, progress=tell, engine=LocalEngine(jobs)
            ):
                typer.echo(line)
    except FileNotFoundError as exc:
        fail(str(exc))
