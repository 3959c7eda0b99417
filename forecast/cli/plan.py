"""`forecast plan import|list|show|link|extract`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from forecast.cli.common import fail, store

app = typer.Typer(help="Import and inspect plans and their targets.", no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Path,
    plan_id: Optional[str] = typer.Option(None, "--id", help="Plan id (default: from the file)."),
) -> None:
    """Import a plan file (the gold-label YAML format; see README)."""
    from forecast.targets.plans import PlanFileError, load_plan

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
    from forecast.targets.linking import unit_problems

    for problem in unit_problems(plan, s.indicators()):
        typer.echo(f"warning: {problem}")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    for plan in store(ctx).plans():
        typer.echo(f"{plan.id:<40} {len(plan.targets):>4} targets  {plan.title}")


@app.command("show")
def show(ctx: typer.Context, plan_id: str) -> None:
    """Every target: id, indicator (the plan's words), comparator and value, year, attribute and linked series."""
    try:
        plan = store(ctx).plan(plan_id)
    except LookupError as exc:
        fail(str(exc))
    period = f"{plan.period[0]}–{plan.period[1]}" if plan.period else "—"
    typer.echo(f"{plan.id}: {plan.title} {plan.region} (period {period}, {len(plan.targets)} targets)")
    typer.echo(f"  {'id':<28} {'indicator':<30} {'target':<22} {'year':<5} {'attribute':<9} link")
    for t in plan.targets:
        value = "" if t.value is None else f"{t.value:g}"
        goal = (
            "qualitative" if t.comparator.value == "qualitative" else f"{t.comparator.value} {value} {t.unit}".strip()
        )
        link = (t.series_id + (" (stand-in)" if t.stand_in else "")) if t.series_id else "not linked"
        typer.echo(
            f"  {_cut(t.id, 28):<28} {_cut(t.indicator or t.indicator_en, 30):<30} {_cut(goal, 22):<22} "
            f"{t.year or '—':<5} {t.attribute.value if t.attribute else '—':<9} {link}"
        )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("link")
def link(
    ctx: typer.Context,
    plan_id: str,
    accept: list[str] = typer.Option(
        [], "--accept", metavar="TARGET=SERIES", help="Confirm a link without asking (repeatable); SERIES '-' unlinks."
    ),
    yes: bool = typer.Option(False, "--yes", help="Accept every best match scoring at least --min-score."),
    min_score: float = typer.Option(
        85.0, "--min-score", help="Score (0-100) a match needs for --yes or as the default answer."
    ),
    top: int = typer.Option(3, "--top", help="Candidates shown per target."),
    relink: bool = typer.Option(False, "--relink", help="Also propose for targets already linked."),
    dictionary: Optional[Path] = typer.Option(
        None, "--dictionary", help="Extra indicator dictionary (YAML, same format)."
    ),
    links_out: Optional[Path] = typer.Option(
        None, "--links-out", help="Also write the plan's links as a `links:` YAML block."
    ),
) -> None:
    """Propose series for the plan's targets with a score; store the links you confirm."""
    from forecast.targets.linking import (
        Candidate,
        chosen_by_hand,
        links_yaml,
        load_dictionary,
        propose,
        unit_problems,
        with_links,
    )

    s = store(ctx)
    try:
        plan = s.plan(plan_id)
    except LookupError as exc:
        fail(str(exc))
    indicators = s.indicators()
    chosen: dict[str, Candidate | None] = {}
    for item in accept:
        target_id, sep, series_id = item.partition("=")
        if not sep or (series_id != "-" and series_id not in indicators):
            fail(f"--accept {item!r}: expected TARGET=SERIES with a series in the store (or '-')")
        ind = indicators.get(series_id)
        chosen[target_id] = None if ind is None else chosen_by_hand(plan, target_id, ind)
    for proposal in propose(plan, indicators, load_dictionary(dictionary), top=top):
        t = proposal.target
        if t.id in chosen or (t.series_id and not relink) or not proposal.candidates:
            continue
        typer.echo(
            f"\n{t.id}: {t.indicator} {t.comparator.value} {'' if t.value is None else f'{t.value:g}'}{t.unit} {t.year or ''}"
        )
        for i, c in enumerate(proposal.candidates, 1):
            flags = ", ".join(f for f in ("stand-in" if c.stand_in else "", "" if c.unit_ok else "unit mismatch") if f)
            typer.echo(
                f"  {i}. {c.series_id:<55} score {c.score:5.1f}  ~ {c.matched}" + (f"  [{flags}]" if flags else "")
            )
        default = 1 if proposal.best.score >= min_score and proposal.best.unit_ok else 0
        answer = default if yes else typer.prompt("  link to (number, 0 = leave unlinked)", default=default, type=int)
        if 1 <= answer <= len(proposal.candidates):
            chosen[t.id] = proposal.candidates[answer - 1]
    try:
        linked = with_links(plan, chosen)
    except KeyError as exc:
        fail(str(exc.args[0]))
    s.save_plan(linked)
    for problem in unit_problems(linked, indicators):
        typer.echo(f"warning: {problem}")
    n = sum(1 for c in chosen.values() if c)
    typer.echo(
        f"\nstored {n} link(s) for plan {plan.id}; "
        f"{sum(1 for t in linked.targets if t.series_id)} of {len(linked.targets)} targets now linked"
    )
    if links_out:
        links_out.write_text(links_yaml(linked), encoding="utf-8")
        typer.echo(f"links written to {links_out}")


@app.command("extract")
def extract(
    document: Path = typer.Argument(..., help="Plan document: plain text (UTF-8 or GB18030), HTML or .docx."),
    out: Path = typer.Option(..., "--out", "-o", help="Plan file to write (YAML, the format `plan import` reads)."),
    html: Optional[Path] = typer.Option(
        None,
        "--html",
        help="Also write a review page: the document with every "
        "extracted quote highlighted and every table read outlined.",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT (and the --html page) if they exist."),
) -> None:
    """Find the quantified targets and baselines of a plan document and write them as a plan file to review."""
    from forecast.extract import ExtractError, extract_plan, review_table, write_plan_yaml, write_review_html

    for path in filter(None, (out, html)):
        if path.exists() and not force:
            fail(f"{path} exists; pass --force to overwrite it")
    try:
        plan = extract_plan(document)
        write_plan_yaml(plan, out, overwrite=force)
        if html is not None:
            write_review_html(plan, html, overwrite=force)
    except ExtractError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write: {exc.strerror or exc}")
    typer.echo(review_table(plan))
    typer.echo(
        f"\n{document}: {len(plan.numeric_targets)} targets, {len(plan.baselines)} baselines, "
        f"{len(plan.qualitative_targets)} qualitative, {len(plan.tables)} tables read"
        + (f", {len(plan.unread)} table rows not read" if plan.unread else "")
        + f" -> {out}"
    )
    if html is not None:
        typer.echo(f"review page: {html}")
    typer.echo("review the quotes, then: forecast plan import " + str(out))


@app.command("workbook")
def workbook(
    ctx: typer.Context,
    plan: str = typer.Argument(..., help="A plan file (as `plan extract` writes it) or the id of a plan in the store."),
    out: Path = typer.Option(..., "--out", "-o", help="Workbook to write (.xlsx)."),
    lang: str = typer.Option("zh", "--lang", help="Language of the sheets: zh or en."),
    start: Optional[int] = typer.Option(None, "--start", help="First year (default: the plan's base year minus five)."),
    end: Optional[int] = typer.Option(
        None, "--end", help="Last year (default: the latest target year, at most this year)."
    ),
    plan_id: Optional[str] = typer.Option(None, "--id", help="Plan id when PLAN is a file (default: from the file)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
) -> None:
    """Write a fill-in workbook: one row per indicator the plan's numeric targets need, a column per year."""
    from forecast.ingest.workbook import plan_layout, write_workbook
    from forecast.targets.plans import PlanFileError, load_plan

    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it")
    s = store(ctx)
    try:
        chosen = load_plan(Path(plan), plan_id) if Path(plan).is_file() else s.plan(plan)
        layout = plan_layout(chosen, s, start=start, end=end)
        write_workbook(layout, out, lang=lang)
    except (PlanFileError, LookupError, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror or exc}")
    prefilled = sum(r.in_store for r in layout.rows)
    typer.echo(
        f"{out}: {len(layout.rows)} indicators for {sum(len(r.targets) for r in layout.rows)} targets of plan "
        f"{chosen.id}, years {layout.years[0]}–{layout.years[-1]}, {len(layout.monthly)} also monthly, "
        f"{prefilled} prefilled from the store"
    )
    typer.echo(f"fill it in, then: forecast data import {out}  and  forecast run {chosen.id}")
