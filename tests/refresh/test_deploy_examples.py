"""The scheduling examples `forecast schedule` prints are valid: the cron line parses and its command
runs, the systemd units pass `systemd-analyze verify`, the Kubernetes CronJob validates against the
bundled Kubernetes schemas (offline), and the configuration examples load."""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.deploy import EXAMPLES, example
from forecast.refresh.config import load_config

runner = CliRunner()
ENV_NAMES = {"FORECAST_WORKSPACE", "FORECAST_DB_URL", "MLFLOW_TRACKING_URI"}


def test_schedule_prints_every_example_and_refuses_unknown_names():
    for name in EXAMPLES:
        result = runner.invoke(app, ["schedule", name])
        assert result.exit_code == 0 and result.output == example(name)
    bad = runner.invoke(app, ["schedule", "windows"])
    assert bad.exit_code == 1 and "choose one of" in bad.output


def test_cron_line_parses_and_its_command_runs(tmp_path):
    from croniter import croniter

    lines = [ln for ln in example("cron").splitlines() if ln.strip() and not ln.startswith("#")]
    env = dict(ln.split("=", 1) for ln in lines if "=" in ln.split()[0])
    assert set(env) == ENV_NAMES
    (job,) = [ln for ln in lines if "=" not in ln.split()[0]]
    fields = job.split(None, 5)
    schedule, command = " ".join(fields[:5]), fields[5]
    assert croniter.is_valid(schedule)
    assert croniter(schedule, dt.datetime(2026, 1, 15)).get_next(dt.datetime) == dt.datetime(2026, 2, 2, 3, 30)
    argv = shlex.split(command.split(">>")[0])
    assert argv[0].endswith("/forecast") and argv[1] == "refresh"
    config = tmp_path / "refresh.yaml"
    config.write_text("langs: [en]\n", encoding="utf-8")
    args = [str(config) if a.endswith("refresh.yaml") else a for a in argv[1:]]
    result = runner.invoke(app, ["--workspace", str(tmp_path / "ws"), *args, "--dry-run"])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_units_verify(tmp_path):
    forecast = Path(sys.executable).with_name("forecast")
    assert forecast.exists()
    service = example("systemd-service").replace("/srv/forecast/.venv/bin/forecast", str(forecast))
    (tmp_path / "forecast-refresh.service").write_text(service, encoding="utf-8")
    (tmp_path / "forecast-refresh.timer").write_text(example("systemd-timer"), encoding="utf-8")
    ok = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            str(tmp_path / "forecast-refresh.service"),
            str(tmp_path / "forecast-refresh.timer"),
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    # the verifier does catch a broken unit
    (tmp_path / "forecast-refresh.service").write_text(service.replace("ExecStart=", "ExecStrat="), encoding="utf-8")
    broken = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "forecast-refresh.service")], capture_output=True, text=True
    )
    assert broken.returncode != 0
    assert "SuccessExitStatus=75" in service and "Environment=FORECAST_WORKSPACE=" in service


def test_systemd_timer_runs_monthly():
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed")
    line = next(ln for ln in example("systemd-timer").splitlines() if ln.startswith("OnCalendar="))
    out = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations", "2", line.split("=", 1)[1]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-02 03:30:00" in out


def test_kubernetes_cronjob_validates_offline():
    import kubernetes_validate

    docs = list(yaml.safe_load_all(example("kubernetes")))
    version = kubernetes_validate.latest_version()
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)
    config_map, cron = docs
    assert cron["kind"] == "CronJob" and cron["spec"]["concurrencyPolicy"] == "Forbid"
    job = cron["spec"]["jobTemplate"]["spec"]
    rules = {tuple(r["onExitCodes"]["values"]): r["action"] for r in job["podFailurePolicy"]["rules"]}
    assert rules[(75,)] == "Ignore"
    pod = job["template"]["spec"]
    (container,) = pod["containers"]
    assert {e["name"] for e in container["env"]} == ENV_NAMES
    command = container["command"]
    assert command[:3] == ["forecast", "refresh", "--config"]
    mount = next(m for m in container["volumeMounts"] if m["name"] == "config")["mountPath"]
    key = Path(command[3]).relative_to(mount).as_posix()
    assert key in config_map["data"]
    broken = dict(cron, spec=dict(cron["spec"], concurrencyPolicy=7))
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, version, strict=True)


def test_configuration_examples_load(tmp_path):
    path = tmp_path / "refresh.yaml"
    path.write_text(example("config"), encoding="utf-8")
    config = load_config(path)
    assert config.drop_folder == tmp_path / "inbox" and config.indicators == tmp_path / "indicators.yaml"
    assert config.sql[0].name == "stats_bureau"
    in_cluster = yaml.safe_load_all(example("kubernetes"))
    path.write_text(next(in_cluster)["data"]["refresh.yaml"], encoding="utf-8")
    assert load_config(path).drop_folder == Path("/workspace/inbox")


def test_bad_configuration_names_file_and_key(tmp_path):
    path = tmp_path / "refresh.yaml"
    path.write_text("drop_folder: inbox\nn_paths: 5\nsurprise: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["--workspace", str(tmp_path / "ws"), "refresh", "--config", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.output and "n_paths" in result.output and "surprise" in result.output
