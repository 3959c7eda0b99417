"""`forecast history TARGET` and the report's probability trend, from runs kept across refreshes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.jobs.history import target_history
from forecast.refresh.job import run_refresh
from forecast.report import build_report, write_report
from forecast.targets.feasibility import format_probability
from tests.refresh.workspace import config_of, make_workspace, observations_csv

runner = CliRunner()


def _two_refreshes(tmp_path, store_url):
    ws, store, config, inbox = make_workspace(tmp_path, store_url)
    first = run_refresh(ws, store, config_of(config))
    (inbox / "up.csv").write_text(
        observations_csv([("t:pass", 2021 + i, 93.0 + i) for i in range(4)]), encoding="utf-8"
    )
    second = run_refresh(ws, store, config_of(config))
    return ws, store, first, second


def test_history_follows_the_target_across_refreshes(store_url, tmp_path):
    ws, store, first, second = _two_refreshes(tmp_path, store_url)
    points = target_history(store, "pass_2030")
    assert [p.refresh_id for p in points] == [first.refresh_id, second.refresh_id]
    expected = [
        next(t["probability"] for t in s.summary["plans"][0]["targets"] if t["target_id"] == "pass_2030")
        for s in (first, second)
    ]
    assert [p.probability for p in points] == expected
    assert points[1].result["latest_year"] == 2024 and points[0].result["latest_year"] == 2020
    assert all(p.median is not None and p.interval80[0] <= p.median <= p.interval80[1] for p in points)
    with pytest.raises(LookupError, match="no plan in the store has a target 'nope'"):
        target_history(store, "nope")
    with pytest.raises(LookupError, match="plan 'plan-b' has no target 'pass_2030'"):
        target_history(store, "pass_2030", "plan-b")
    store.engine.dispose()


def test_history_command_prints_the_table_and_writes_the_chart(tmp_path):
    ws, store, first, second = _two_refreshes(tmp_path, f"sqlite:///{tmp_path / 'ws' / 'forecast.db'}")
    result = runner.invoke(app, ["--workspace", str(ws.root), "history", "pass_2030"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    runs = [p["run_id"] for s in (first, second) for p in s.summary["plans"] if p["plan"] == "plan-a"]
    assert runs[0] in lines[1] and runs[1] in lines[2]
    p = [
        next(t["probability"] for t in s.summary["plans"][0]["targets"] if t["target_id"] == "pass_2030")
        for s in (first, second)
    ]
    assert format_probability(p[1]) in lines[2] and f"({(p[1] - p[0]) * 100:+.0f})" in lines[2]
    chart = ws.reports_dir / "history-plan-a-pass_2030.png"
    assert lines[-1] == f"chart: {chart}" and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    not_in_plan = runner.invoke(app, ["--workspace", str(ws.root), "history", "pm25_2030", "--plan", "plan-b"])
    assert not_in_plan.exit_code == 1 and "has no target" in not_in_plan.output
    store.engine.dispose()


def test_report_shows_each_targets_probability_trend(tmp_path):
    ws, store, first, second = _two_refreshes(tmp_path, f"sqlite:///{tmp_path / 'forecast.db'}")
    old = build_report(store, first.summary["plans"][0]["run_id"], lang="en", charts=False)
    assert old.trend is None  # a first run has no trend
    report = build_report(store, second.summary["plans"][0]["run_id"], lang="en", charts=False)
    assert len(report.trend["columns"]) == 2
    row = next(r for r in report.trend["rows"] if r["name"] == "pass rate")
    probs = [
        next(t["probability"] for t in s.summary["plans"][0]["targets"] if t["target_id"] == "pass_2030")
        for s in (first, second)
    ]
    assert row["cells"] == [format_probability(p) for p in probs]
    html, md = write_report(report, tmp_path / "out")
    assert "P(met) across runs" in html.read_text(encoding="utf-8")
    cells = [c.replace("<", "&lt;").replace(">", "&gt;") for c in row["cells"]]  # Markdown shows inline HTML as HTML
    assert f"| pass rate | {cells[0]} | {cells[1]} |" in md.read_text(encoding="utf-8")
    store.engine.dispose()
