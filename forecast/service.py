"""The job behind `forecast run`: assess, report, track. One function the CLI and the demo share."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from .feasibility import format_probability
from .runner import RunResult, run_plan
from .store import Store
from .workspace import Workspace


GROUPED = {"no_series": "with no series linked", "qualitative": "qualitative, not assessable from numbers",
           "no_year": "with no target year"}


@dataclass
class Outcome:
    result: RunResult
    reports: list[Path]
    mlflow_run_id: Optional[str]

    def summary(self) -> str:
        r = self.result
        lines = [f"run {r.run_id}: plan {r.plan.id}, as of {r.as_of or 'latest data'}, "
                 f"{len(r.assessments)} targets"]
        grouped: dict[str, list[str]] = {}  # states that repeat by the dozen in a real plan: counted, not listed
        for a in r.assessments:
            if a.status.value in GROUPED:
                grouped.setdefault(GROUPED[a.status.value], []).append(a.target_id)
                continue
            p = format_probability(a.probability) if a.probability is not None else "—"
            lines.append(f"  {a.target_id:<52} {p:>5}  {a.message_en}")
            lines += [f"  {'':<52}        restated differently: {c}" for c in a.conflicts]
        lines += [f"  {len(ids)} target(s) {what} (listed in the report)" for what, ids in grouped.items()]
        failures = [f"{sid}: {m} ({why})" for sid, s in r.series.items() for m, why in s.failures.items()]
        skipped = [f"{sid}: {m} {why}" for sid, s in r.series.items() for m, why in s.skipped.items()]
        if skipped:
            lines.append("models not applicable to a series (skipped):")
            lines += [f"  {f}" for f in skipped]
        if failures:
            lines.append("model failures (reported, excluded from the mixture):")
            lines += [f"  {f}" for f in failures]
        lines += [f"report: {p}" for p in self.reports]
        if self.mlflow_run_id:
            lines.append(f"mlflow run: {self.mlflow_run_id}")
        return "\n".join(lines)


def run_and_report(ws: Workspace, store: Store, plan_id: str, as_of=None, models: Optional[Sequence[str]] = None,
                   n_paths: int = 2000, seed: int = 20170101, lang: str = "zh", track: bool = True) -> Outcome:
    from .report import build_report, write_report

    result = run_plan(store, plan_id, as_of=as_of, models=models, n_paths=n_paths, seed=seed)
    reports = write_report(build_report(store, result.run_id, lang=lang), ws.reports_dir)
    mlflow_id = None
    if track:
        from .tracking import log_run

        chart_dirs = [p.with_name(p.stem + "_charts") for p in reports if p.suffix == ".md"]
        mlflow_id = log_run(ws, result, artifacts=reports + [d for d in chart_dirs if d.exists()])
        store.set_mlflow_run(result.run_id, mlflow_id)
        result.mlflow_run_id = mlflow_id
    return Outcome(result, reports, mlflow_id)
