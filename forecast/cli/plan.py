"""`forecast plan import|list|show`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import fail, store

app = typer.Typer(help="Import and inspect plans and their targets.", no_args_is_help=True)


@app.command("import")
def import_(ctx: typer.Context, file: Path, plan_id: Optional[str] = typer.Option(None, "--id", help="Plan id (default: from the file).")) -> None:
    """Import a plan file (the gold-label YAML format; see README)."""
    from ..plans import PlanFileError, load_plan

    try:
        plan = load_plan(file, plan_id)
    except PlanFileError as exc:
        fail(str(exc))
    s = store(ctx)
    s.save_plan(plan)
    linked = sum(1 for t in plan.targets if t.series_id)
    unknown = sorted({t.series_id for t in plan.targets if t.series_id} - set(s.indicators()))
    typer.echo(f"imported plan {plan.id}: {len(plan.targets)} targets, {linked} linked to series")
    if unknown:
        typer.echo(f"warning: linked series not in the store yet: {', '.join(unknown)}")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    for plan in store(ctx).plans():
        typer.echo(f"{plan.id:<40} {len(plan.targets):>4} targets  {plan.title}")


@app.command("show")
def show(ctx: typer.Context, plan_id: str) -> None:
    try:
        plan = store(ctx).plan(plan_id)
    except LookupError as exc:
        fail(str(exc))
    typer.echo(f"{plan.id}: {plan.title} {plan.region} period={plan.period}")
    for t in plan.targets:
        value = "" if t.value is None else f"{t.value:g}"
        typer.echo(f"  {t.id:<55} {t.comparator.value:>15} {value:>8} {t.unit:<6} {t.year or '':<5} "
                   f"{t.series_id or '-'}")


@app.command("extract")
def extract(
    document: Path = typer.Argument(..., help="Plan document: plain text (UTF-8 or GB18030), HTML or .docx."),
    out: Path = typer.Option(..., "--out", "-o", help="Plan file to write (YAML, the format `plan import` reads)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
) -> None:
    """Find the quantified targets and baselines of a plan document and write them as a plan file to review."""
    from ..extract import ExtractError, extract_plan, write_plan_yaml

    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it")
    try:
        plan = extract_plan(document)
        write_plan_yaml(plan, out, overwrite=force)
    except ExtractError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror or exc}")
    typer.echo(f"{document}: {len(plan.numeric_targets)} targets, {len(plan.baselines)} baselines, "
               f"{len(plan.qualitative_targets)} qualitative -> {out}")
    typer.echo("review the quotes, then: forecast plan import " + str(out))
