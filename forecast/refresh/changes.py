"""What a refresh changed, for the planners: a JSON document and the same as Markdown.

New data points (new periods and revisions) per series, targets whose likelihood band changed,
probability deltas against the plan's previous run, and everything that failed: rejected files,
unreadable sources, plans that could not run, series no model could forecast, tracking.
"""

from __future__ import annotations

import unicodedata
from typing import Optional

from forecast.report import wording
from forecast.schema import Attribute
from forecast.store import Store
from forecast.targets.feasibility.bands import format_probability, warned
from forecast.targets.feasibility.types import Status


def data_changes(batches: list[dict], before: dict[str, dict[str, float]]) -> dict:
    """Per series, how many values are new periods and how many revise a stored value.

    `batches`: [{"source", "rows"}] ; `before`: series -> period -> value known before the refresh.
    """
    per_series: dict[str, dict[str, int]] = {}
    sources = []
    for batch in batches:
        sources.append(
            {"source": batch["source"], "rows": len(batch["rows"])}
            | ({"notes": batch["notes"]} if batch.get("notes") else {})
        )
        for r in batch["rows"]:
            kind = "revised" if r["period"] in before.get(r["series_id"], {}) else "new"
            per_series.setdefault(r["series_id"], {"new": 0, "revised": 0})[kind] += 1
    return {"points": sum(s["rows"] for s in sources), "sources": sources, "series": dict(sorted(per_series.items()))}


def plan_changes(store: Store, plan_id: str, run_id: str, results: list[dict], previous_run: Optional[dict]) -> dict:
    """Each target's probability, band and place on the 预警 (early warning) list beside the plan's previous run."""
    before = {a["target_id"]: a for a in store.assessments(previous_run["id"])} if previous_run else {}
    binding = {t.id for t in store.plan(plan_id).targets if t.attribute is Attribute.binding}
    targets = []
    for r in results:
        old = before.get(r["target_id"], {})
        p, q = r.get("probability"), old.get("probability")
        now_warned = warned(r, r["target_id"] in binding)
        was_warned = bool(old) and warned(old, r["target_id"] in binding)
        targets.append(
            {
                "warned": now_warned,
                "previously_warned": was_warned if previous_run else None,
                "warning_changed": bool(previous_run) and now_warned != was_warned,
                "target_id": r["target_id"],
                "status": r["status"],
                "probability": p,
                "previous": q,
                "delta": None if p is None or q is None else p - q,
                "band": r.get("band"),
                "previous_band": old.get("band"),
                "band_changed": bool(previous_run) and r.get("band") != old.get("band"),
            }
        )
    return {
        "plan": plan_id,
        "run_id": run_id,
        "previous_run_id": previous_run["id"] if previous_run else None,
        "targets": targets,
    }


def series_failures(plan_id: str, result) -> tuple[list[dict], list[dict]]:
    """(series no model could forecast, single model failures) of a RunResult."""
    failed = [
        {"plan": plan_id, "target_id": a.target_id, "series_id": a.series_id, "why": wording.message(a.to_dict(), "en")}
        for a in result.assessments
        if a.status is Status.model_failed
    ]
    models = [
        {"plan": plan_id, "series_id": sid, "model": m, "error": why}
        for sid, s in result.series.items()
        for m, why in s.failures.items()
    ]
    return failed, models


def has_problems(summary: dict) -> bool:
    tracking = summary.get("tracking") or {}
    return bool(
        summary.get("rejected")
        or summary.get("failed_sources")
        or summary.get("failed_plans")
        or summary.get("failed_series")
        or summary.get("failed_reports")
        or tracking.get("failed")
    )


def band_changes(summary: dict) -> list[dict]:
    return [dict(t, plan=p["plan"]) for p in summary.get("plans", []) for t in p["targets"] if t["band_changed"]]


def warning_changes(summary: dict) -> list[dict]:
    """Targets that entered or left a plan's 预警 (early warning) list in this refresh."""
    return [dict(t, plan=p["plan"]) for p in summary.get("plans", []) for t in p["targets"] if t.get("warning_changed")]


