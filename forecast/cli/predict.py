"""`forecast predict`: probabilistic forecasts for every series of a long CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from forecast.cli.common import fail


def predict(
    series_file: Path = typer.Argument(..., help="Long CSV: series_id, ds, y."),
    horizon: int = typer.Option(..., "--horizon", "-h", min=1, help="Steps ahead."),
    out: Path = typer.Option(..., "--out", "-o", help="Forecast CSV to write (errors go beside it)."),
    freq: str = typer.Option("Y", help="Y, Q, M or D."),
    lower: Optional[float] = typer.Option(None, help="Lower bound of the values (e.g. 0)."),
    upper: Optional[float] = typer.Option(None, help="Upper bound of the values (e.g. 100)."),
    quantiles: Optional[str] = typer.Option(
        None,
        help="Comma-separated levels, e.g. 0.05,0.5,0.95, or 'all' for "
        "0.01..0.99 (default 0.025, 0.1, 0.5, 0.9, 0.975).",
    ),
    models: Optional[str] = typer.Option(None, help="Comma-separated candidates (default: the catalogue's)."),
    catalogue: Optional[Path] = typer.Option(None, help="Model catalogue YAML (default models/catalogue.yaml)."),
    paths: int = typer.Option(500, min=50, help="Simulated paths per model and origin."),
    origins: int = typer.Option(3, min=1, help="Back-test origins per series."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, help="Local worker processes (default: all cores)."
    ),
    engine: str = typer.Option("local", help="Where the per-series work runs: local, spark or dask."),
    spark_master: Optional[str] = typer.Option(
        None, help="Spark master URL for --engine spark (default: $SPARK_MASTER, else local[*])."
    ),
    dask_scheduler: Optional[str] = typer.Option(
        None, help="Dask scheduler address for --engine dask (default: $DASK_SCHEDULER_ADDRESS, else a local cluster)."
    ),
    seed: int = typer.Option(0),
) -> None:
    """Forecast every series H steps ahead: back-test, select, combine, calibrate.

    Missing periods inside a series are filled by interpolation, as `forecast run` does, and said."""
    from forecast.engine import engine_for
    from forecast.jobs.predict_io import BatchInputError, run_batch

    try:
        with engine_for(engine, jobs, spark_master, dask_scheduler) as chosen:
            summary = run_batch(
                series_file,
                horizon,
                out,
                freq=freq,
                lower=lower,
                upper=upper,
                quantiles=quantiles,
                models=models,
                catalogue=catalogue,
                n_paths=paths,
                n_origins=origins,
                seed=seed,
                engine=chosen,
            )
    except BatchInputError as exc:
        fail(str(exc))
    typer.echo(summary)
