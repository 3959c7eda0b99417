"""`forecast data import|list|show`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from forecast.cli.common import fail, store

app = typer.Typer(help="Import and inspect indicator observations.", no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Long CSV or XLSX: series_id, ds, y [, unit, region, source, known_at]."),
    indicators: Optional[Path] = typer.Option(None, "--indicators", "-i", help="YAML of indicator metadata to register."),
) -> None:
    """Import observations in one transaction: any error and nothing is written.

    A fill-in workbook (`forecast plan workbook`) is recognised: its indicators are registered, its
    values imported and the plan's targets linked to them.
    """
    from forecast.ingest.importer import ImportFailed, import_file
    from forecast.ingest.workbook import is_workbook

    if is_workbook(file):
        if indicators:
            fail("a fill-in workbook describes its own indicators: leave out --indicators")
        return _import_workbook(ctx, file)
    try:
        summary = import_file(store(ctx), file, indicators)
    except ImportFailed as exc:
        fail(str(exc))
    if summary.already_imported:
        typer.echo(f"{file} was already imported as batch {summary.batch_id}; nothing to do")
        return
    typer.echo(f"imported {summary.rows} observations of {len(summary.series)} series from {file} "
               f"(batch {summary.batch_id}; {summary.indicators_registered} indicators registered)")
    if summary.ignored_columns:
        typer.echo(f"ignored columns: {', '.join(summary.ignored_columns)}")


def _import_workbook(ctx: typer.Context, file: Path) -> None:
    from forecast.ingest.importer import ImportFailed
    from forecast.ingest.workbook import import_workbook

    try:
        summary = import_workbook(store(ctx), file)
    except ImportFailed as exc:
        fail(str(exc))
    if summary.already_imported:
        typer.echo(f"{file} was already imported as batch {summary.batch_id}; nothing to do")
        return
    typer.echo(f"{file}: {summary.typed} values of {len(summary.series)} series ({summary.rows} new or changed, "
               f"batch {summary.batch_id or '-'}); {len(summary.indicators_registered)} indicators registered")
    typer.echo(f"plan {summary.plan_id}: {len(summary.links)} targets linked"
               + (f", {len(summary.stand_in)} to stand-in series" if summary.stand_in else "")
               + (" (plan stored from the workbook)" if summary.plan_from_workbook else ""))
    typer.echo(f"next: forecast run {summary.plan_id}")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Series in the store with their span."""
    s = store(ctx)
    indicators = s.indicators()
    for row in s.series_summary():
        ind = indicators[row["series_id"]]
        typer.echo(f"{row['series_id']:<55} {ind.frequency.value} {row['n']:>4} obs  {row['first']} – {row['last']}  "
                   f"{ind.unit}  {ind.name('zh')}")


@app.command("show")
def show(ctx: typer.Context, series_id: str, as_of: Optional[str] = typer.Option(None, help="Only data known by then.")) -> None:
    """One series' metadata and values (latest vintage known as of the date)."""
    from forecast.ingest.series import as_of_date, to_series

    s = store(ctx)
    ind = s.indicators().get(series_id)
    if ind is None:
        fail(f"no series {series_id!r} in the store")
    typer.echo(ind.model_dump_json(indent=2))
    try:
        day = as_of_date(as_of)
    except ValueError as exc:
        fail(str(exc))
    for period, value in to_series(s.observations(series_id, known_by=day), ind, day).items():
        typer.echo(f"{period}\t{value:g}")
