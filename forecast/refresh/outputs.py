"""What a refresh leaves for people: its reports, moved into reports/ whole, the change summary
files and the lines it prints."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Optional

from forecast.io import write_atomic
from forecast.refresh import changes
from forecast.store import Store
from forecast.workspace import Workspace


def write_reports(
    ws: Workspace,
    store: Store,
    run_id: str,
    langs: list[str],
    refresh_id: str,
    tracking_problem: Optional[str] = None,
    by: Optional[str] = None,
) -> list[Path]:
    """Reports rendered in a staging folder, then renamed into reports/ (a rename is atomic)."""
    from forecast.report import build_report, write_report

    staging = ws.reports_dir / f".staging-{refresh_id}"
    staging.mkdir(parents=True, exist_ok=True)
    _reuse_fonts(ws.reports_dir, staging)
    out = []
    for lang in langs:
        for path in write_report(
            build_report(store, run_id, lang=lang, tracking_problem=tracking_problem), staging, by=by
        ):
            if path.suffix == ".md":  # its chart folder first, so the page never points at nothing
                charts = path.with_name(path.stem + "_charts")
                if charts.exists():
                    target = ws.reports_dir / charts.name
                    shutil.rmtree(target, ignore_errors=True)
                    os.replace(charts, target)
                    out.append(target)
            if path.suffix == ".html":  # the shared font it links, before the page (once per folder)
                _publish_fonts(staging, ws.reports_dir)
            os.replace(path, ws.reports_dir / path.name)
            out.append(ws.reports_dir / path.name)
    shutil.rmtree(staging, ignore_errors=True)
    return out


def _reuse_fonts(reports_dir: Path, staging: Path) -> None:
    """The published shared font, copied into the staging folder so it is not subset again."""
    from forecast.report.fonts import FONT_DIR, shared_font_name

    published = reports_dir / FONT_DIR / shared_font_name()
    staged = staging / FONT_DIR / published.name
    if published.exists() and not staged.exists():
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(published, staged)


def _publish_fonts(staging: Path, reports_dir: Path) -> None:
    from forecast.report.fonts import FONT_DIR

    for font in (staging / FONT_DIR).glob("*"):
        target = reports_dir / FONT_DIR / font.name
        if not target.exists():  # named by its content's hash: an existing file is the same file
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(font, target)


def write_summary(ws: Workspace, refresh_id: str, summary: dict) -> list[Path]:
    import json

    folder = ws.root / "refresh" / refresh_id
    folder.mkdir(parents=True, exist_ok=True)
    text_json = json.dumps(summary, ensure_ascii=False, indent=2, default=str)
    text_md = changes.to_markdown(summary)
    out = []
    for name, text in (("summary.json", text_json), ("summary.md", text_md)):
        write_atomic(folder / name, text)
        write_atomic(ws.root / "refresh" / f"latest.{name.split('.')[1]}", text)
        out.append(folder / name)
    return out


def describe(summary: dict, files: list[Path]) -> list[str]:
    data = summary.get("new_data") or {}
    lines = [
        f"refresh {summary['refresh_id']}: {data.get('points', 0)} new values in "
        f"{len(data.get('series', {}))} series; {len(summary['plans'])} plan(s) run"
    ]
    for t in changes.band_changes(summary):
        lines.append(f"  band changed: {t['plan']}/{t['target_id']}: {t['previous_band']} -> {t['band']}")
    lines += [
        f"  note: {changes.plain(s['source'])}: {changes.plain(n)}"
        for s in data.get("sources", [])
        for n in s.get("notes", [])
    ]
    lines += [
        f"  rejected {changes.plain(r['file'])}: " + changes.plain("; ".join(r["problems"][:3]))
        for r in summary["rejected"]
    ]
    lines += [f"  source failed: {changes.plain(s['error'])}" for s in summary["failed_sources"]]
    lines += [f"  plan failed: {p['plan']}: {p['error']}" for p in summary["failed_plans"]]
    lines += [f"  series failed: {s['series_id']} ({s['plan']}): {s['why']}" for s in summary["failed_series"]]
    lines += [f"  report failed: run {r['run_id']}: {r['error']}" for r in summary["failed_reports"]]
    failed = summary["tracking"]["failed"]
    if failed:
        lines.append(f"  tracking failed for {len(failed)} run(s): {failed[0]['error']} (the next refresh logs them)")
    lines += [f"summary: {p}" for p in files if p.name == "summary.md"]
    return lines
