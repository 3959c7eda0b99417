"""The model catalogue is found the same way from any folder, and a run records which file it used."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.forecasters import catalogue
from forecast.store import Store
from tests.conftest import DATA, ROOT

PROJECT_CATALOGUE = ROOT / "models" / "catalogue.yaml"


def test_the_installed_catalogue_is_the_projects_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no models/ folder here
    chosen = catalogue.load(catalogue.locate(None))
    project = yaml.safe_load(PROJECT_CATALOGUE.read_text(encoding="utf-8"))
    assert chosen.default == project["default"] and chosen.short == project["short"]
    assert set(chosen.candidates) == set(project["candidates"])
    assert Path(chosen.source).read_bytes() == PROJECT_CATALOGUE.read_bytes()


def test_a_workspace_catalogue_wins_over_the_installed_one(tmp_path):
    own = tmp_path / "models" / "catalogue.yaml"
    own.parent.mkdir()
    own.write_text("candidates:\n  rw_drift: {}\ndefault: [rw_drift]\n", encoding="utf-8")
    assert catalogue.locate(tmp_path) == own
    assert list(catalogue.load(catalogue.locate(tmp_path)).instantiate()) == ["rw_drift"]
    assert catalogue.locate(tmp_path / "elsewhere") == catalogue.installed()


def test_a_broken_catalogue_is_refused_with_its_file(tmp_path):
    bad = tmp_path / "catalogue.yaml"
    bad.write_text("candidates:\n  x: {model: no_such_model}\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="catalogue.yaml.*no_such_model"):
        catalogue.load(bad)


def test_forecast_run_from_another_folder_runs_and_records_the_project_catalogue(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert (
        runner.invoke(
            app,
            [
                "--workspace",
                str(ws),
                "data",
                "import",
                str(DATA / "observations" / "china_indicators_annual.csv"),
                "--indicators",
                str(DATA / "indicators.yaml"),
            ],
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(app, ["--workspace", str(ws), "plan", "import", str(DATA / "plans" / "replays.yaml")]).exit_code
        == 0
    )
    result = runner.invoke(
        app, ["--workspace", str(ws), "run", "replays", "--as-of", "2017", "--paths", "200", "--no-track"]
    )
    assert result.exit_code == 0, result.output
    run = Store(f"sqlite:///{ws / 'forecast.db'}").run(plan_id="replays")
    project = yaml.safe_load(PROJECT_CATALOGUE.read_text(encoding="utf-8"))
    assert run["settings"]["models_by_frequency"] == {**project["default"], "short": project["short"]}
    listed = [*project["default"].values(), project["short"]]
    assert run["settings"]["models"] == list(dict.fromkeys(n for names in listed for n in names))
    assert Path(run["settings"]["catalogue"]).read_bytes() == PROJECT_CATALOGUE.read_bytes()
