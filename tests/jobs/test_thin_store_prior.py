"""A store holding a few short series: the run leans on the reference prior of short histories, and
the report and the workbook say what each probability rests on and warn that the evidence is thin."""

from __future__ import annotations

import pytest
import yaml
from openpyxl import load_workbook

from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan, save_run
from forecast.report import build_report, write_report
from forecast.schema import Plan
from forecast.store import Store


@pytest.fixture()
def thin(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'forecast.db'}")
    (tmp_path / "ind.yaml").write_text(
        yaml.safe_dump(
            {
                "indicators": [
                    {"id": "x:pass_rate", "unit": "%", "direction": "higher", "lower": 0, "upper": 100},
                    {"id": "x:output", "unit": "万元", "direction": "higher", "lower": 0},
                ]
            }
        ),
        encoding="utf-8",
    )
    rows = [("x:pass_rate", 2012 + i, v) for i, v in enumerate((94.7, 95.9, 96.8, 96.6, 97.1))]
    rows += [("x:output", 2012 + i, v) for i, v in enumerate((120, 131, 139, 152, 160))]
    (tmp_path / "obs.csv").write_text(
        "series_id,ds,y\n" + "".join(f"{s},{y},{v}\n" for s, y, v in rows), encoding="utf-8"
    )
    import_file(store, tmp_path / "obs.csv", tmp_path / "ind.yaml")
    store.save_plan(
        Plan(
            id="p",
            targets=[
                {
                    "id": "rate",
                    "indicator": "pass rate",
                    "indicator_en": "pass rate",
                    "comparator": ">=",
                    "value": 96,
                    "unit": "%",
                    "year": 2020,
                    "series_id": "x:pass_rate",
                },
                {
                    "id": "out",
                    "indicator": "output",
                    "indicator_en": "output",
                    "comparator": ">=",
                    "value": 200,
                    "unit": "万元",
                    "year": 2020,
                    "series_id": "x:output",
                },
            ],
        )
    )
    return store


def test_a_thin_store_uses_the_prior_and_the_report_says_so(thin, tmp_path):
    run = run_plan(thin, "p", models=["rw_drift", "theta"], n_paths=400)
    save_run(thin, run)
    basis = run.settings["basis"]["x:pass_rate"]
    assert basis["source"] in ("prior", "prior+local") and basis["k"] == 5 and basis["thin"]
    assert basis["prior_windows"] >= 100 and basis["local_points"] < 50
    # The interval stays within what such a rate can do: the prior, not three back-test points, sets it.
    (fan,) = [f for f in run.fans if f["series_id"] == "x:pass_rate" and f["period"] == "2020"]
    assert 80 < fan["quantiles"]["0.025"] < fan["quantiles"]["0.975"] <= 100

    report = build_report(thin, run.run_id, lang="en", charts=False)
    assert {v.target.id for v in report.thin} == {"rate", "out"}
    md, xlsx = write_report(report, tmp_path / "out", ("md", "xlsx"))
    text = md.read_text(encoding="utf-8")
    assert "Thin evidence behind the probabilities of these targets" in text
    assert text.count("Calibration rests on the reference prior of short histories (5 yearly points") == 2
    assert "Coverage of the short back-tests as the prior of short histories calibrates them" in text
    sheet = load_workbook(xlsx)["summary"]
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert sum("reference prior of short histories" in c and "Thin evidence" in c for c in cells) == 2

    zh = build_report(thin, run.run_id, lang="zh", charts=False)
    assert all("短序列参考先验" in v.basis and "证据薄弱" in v.basis for v in zh.thin)


def test_without_the_prior_the_run_says_it_rests_on_its_own_back_tests(thin, monkeypatch):
    import forecast.evaluation.combine as combine

    monkeypatch.setattr(combine, "default_prior", lambda: None)
    run = run_plan(thin, "p", models=["rw_drift", "theta"], n_paths=300)
    basis = run.settings["basis"]["x:pass_rate"]
    assert basis["source"] == "local" and basis["thin"]
