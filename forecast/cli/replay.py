"""`forecast replay PLAN`: a plan whose outcomes are recorded, assessed as of every year before each deadline."""

from __future__ import annotations

from typing import Optional

import typer

from forecast.cli.common import fail, store


def replay(
    ctx: typer.Context,
    plan_id: str = typer.Argument(..., help="A plan whose targets record `outcome:` (see data/replays/)."),
    paths: int = typer.Option(1000, "--paths", min=100, help="Simulated paths per run."),
    seed: int = typer.Option(20170101, "--seed", help="Random seed."),
    binding_shift: Optional[float] = typer.Option(
        None,
        "--binding-shift",
        help="Optional policy-effort correction: move binding targets' P(met) by this many logits (off by default).",
    ),
) -> None:
    """Per target: P(met) as of each year before its target year, beside the CAGR and 时序进度 rules and the outcome."""
    from forecast.jobs.replay import brier_summary, format_rows, format_summary, replay_plan, with_binding_shift

    s = store(ctx)
    try:
        plan = s.plan(plan_id)
    except LookupError as exc:
        fail(str(exc))
    if not any(t.outcome is not None and t.year is not None for t in plan.targets):
        fail(f"plan {plan_id!r} records no outcome: add `outcome:` to its targets to replay it")
    rows = replay_plan(s, plan_id, n_paths=paths, seed=seed)
    if binding_shift is not None:
        rows = with_binding_shift(rows, binding_shift)
        typer.echo(f"note: binding targets' P(met) shifted by {binding_shift:+g} logits (policy-effort correction)")
    typer.echo(format_rows(rows))
    typer.echo("")
    typer.echo(format_summary(brier_summary(rows)))