def md(value) -> str:
    """Text from outside (a file name, an error, an id) safe in Markdown: inline HTML and link syntax escaped,
    table pipes escaped, and on one line (a newline in a file name cannot start a new line)."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("`", "\\`")
    return "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)


def plain(value) -> str:
    """Text from outside for a terminal line: control characters (newlines, escape sequences) shown escaped."""
    text = "" if value is None else str(value)
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def to_markdown(summary: dict) -> str:
    def pct(x):
        return "—" if x is None else format_probability(x)

    def band(key):
        return wording.band(key, "en") if key else "—"

    lines = [
        f"# Refresh {summary['refresh_id']}",
        "",
        f"Started {summary['started_at']}, finished {summary.get('finished_at') or '—'}; "
        f"status: **{summary['status']}**.",
        "",
    ]
    data = summary.get("new_data") or {}
    lines += ["## New data", ""]
    if data.get("points"):
        lines += [
            f"{data['points']} values from {len(data['sources'])} source(s): "
            + ", ".join(f"{md(s['source'])} ({s['rows']})" for s in data["sources"]),
            "",
        ]
        notes = [f"- {md(s['source'])}: {md(n)}" for s in data["sources"] for n in s.get("notes", [])]
        lines += (notes + [""] if notes else []) + ["| Series | New periods | Revised |", "|---|---:|---:|"]
        lines += [f"| {md(sid)} | {c['new']} | {c['revised']} |" for sid, c in data["series"].items()]
    else:
        lines.append("No new values.")
    lines.append("")
    changed = band_changes(summary)
    lines += ["## Likelihood band changes", ""]
    if changed:
        lines += ["| Plan | Target | Before | Now | P before | P now |", "|---|---|---|---|---:|---:|"]
        lines += [
            f"| {md(t['plan'])} | {md(t['target_id'])} | {band(t['previous_band'])} | {band(t['band'])} | "
            f"{pct(t['previous'])} | {pct(t['probability'])} |"
            for t in changed
        ]
    else:
        lines.append("No target changed its likelihood band.")
    lines.append("")
    moved = warning_changes(summary)
    lines += [
        "## Early warning (预警) changes",
        "",
        "Binding (约束性) targets whose probability is below 66%, that are missed, or whose time-elapsed "
        "progress is behind schedule.",
        "",
    ]
    if moved:
        lines += ["| Plan | Target | Change | P now | Band now |", "|---|---|---|---:|---|"]
        lines += [
            f"| {md(t['plan'])} | {md(t['target_id'])} | {'entered 预警 (now warned)' if t['warned'] else 'left 预警'} | "
            f"{pct(t['probability'])} | {band(t['band'])} |"
            for t in moved
        ]
    else:
        lines.append("No target entered or left the early-warning list.")
    lines.append("")
    for plan in summary.get("plans", []):
        lines += [
            f"## Plan {md(plan['plan'])}",
            "",
            f"Run `{plan['run_id']}`"
            + (f", compared with `{plan['previous_run_id']}`" if plan["previous_run_id"] else ", the plan's first run")
            + ".",
            "",
            "| Target | P now | P before | Δ | Band |",
            "|---|---:|---:|---:|---|",
        ]
        for t in plan["targets"]:
            delta = "—" if t["delta"] is None else f"{t['delta'] * 100:+.1f} pt"
            lines.append(
                f"| {md(t['target_id'])} | {pct(t['probability'])} | {pct(t['previous'])} | {delta} | "
                f"{band(t['band']) if t['band'] else wording.status(t['status'], 'en')}"
                f"{' · 预警 early warning' if t.get('warned') else ''} |"
            )
        lines.append("")
    problems = []
    problems += [
        f"- rejected file {md(r['file'])}:\n" + "\n".join(f"  - {md(p)}" for p in r["problems"])
        for r in summary.get("rejected", [])
    ]
    problems += [f"- source failed: {md(s['error'])}" for s in summary.get("failed_sources", [])]
    problems += [f"- plan {md(p['plan'])} failed: {md(p['error'])}" for p in summary.get("failed_plans", [])]
    problems += [
        f"- series {md(s['series_id'])} ({md(s['plan'])}, {md(s['target_id'])}): {md(s['why'])}"
        for s in summary.get("failed_series", [])
    ]
    problems += [
        f"- report of run {md(r['run_id'])} failed: {md(r['error'])}" for r in summary.get("failed_reports", [])
    ]
    tracking = summary.get("tracking") or {}
    problems += [
        f"- tracking failed for run {md(t['run_id'])}: {md(t['error'])} (logged by the next refresh)"
        for t in tracking.get("failed", [])
    ]
    lines += ["## Problems", ""] + (problems or ["None."]) + [""]
    if summary.get("model_failures"):
        lines += ["## Single model failures (excluded from the mixture)", ""]
        lines += [
            f"- {md(m['series_id'])} ({md(m['plan'])}): {md(m['model'])} — {md(m['error'])}"
            for m in summary["model_failures"]
        ]
        lines.append("")
    if tracking.get("backfilled"):
        lines += ["## Tracking back-filled", "", ", ".join(f"`{r}`" for r in tracking["backfilled"]), ""]
    if summary.get("seconds"):
        lines += ["## Time", "", ", ".join(f"{k.replace('_', ' ')} {v:g} s" for k, v in summary["seconds"].items()), ""]
    if summary.get("reports"):
        lines += ["## Reports", ""] + [f"- {md(p)}" for p in summary["reports"]] + [""]
    return "\n".join(lines)
