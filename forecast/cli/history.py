"""`forecast history TARGET`: how a target's probability and forecast moved across runs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from forecast.cli.common import fail, store, workspace
from forecast.schema import check_id
from forecast.workspace import file_name, inside


def history(
    ctx: typer.Context,
    target_id: str = typer.Argument(..., help="Target id (see `forecast plan show PLAN`)."),
    plan_id: Optional[str] = typer.Option(None, "--plan", help="The plan, when several have this target."),
    replays: bool = typer.Option(False, "--replays", help="Also list the `--as-of` replays, labelled by as-of date."),
    chart: Optional[Path] = typer.Option(
        None, "--chart", help="Chart file (PNG). Default: reports/history-PLAN-TARGET.png"
    ),
) -> None:
    """Table and chart of a target's P(met) and target-year forecast across runs on the latest data."""
    from forecast.jobs.history import target_history
    from forecast.report import wording
    from forecast.report.charts import history_chart_png
    from forecast.targets.feasibility.bands import format_probability

    try:
        check_id(target_id, "target id")
    except ValueError as exc:
        fail(str(exc))
    s = store(ctx)
    try:
        points = target_history(s, target_id, plan_id, replays=replays)
    except LookupError as exc:
        fail(str(exc))
    if not points:
        fail(f"target {target_id!r} has no run yet; run `forecast refresh` or `forecast run PLAN`")
    typer.echo(
        f"{'run at':<17} {'data':<16} {'run':<23} {'refresh':<23} {'P(met)':>6}  {'likelihood':<24} "
        f"{'median [80%]':<26} latest"
    )
    previous, cut = None, None
    for p in points:
        if p.as_of != cut:  # probabilities move between runs of one data cut, not across cuts
            previous, cut = None, p.as_of
        r = p.result
        prob = format_probability(p.probability) if p.probability is not None else "—"
        delta = (
            f" ({(p.probability - previous) * 100:+.0f})" if p.probability is not None and previous is not None else ""
        )
        fan = (
            f"{p.median:.4g} [{p.interval80[0]:.4g}, {p.interval80[1]:.4g}]"
            if p.median is not None and p.interval80
            else "—"
        )
        latest = f"{r['latest_value']:.4g} ({r['latest_year']})" if r.get("latest_value") is not None else "—"
        words = wording.band(r.get("band"), "en") if r.get("band") else wording.status(r["status"], "en")
        data = "latest data" if p.as_of is None else f"as of {p.as_of:%Y-%m-%d}"
        typer.echo(
            f"{p.created_at:%Y-%m-%d %H:%M}  {data:<16} {p.run_id:<23} {p.refresh_id or '—':<23} {prob:>6}  "
            f"{words + delta:<24} {fan:<26} {latest}"
        )
        previous = p.probability if p.probability is not None else previous
    try:  # the ids are checked at import; the name is checked again so the chart stays in reports/
        name = file_name("history", points[-1].plan_id, target_id, suffix=".png")
        path = chart if chart is not None else inside(workspace(ctx).reports_dir, name)
    except ValueError as exc:
        fail(str(exc))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    series = s.indicators().get(points[-1].result.get("series_id") or "")
    latest_runs = [p for p in points if p.as_of is None] or points
    path.write_bytes(
        history_chart_png(latest_runs, f"{points[-1].plan_id} / {target_id}", series.unit if series else "")
    )
    typer.echo(f"chart: {path}")
