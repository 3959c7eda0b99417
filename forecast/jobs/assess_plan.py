"""The job behind `forecast run`: compute a plan's run, save it, write its reports, track it.
One function the CLI and the demo share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from forecast import defaults
from forecast.engine import Engine
from forecast.forecasters import catalogue
from forecast.jobs.run import RunResult, run_plan, save_run
from forecast.report import wording
from forecast.schema import Attribute
from forecast.store import Store
from forecast.targets.feasibility.bands import BANDS, at_risk, format_probability, tally, warned
from forecast.targets.feasibility.restatements import statement_text
from forecast.workspace import Workspace

GROUPED = {"no_series", "qualitative", "no_year"}  # states that repeat by the dozen: counted by reason, not listed


@dataclass
class Outcome:
    result: RunResult
    reports: list[Path]
    mlflow_run_id: Optional[str]

    def counts(self) -> str:
        """One line: targets per likelihood band, outcomes already observed, and those not assessed."""
        counts = tally([a.to_dict() for a in self.result.assessments])
        parts = [f"{wording.band(key, 'en')} {counts[key]}" for _, key in BANDS]
        parts += [
            f"observed met {counts['observed_met']}",
            f"observed missed {counts['observed_missed']}",
            f"not assessed {counts['not_assessed']}",
        ]
        return "by likelihood: " + ", ".join(parts)

    def summary(self) -> str:
        r = self.result
        lines = [f"run {r.run_id}: plan {r.plan.id}, as of {r.as_of or 'latest data'}, {len(r.assessments)} targets"]
        grouped: dict[str, list[str]] = {}  # the same reason the report gives, counted
        for a in r.assessments:
            d = a.to_dict()
            if a.status.value in GROUPED:
                grouped.setdefault(wording.message(d, "en"), []).append(a.target_id)
                continue
            p = (
                "0%"
                if a.status.value == "broken"
                else format_probability(a.probability)
                if a.probability is not None
                else "—"
            )
            lines.append(f"  {a.target_id:<52} {p:>5}  {wording.message(d, 'en')}")
            lines += [f"  {'':<52}        warning: {wording.note(w, 'en')}" for w in a.warnings]
            lines += [f"  {'':<52}        restated differently: {statement_text(c)}" for c in a.conflicts]
        lines += [f"  {len(ids)} target(s): {why} (listed in the report)" for why, ids in grouped.items()]
        binding = {t.id for t in r.plan.targets if t.attribute is Attribute.binding}
        warn = [a.target_id for a in r.assessments if warned(a.to_dict(), a.target_id in binding)]
        lines.append("early warning (binding targets at risk or behind schedule): " + (", ".join(warn) or "none"))
        failures = [f"{sid}: {m} ({why})" for sid, s in r.series.items() for m, why in s.failures.items()]
        # The models see the gap-filled series; say how many of its points are observations.
        skipped = [
            f"{sid}: {m} {why}" + (f" ({s.n_observed} observed, {len(s.filled)} filled)" if s.filled else "")
            for sid, s in r.series.items()
            for m, why in s.skipped.items()
        ]
        if skipped:
            lines.append("models not applicable to a series (skipped):")
            lines += [f"  {f}" for f in skipped]
        if failures:
            lines.append("model failures (reported, excluded from the mixture):")
            lines += [f"  {f}" for f in failures]
        lines.append(self.counts())
        lines += [f"report: {p}" for p in self.reports]
        if self.mlflow_run_id:
            lines.append(f"mlflow run: {self.mlflow_run_id}")
        return "\n".join(lines)


def run_and_report(
    ws: Workspace,
    store: Store,
    plan_id: str,
    as_of=None,
    models: Optional[Sequence[str]] = None,
    n_paths: int = defaults.N_PATHS,
    seed: int = defaults.SEED,
    lang: str = "zh",
    track: bool = True,
    progress: Optional[Callable[[str, str, int, int], None]] = None,
    engine: Optional[Engine] = None,
) -> Outcome:
    """`progress(stage, item, done, total)` hears of each series back-tested and simulated, then the report."""
    from forecast.report import build_report, write_report

    result = run_plan(
        store,
        plan_id,
        as_of=as_of,
        models=models,
        n_paths=n_paths,
        seed=seed,
        progress=progress,
        catalogue_file=catalogue.locate(ws.root),
        engine=engine,
    )
    save_run(store, result)
    if progress is not None:
        progress("report", plan_id, 0, 1)
    reports = write_report(build_report(store, result.run_id, lang=lang), ws.reports_dir)
    mlflow_id = None
    if track:
        from forecast.tracking import log_run

        if progress is not None:
            progress("track", plan_id, 0, 1)
        chart_dirs = [p.with_name(p.stem + "_charts") for p in reports if p.suffix == ".md"]
        mlflow_id = log_run(ws, result, artifacts=reports + [d for d in chart_dirs if d.exists()])
        store.set_mlflow_run(result.run_id, mlflow_id)
        result.mlflow_run_id = mlflow_id
    return Outcome(result, reports, mlflow_id)


def overview(outcomes: Sequence[Outcome]) -> str:
    """One screen for many runs: a row per run with its targets by likelihood and the binding ones at risk."""
    header = (
        f"{'plan':<28} {'as of':<10} {'targets':>7} {'≥90%':>5} {'66–90':>5} {'33–66':>5} {'10–33':>5} "
        f"{'<10%':>5} {'met':>4} {'missed':>6} {'n/a':>4}  binding targets at risk"
    )
    lines = [header, "-" * len(header)]
    for o in outcomes:
        r = o.result
        results = [a.to_dict() for a in r.assessments]
        counts = tally(results)
        binding = {t.id for t in r.plan.targets if t.attribute is Attribute.binding}
        risky = [
            f"{a['target_id']} "
            + ("missed" if a["status"] in ("observed", "broken") else format_probability(a["probability"]))
            for a in results
            if a["target_id"] in binding and at_risk(a)
        ]
        lines.append(
            f"{r.plan.id[:28]:<28} {str(r.as_of or 'latest'):<10} {len(r.assessments):>7} "
            + " ".join(f"{counts[key]:>5}" for _, key in BANDS)
            + f" {counts['observed_met']:>4} {counts['observed_missed']:>6}"
            + f" {counts['not_assessed']:>4}  {', '.join(risky) or '—'}"
        )
    return "\n".join(lines)
