"""`forecast refresh`: new observations in, every plan re-run, reports and a change summary out.

Built to run unattended (cron, systemd timer, Kubernetes CronJob):
- one at a time (`lock`): a second refresh exits at once with EXIT_BUSY;
- idempotent: the results depend on the stored data, the plans and the settings; when their hash
  equals the last published refresh's, nothing is run and nothing is stored;
- safe when killed at any point: the vintage is one transaction, all runs are published in one
  transaction (`ledger`), files and reports are moved or renamed into place whole, and the next
  refresh finishes what a killed one left (abandoned vintage adopted, missing reports and summary
  written, runs MLflow missed logged);
- one failing source, file, plan or series is reported and the rest complete (EXIT_PARTIAL).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from forecast import defaults
from forecast.forecasters import catalogue
from forecast.ingest.importer import ImportFailed, read_indicators
from forecast.refresh import changes, outputs
from forecast.refresh.config import ConfigError, RefreshConfig
from forecast.refresh.lock import RefreshBusy, refresh_lock
from forecast.refresh.sources import Candidate, drop_files, read_file, read_sql, settle
from forecast.store import Store
from forecast.store import refreshes as ledger
from forecast.workspace import Workspace

# Exit codes for schedulers (also in README and `forecast refresh --help`).
EXIT_OK = 0  # complete, or already up to date
EXIT_FAILED = 1  # nothing done: bad configuration, store unreachable, unexpected error
EXIT_PARTIAL = 3  # complete, but something is reported: rejected file, failed source/plan/series, tracking
EXIT_BUSY = 75  # another refresh holds the lock (EX_TEMPFAIL: try again later)


@dataclass
class RefreshOutcome:
    status: str  # complete | up_to_date | dry_run
    exit_code: int
    refresh_id: Optional[str] = None
    summary: dict = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # summary and reports written
    lines: list[str] = field(default_factory=list)  # what to print


def run_refresh(
    ws: Workspace,
    store: Store,
    config: RefreshConfig,
    dry_run: bool = False,
    on_stage: Optional[Callable[[str], None]] = None,
) -> RefreshOutcome:
    """One refresh under the lock; raises RefreshBusy when another one holds it.

    `on_stage(name)` hears each durable step as it completes: `ingested`, `files_moved`,
    `ran:<plan>`, `published`, `reported` (a log, or a test that stops the job there).
    """
    ws.ensure()
    with refresh_lock(ws.root, store):
        return _refresh(ws, store, config, dry_run, on_stage or (lambda name: None))


def _refresh(
    ws: Workspace, store: Store, config: RefreshConfig, dry_run: bool, stage: Callable[[str], None]
) -> RefreshOutcome:
    lines: list[str] = []
    clock = time.perf_counter()
    if not dry_run:
        lines += _recover(ws, store, config)
    stored_indicators = store.indicators()
    new_indicators = [
        i for i in (read_indicators(config.indicators) if config.indicators else []) if stored_indicators.get(i.id) != i
    ]  # registered or changed metadata only
    known = stored_indicators | {i.id: i for i in new_indicators}
    if config.drop_folder is not None and not config.drop_folder.is_dir():
        raise ConfigError(f"drop folder {config.drop_folder} does not exist (drop_folder in the configuration)")
    files = drop_files(config.drop_folder) if config.drop_folder else []
    candidates = [read_file(store, p, known) for p in files] + [read_sql(store, s, known) for s in config.sql]
    accepted = [c for c in candidates if c.accepted]
    plan_ids = _plan_ids(store, config)
    settings = {
        "models": config.models,
        "n_paths": config.n_paths,
        "seed": config.seed,
        "catalogue": _resolved_models(config.models, catalogue.locate(ws.root)),
        "version": _version(),
    }
    refresh_id = defaults.new_id()
    started = dt.datetime.now()
    rejected = [{"file": c.name, "problems": c.problems} for c in candidates if c.problems]
    failed_sources = [{"source": c.name, "error": c.error} for c in candidates if c.error]

    if dry_run:
        return _dry_run_outcome(candidates, accepted, plan_ids, rejected, failed_sources)

    orphans = ledger.orphan_batch_ids(store)
    ingested = bool(accepted or orphans or new_indicators)  # this refresh's row exists from here on
    if ingested:
        _ingest(store, refresh_id, started, accepted, new_indicators)
        stage("ingested")
    for c in candidates:
        if c.path is not None and os.path.lexists(c.path):  # a dangling link is moved too, never followed
            settle(c.path, config.drop_folder, refresh_id, c.problems or None, c.note)
    stage("files_moved")

    key = ledger.input_key(store, plan_ids, settings)
    if key == ledger.latest_input_key(store):
        if ingested:  # a vintage that changes nothing the results depend on: recorded, nothing run
            ledger.publish(store, refresh_id, started, True, [], key, {})
            ledger.complete(store, refresh_id, {"refresh_id": refresh_id, "status": "up_to_date"})
        backfilled, failed = _track(ws, store, {}, config)
        lines.append("up to date: no new data, plans or settings since the last refresh; nothing run")
        lines += [
            f"rejected {changes.plain(r['file'])}: " + changes.plain("; ".join(r["problems"][:3])) for r in rejected
        ]
        lines += [f"source failed: {changes.plain(s['error'])}" for s in failed_sources]
        if backfilled:
            lines.append(f"tracking back-filled {len(backfilled)} run(s)")
        lines += [f"tracking failed: {f['error']}" for f in failed[:1]]
        problems = bool(rejected or failed_sources or failed)
        return RefreshOutcome("up_to_date", EXIT_PARTIAL if problems else EXIT_OK, None, {}, [], lines)

    new_rows = [{"source": c.name, "rows": c.rows, "notes": c.notes} for c in accepted]
    adopted = ledger.batch_rows(store, orphans)
    for source in sorted({r["source_file"] for r in adopted}):
        new_rows.append(
            {
                "source": f"{source} (from an interrupted refresh)",
                "rows": [r for r in adopted if r["source_file"] == source],
            }
        )
    before = ledger.periods_before(
        store, {r["series_id"] for b in new_rows for r in b["rows"]}, orphans + ledger.batch_ids(store, refresh_id)
    )
    seconds = {"sources_and_ingest": round(time.perf_counter() - clock, 1)}
    clock = time.perf_counter()
    summary = {
        "refresh_id": refresh_id,
        "started_at": started.isoformat(timespec="seconds"),
        "status": "published",
        "new_data": changes.data_changes(new_rows, before),
        "rejected": rejected,
        "failed_sources": failed_sources,
        "plans": [],
        "failed_plans": [],
        "failed_series": [],
        "model_failures": [],
    }
    results = _run_plans(ws, store, config, plan_ids, summary, stage)
    summary["seconds"] = dict(seconds, runs=round(time.perf_counter() - clock, 1))
    ledger.publish(store, refresh_id, started, ingested, [r.records() for r in results.values()], key, summary)
    stage("published")
    files, summary = _finish(ws, store, config, refresh_id, summary, results, stage)
    code = EXIT_PARTIAL if changes.has_problems(summary) else EXIT_OK
    lines += outputs.describe(summary, files)
    return RefreshOutcome("complete", code, refresh_id, summary, files, lines)


def _run_plans(
    ws: Workspace, store: Store, config: RefreshConfig, plan_ids: list[str], summary: dict, stage: Callable[[str], None]
) -> dict:
    """Every plan computed on one engine; run id -> result (stored later, at publication, in one transaction)."""
    from forecast.engine import engine_for
    from forecast.jobs.run import run_plan

    results: dict = {}
    evidence: dict = {}  # the pooled back-tests of the store: the same for every plan of a refresh
    with engine_for(config.engine, config.jobs, config.spark_master, config.dask_scheduler) as engine:
        for plan_id in plan_ids:
            previous = _previous_run(store, plan_id)
            try:
                result = run_plan(
                    store,
                    plan_id,
                    as_of=None,
                    models=config.models,
                    n_paths=config.n_paths,
                    seed=config.seed,
                    catalogue_file=catalogue.locate(ws.root),
                    engine=engine,
                    evidence_cache=evidence,
                )
            except Exception as exc:  # one plan failing must not sink the others: reported in the summary
                summary["failed_plans"].append({"plan": plan_id, "error": f"{type(exc).__name__}: {exc}"})
                continue
            results[result.run_id] = result
            _, saved_results, _ = result.records()
            summary["plans"].append(changes.plan_changes(store, plan_id, result.run_id, saved_results, previous))
            failed_series, model_failures = changes.series_failures(plan_id, result)
            summary["failed_series"] += failed_series
            summary["model_failures"] += model_failures
            stage(f"ran:{plan_id}")
    return results


def _ingest(store: Store, refresh_id: str, started: dt.datetime, accepted: list[Candidate], new_indicators) -> None:
    """The new vintage in one transaction: indicators, one batch per source, the refresh row."""
    today = dt.date.today()
    with store.transaction() as conn:
        ledger.begin(conn, refresh_id, started)
        store.upsert_indicators(conn, new_indicators)
        for c in accepted:
            # A value without a stated vintage became known today, when this refresh found it.
            rows = [dict(r, known_at=r["known_at"] or today) for r in c.rows]
            batch_id = store.add_batch(conn, c.name, c.digest, rows)
            ledger.link_batch(conn, refresh_id, batch_id)
        ledger.adopt_abandoned_batches(conn, refresh_id)


def _finish(
    ws: Workspace,
    store: Store,
    config: RefreshConfig,
    refresh_id: str,
    summary: dict,
    results: dict,
    stage: Callable[[str], None] = lambda name: None,
) -> tuple[list[Path], dict]:
    """After publication: reports, tracking, summary files, then `complete`. Safe to repeat."""
    clock = time.perf_counter()
    reports, failed_reports = [], []
    # Reports are written before tracking (they are among its artifacts): ask the server first, so a
    # report can say its run is not logged yet.
    tracking_problem = _tracking_problem(ws) if config.track else None
    for run_id in ledger.run_ids(store, refresh_id):
        try:
            reports += outputs.write_reports(
                ws, store, run_id, config.langs, refresh_id, tracking_problem, config.report_by
            )
        except Exception as exc:  # one report that cannot be drawn must not hold back the others
            failed_reports.append({"run_id": run_id, "error": f"{type(exc).__name__}: {exc}"})
    stage("reported")
    seconds = dict(summary.get("seconds") or {}, reports=round(time.perf_counter() - clock, 1))
    clock = time.perf_counter()
    backfilled, failed = _track(ws, store, results, config)
    seconds["tracking"] = round(time.perf_counter() - clock, 1)
    summary = dict(
        summary,
        status="complete",
        finished_at=dt.datetime.now().isoformat(timespec="seconds"),
        tracking={"failed": failed, "backfilled": backfilled},
        failed_reports=failed_reports,
        seconds=seconds,
        reports=[str(p.relative_to(ws.root)) for p in reports if p.suffix in (".html", ".md")],
    )
    files = outputs.write_summary(ws, refresh_id, summary)
    ledger.complete(store, refresh_id, summary)
    return files + reports, summary


def _recover(ws: Workspace, store: Store, config: RefreshConfig) -> list[str]:
    """Finish what a killed refresh left: abandon an unpublished one, complete a published one."""
    lines = []
    for refresh_id in ledger.abandon_unpublished(store):
        lines.append(f"refresh {refresh_id} was interrupted before publishing; its data is adopted by this one")
    for row in ledger.published_unfinished(store):
        _finish(ws, store, config, row["id"], row["summary"] or {"refresh_id": row["id"]}, {})
        lines.append(f"refresh {row['id']} was interrupted after publishing; its reports and summary are now written")
    for stale in ws.reports_dir.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return lines


def _tracking_problem(ws: Workspace) -> Optional[str]:
    from forecast import tracking

    return tracking.unreachable(ws)


def _track(ws: Workspace, store: Store, results: dict, config: RefreshConfig) -> tuple[list[str], list[dict]]:
    """Log every published run MLflow has not received; a failure is reported, never fatal."""
    if not config.track:
        return [], []
    pending = ledger.untracked_runs(store)
    if not pending:
        return [], []
    from forecast import tracking

    if (why := tracking.unreachable(ws)) is not None:
        return [], [{"run_id": r["id"], "error": why} for r in pending]
    backfilled, failed = [], []
    with tracking.fail_fast():
        for run in pending:
            artifacts = sorted(ws.reports_dir.glob(f"{run['plan_id']}-{run['id']}.*"))  # pages and chart folders
            try:
                if run["id"] in results:
                    mlflow_id = tracking.log_run(ws, results[run["id"]], artifacts=artifacts)
                else:
                    mlflow_id = tracking.log_stored_run(
                        ws, run, store.assessments(run["id"]), artifacts, plan=store.plan(run["plan_id"])
                    )
                    backfilled.append(run["id"])
            except Exception as exc:  # the refresh completes; the next one logs what is missing
                failed.append({"run_id": run["id"], "error": f"{type(exc).__name__}: {str(exc)[:300]}"})
                continue
            store.set_mlflow_run(run["id"], mlflow_id)
    return backfilled, failed


def _previous_run(store: Store, plan_id: str) -> Optional[dict]:
    """The plan's latest run on the latest data (as-of replays are not comparable)."""
    return next((r for r in store.runs(plan_id) if r["as_of"] is None), None)


