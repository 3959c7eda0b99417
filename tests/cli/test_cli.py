"""The CLI through its real entry point (Typer's CliRunner on the installed app)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from forecast.cli.main import app
from tests.conftest import DATA

runner = CliRunner()


def invoke(ws, *args):
    return runner.invoke(app, ["--workspace", str(ws), *map(str, args)])


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("data", "plan", "run", "report", "ui", "demo", "refresh", "history", "replay", "schedule"):
        assert command in result.output


def test_help_imports_no_heavy_library():
    code = (
        "import sys, forecast.cli.main as m; "
        "print(','.join(x for x in ('pandas', 'numpy', 'sqlalchemy', 'mlflow', 'statsmodels', 'prophet', "
        "'matplotlib', 'sklearn') if x in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_bad_import_exits_nonzero_and_names_the_place(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("series_id,ds,y\ncn_national:food_safety_sampling_pass_rate,2015,105\n", encoding="utf-8")
    result = invoke(tmp_path / "ws", "data", "import", bad, "--indicators", DATA / "indicators.yaml")
    assert result.exit_code == 1
    assert f"{bad}, row 2, column 'y'" in result.output and "above the upper bound 100" in result.output
    listed = invoke(tmp_path / "ws", "data", "list")
    assert listed.exit_code == 0 and listed.output.strip() == ""


def test_import_list_show_plan_and_run(tmp_path):
    ws = tmp_path / "ws"
    ok = invoke(
        ws,
        "data",
        "import",
        DATA / "observations" / "china_indicators_annual.csv",
        "--indicators",
        DATA / "indicators.yaml",
    )
    assert ok.exit_code == 0, ok.output
    assert "imported 73 observations of 9 series" in ok.output
    assert (
        "already imported" in invoke(ws, "data", "import", DATA / "observations" / "china_indicators_annual.csv").output
    )
    listed = invoke(ws, "data", "list").output
    assert "beijing:pm25_annual" in listed and "13 obs" in listed
    shown = invoke(ws, "data", "show", "beijing:pm25_annual", "--as-of", "2015").output
    assert "2015\t80.6" in shown and "2016" not in shown.split("}")[-1]
    assert invoke(ws, "plan", "import", DATA / "plans" / "replays.yaml").exit_code == 0
    assert "replays" in invoke(ws, "plan", "list").output
    assert "beijing_pm25_2017" in invoke(ws, "plan", "show", "replays").output
    run = invoke(ws, "run", "replays", "--as-of", "2015", "--paths", "300", "--no-track", "--lang", "en")
    assert run.exit_code == 0, run.output
    assert "beijing_pm25_2017" in run.output and "report:" in run.output
    report = invoke(ws, "report", "--plan", "replays", "--lang", "en", "--format", "md")
    assert report.exit_code == 0 and report.output.strip().endswith(".en.md")


def test_errors_are_messages_not_tracebacks(tmp_path):
    ws = tmp_path / "ws"
    missing = invoke(ws, "run", "no-such-plan")
    assert missing.exit_code == 1 and "no plan 'no-such-plan'" in missing.output
    assert invoke(ws, "report").exit_code == 1
    bad_plan = tmp_path / "p.yaml"
    bad_plan.write_text("targets: 3\n", encoding="utf-8")
    result = invoke(ws, "plan", "import", bad_plan)
    assert result.exit_code == 1 and str(bad_plan) in result.output
    assert invoke(ws, "run", "x", "--as-of", "last spring").exit_code != 0


@pytest.mark.parametrize("models", ["nope", "rw_drift,nope"])
def test_unknown_model_is_refused(tmp_path, models):
    ws = tmp_path / "ws"
    invoke(ws, "plan", "import", DATA / "plans" / "replays.yaml")
    result = invoke(ws, "run", "replays", "--models", models, "--no-track")
    assert result.exit_code == 1 and "unknown model 'nope'" in result.output


def test_plan_show_history_replays_and_progress_lines(tmp_path):
    ws = tmp_path / "ws"
    assert (
        invoke(
            ws,
            "data",
            "import",
            DATA / "observations" / "china_indicators_annual.csv",
            "--indicators",
            DATA / "indicators.yaml",
        ).exit_code
        == 0
    )
    assert invoke(ws, "plan", "import", DATA / "plans" / "replays.yaml").exit_code == 0
    shown = invoke(ws, "plan", "show", "replays").output
    row = next(line for line in shown.splitlines() if "beijing_pm25_2017" in line)
    # indicator in the plan's words, comparator and value, year, attribute and the linked series
    for words in ("北京市PM2.5年均浓度", "<= 60 µg/m³", "2017", "约束性", "beijing:pm25_annual"):
        assert words in row, row
    # --progress when standard error is not a terminal: log lines, not a bar of control characters
    run = invoke(ws, "run", "replays", "--as-of", "2015", "--paths", "200", "--no-track", "--progress")
    assert run.exit_code == 0, run.output
    assert "back-testing" in run.stderr and "simulating" in run.stderr and "\x1b[" not in run.stderr
    assert "back-testing" not in run.stdout  # standard output stays the run's summary
    assert invoke(ws, "run", "replays", "--paths", "200", "--no-track").exit_code == 0
    plain = invoke(ws, "history", "beijing_pm25_2017", "--chart", tmp_path / "h.png")
    assert plain.exit_code == 0, plain.output
    assert "as of 20" not in plain.output  # replays only when asked
    replays = invoke(ws, "history", "beijing_pm25_2017", "--replays", "--chart", tmp_path / "h.png")
    lines = replays.output.splitlines()
    assert replays.exit_code == 0 and any("latest data" in line for line in lines[1:])
    replay = next(line for line in lines if "as of 2015-12-31" in line)
    assert re.search(r"\d+%", replay) and not re.search(r"about_even|very_likely|very_unlikely|_likely", replay)
