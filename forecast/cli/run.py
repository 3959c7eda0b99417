"""`forecast run PLAN`: assess every target, store it, log it to MLflow, write the report."""

from __future__ import annotations

from typing import Optional

import typer

from forecast import defaults
from forecast.cli.common import fail, store, workspace


def run(
    ctx: typer.Context,
    plan_id: str = typer.Argument(..., help="Plan id (see `forecast plan list`)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Use only data known by then: 2015, 2015-06 or a date."),
    models: Optional[str] = typer.Option(None, help="Comma-separated candidates (default: the catalogue's)."),
    paths: int = typer.Option(defaults.N_PATHS, min=100, help="Simulated paths per model."),
    seed: int = typer.Option(defaults.SEED, help="Random seed: same seed, same data, same numbers."),
    lang: str = typer.Option("zh", help="Report language: zh or en."),
    track: bool = typer.Option(True, help="Log the run to MLflow."),
    engine: str = typer.Option("local", help="Where the per-series work runs: local, spark or dask."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, help="Local worker processes (default: all cores)."
    ),
    spark_master: Optional[str] = typer.Option(
        None, help="Spark master URL for --engine spark (default: $SPARK_MASTER, else local[*])."
    ),
    dask_scheduler: Optional[str] = typer.Option(
        None, help="Dask scheduler address for --engine dask (default: $DASK_SCHEDULER_ADDRESS, else a local cluster)."
    ),
    progress: Optional[bool] = typer.Option(
        None, "--progress/--no-progress", help="Progress bar on standard error (default: on a terminal)."
    ),
) -> None:
    """Assess every target of a plan and write its feasibility report."""
    from functools import partial

    from forecast.cli.progress import progress_bar, wanted
    from forecast.engine import engine_for
    from forecast.jobs.assess_plan import run_and_report

    try:
        with engine_for(engine, jobs, spark_master, dask_scheduler) as chosen, progress_bar(wanted(progress)) as tell:
            outcome = run_and_report(
                workspace(ctx),
                store(ctx),
                plan_id,
                as_of=as_of,
                models=[m.strip() for m in models.split(",") if m.strip()] if models else None,
                n_paths=paths,
                seed=seed,
                lang=lang,
                track=track,
                progress=partial(tell, plan_id) if tell else None,
                engine=chosen,
            )
    except (LookupError, ValueError) as exc:
        fail(str(exc))
    typer.echo(outcome.summary())
