"""`forecast data import|list|show|batches|undo`."""

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
    indicators: Optional[Path] = typer.Option(
        None, "--indicators", "-i", help="YAML of indicator metadata to register."
    ),
    columns: Optional[str] = typer.Option(
        None,
        "--columns",
        metavar="NAME=HEADER,...",
        help="Which header is which column, e.g. series_id=指标名称,ds=统计年度,y=值.",
    ),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet to read (default: the first)."),
) -> None:
    """Import observations in one transaction: any error and nothing is written.

    A fill-in workbook (`forecast plan workbook`) is recognised: its indicators are registered, its
    values imported and the plan's targets linked to them.
    """
    from forecast.ingest.importer import ImportFailed, import_file, parse_columns
    from forecast.ingest.workbook import is_workbook

    if is_workbook(file):
        if indicators:
            fail("a fill-in workbook describes its own indicators: leave out --indicators")
        return _import_workbook(ctx, file)
    try:
        mapping = parse_columns(columns)
    except ValueError as exc:
        fail(str(exc))
    try:
        summary = import_file(store(ctx), file, indicators, columns=mapping, sheet=sheet)
    except ImportFailed as exc:
        fail(str(exc))
    for note in summary.notes:
        typer.echo(f"note: {note}")
    if summary.already_imported:
        typer.echo(f"{file} was already imported as batch {summary.batch_id}; nothing to do")
        return
    typer.echo(
        f"imported {summary.rows} observations of {len(summary.series)} series from {file} "
        f"(batch {summary.batch_id}; {summary.indicators_registered} indicators registered)"
    )
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
    typer.echo(
        f"{file}: {summary.typed} values of {len(summary.series)} series ({summary.rows} new or changed, "
        f"batch {summary.batch_id or '-'}); {len(summary.indicators_registered)} indicators registered"
    )
    typer.echo(
        f"plan {summary.plan_id}: {len(summary.links)} targets linked"
        + (f", {len(summary.stand_in)} to stand-in series" if summary.stand_in else "")
        + (" (plan stored from the workbook)" if summary.plan_from_workbook else "")
    )
    typer.echo(f"next: forecast run {summary.plan_id}")


@app.command("batches")
def batches(ctx: typer.Context) -> None:
    """Imported batches: id, file, rows, import time, vintage (known_at range) and refresh."""
    from forecast.store.batches import list_batches

    rows = list_batches(store(ctx))
    if not rows:
        typer.echo("no batches imported yet")
        return
    typer.echo(f"{'batch':>5}  {'imported at':<16}  {'rows':>6}  {'series':>6}  {'vintage':<23}  {'refresh':<22}  file")
    for b in rows:
        vintage = (
            "—"
            if b["known_from"] is None
            else (str(b["known_from"]) + ("" if b["known_to"] == b["known_from"] else f"–{b['known_to']}"))
        )
        typer.echo(
            f"{b['id']:>5}  {b['imported_at']:%Y-%m-%d %H:%M}  {b['n_rows']:>6}  {b['series'] or 0:>6}  "
            f"{vintage:<23}  {b['refresh_id'] or '—':<22}  {b['source_file']!s}"
        )


@app.command("undo")
def undo(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="Batch id (see `forecast data batches`)."),
    force: bool = typer.Option(False, "--force", help="Remove it even though stored runs used it."),
) -> None:
    """Remove one imported batch and its observations, in one transaction."""
    from forecast.store.batches import UndoRefused, undo_batch

    try:
        done = undo_batch(store(ctx), batch, force=force)
    except UndoRefused as exc:
        fail(str(exc))
    typer.echo(f"removed batch {done.batch_id} ({done.source_file}): {done.rows} observations")
    if done.runs_kept:
        typer.echo(f"kept {len(done.runs_kept)} run(s) that used it: {', '.join(done.runs_kept[:5])}")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Series in the store with their span."""
    s = store(ctx)
    indicators = s.indicators()
    for row in s.series_summary():
        ind = indicators[row["series_id"]]
        typer.echo(
            f"{row['series_id']:<55} {ind.frequency.value} {row['n']:>4} obs  {row['first']} – {row['last']}  "
            f"{ind.unit}  {ind.name('zh')}"
        )


@app.command("show")
def show(
    ctx: typer.Context, series_id: str, as_of: Optional[str] = typer.Option(None, help="Only data known by then.")
) -> None:
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
