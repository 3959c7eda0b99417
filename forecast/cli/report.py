"""`forecast report`: render a stored run as HTML, Markdown, an Excel workbook or a PDF."""

from __future__ import annotations

from typing import Optional

import typer

from forecast.cli.common import fail, store, workspace


def report(
    ctx: typer.Context,
    run_id: Optional[str] = typer.Option(None, "--run", help="Run id (default: the latest run)."),
    plan_id: Optional[str] = typer.Option(None, "--plan", help="Latest run of this plan."),
    lang: str = typer.Option("zh", help="zh or en."),
    fmt: Optional[str] = typer.Option(
        None,
        "--format",
        help="html, md, xlsx or pdf, or several separated by commas (default: html,md). "
        "pdf prints the HTML with headless Chromium.",
    ),
    by: Optional[str] = typer.Option(
        None,
        "--by",
        help="region or concept: one report per group (a county's targets, say) and an index page linking them.",
    ),
) -> None:
    """Write the feasibility report of a run."""
    from forecast.report import build_report, write_report

    formats = tuple(f.strip() for f in fmt.split(",") if f.strip()) if fmt else ("html", "md")
    try:
        rep = build_report(store(ctx), run_id, lang=lang, plan_id=plan_id)
        written = write_report(rep, workspace(ctx).reports_dir, formats, by=by)
    except (LookupError, ValueError, RuntimeError) as exc:
        fail(str(exc))
    for path in written:
        typer.echo(str(path))