def _resolved_models(models: Optional[list[str]], catalogue_file: Path) -> dict:
    """The candidates the runs will build, with their model and parameters, and which of them each
    frequency uses, as `run_plan` resolves them.

    Without `models` in the configuration the candidates are the catalogue's default, so an edited
    catalogue changes the results and must change the input key. An unknown name maps to None: each
    plan then fails on it and says why, as before.
    """
    try:
        chosen = catalogue.load(catalogue_file)
    except catalogue.CatalogueError as exc:  # a broken catalogue is a configuration error: nothing done
        raise ConfigError(str(exc)) from None
    uses = chosen.uses(models)
    return {
        "candidates": {name: chosen.candidates.get(name) for name in chosen.names(models)},
        "by_frequency": None if uses is None else {code: list(names) for code, names in uses.items()},
    }


def _version() -> str:
    """The installed package's version: a new release may forecast differently, so it re-runs the plans."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("forecast")
    except PackageNotFoundError:
        return "unknown"


def _plan_ids(store: Store, config: RefreshConfig) -> list[str]:
    stored = list(ledger.plan_specs(store))
    if config.plans is None:
        return stored
    missing = [p for p in config.plans if p not in stored]
    if missing:
        raise ConfigError(f"plans not in the store: {', '.join(missing)} (known: {', '.join(stored) or 'none'})")
    return list(config.plans)


def _dry_run_outcome(candidates, accepted, plan_ids, rejected, failed_sources) -> RefreshOutcome:
    lines = ["dry run: nothing is written or moved"]
    for c in candidates:
        if c.accepted:
            lines.append(
                f"would import {changes.plain(c.name)}: {len(c.rows)} values of {len({r['series_id'] for r in c.rows})} series"
            )
        elif c.note and c.path is not None:
            lines.append(f"would move {changes.plain(c.name)} to processed/: {c.note}")
        elif c.note:
            lines.append(f"{c.name}: nothing new")
    lines += [
        f"would reject {changes.plain(r['file'])}:\n  " + "\n  ".join(changes.plain(p) for p in r["problems"])
        for r in rejected
    ]
    lines += [f"source failed: {changes.plain(s['error'])}" for s in failed_sources]
    lines.append(f"would run plans: {', '.join(plan_ids) or 'none'} (unless nothing changed)")
    code = EXIT_PARTIAL if rejected or failed_sources else EXIT_OK
    summary = {
        "would_import": [c.name for c in accepted],
        "rejected": rejected,
        "failed_sources": failed_sources,
        "plans": plan_ids,
    }
    return RefreshOutcome("dry_run", code, None, summary, [], lines)


__all__ = [
    "run_refresh",
    "RefreshOutcome",
    "RefreshBusy",
    "ConfigError",
    "ImportFailed",
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_PARTIAL",
    "EXIT_BUSY",
]
