"""A target in one unit on a series in another: converted for the run, and reported in the right units."""

from __future__ import annotations

import pytest
import yaml

from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan, save_run
from forecast.report import build_report, write_report
from forecast.report.wording import message, note
from forecast.schema import Plan
from forecast.store import Store


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("units")
    store = Store(f"sqlite:///{tmp / 'forecast.db'}")
    (tmp / "ind.yaml").write_text(
        yaml.safe_dump(
            {
                "indicators": [
                    {
                        "id": "x:rate",
                        "name_zh": "抽检合格率",
                        "unit": "%",
                        "direction": "higher",
                        "lower": 0,
                        "upper": 100,
                    },
                    {"id": "x:pm", "name_zh": "PM2.5", "unit": "µg/m³", "direction": "lower", "lower": 0},
                ]
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    rows = ["series_id,ds,y"] + [f"x:rate,{2008 + i},{v}" for i, v in enumerate([88.0, 89.1, 90.3, 90.2, 91.0, 91.8])]
    rows += [f"x:pm,{2008 + i},{v}" for i, v in enumerate([90, 86, 85, 80, 77, 71])]
    (tmp / "obs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(store, tmp / "obs.csv", tmp / "ind.yaml")
    store.save_plan(
        Plan(
            id="units",
            targets=[
                {
                    "id": "permille",
                    "indicator": "抽检合格率",
                    "comparator": ">=",
                    "value": 950,
                    "unit": "‰",
                    "year": 2016,
                    "series_id": "x:rate",
                },
                {
                    "id": "percent",
                    "indicator": "抽检合格率",
                    "comparator": ">=",
                    "value": 95,
                    "unit": "%",
                    "year": 2016,
                    "series_id": "x:rate",
                },
                {
                    "id": "wrong",
                    "indicator": "PM2.5",
                    "comparator": "<=",
                    "value": 35,
                    "unit": "%",
                    "year": 2016,
                    "series_id": "x:pm",
                },
            ],
        )
    )
    run = run_plan(store, "units", models=["rw_drift"], n_paths=400)
    save_run(store, run)
    return store, run, tmp


def test_a_converted_target_is_the_same_target(converted):
    _, run, _ = converted
    a = {x.target_id: x for x in run.assessments}
    assert a["permille"].threshold == pytest.approx(95.0) and a["permille"].probability == a["percent"].probability
    assert any("950 ‰ converted to 95 %" in note(n, "en") for n in a["permille"].notes)
    assert a["wrong"].status.value == "unit_mismatch" and "does not convert to the series'" in message(
        a["wrong"].to_dict(), "en"
    )


def test_report_states_forecast_numbers_in_the_series_unit(converted, tmp_path):
    store, run, _ = converted
    report = build_report(store, run.run_id, lang="zh", charts=False)
    view = next(v for v in report.targets if v.target.id == "permille")
    assert view.unit == "%" and "950 ‰" in view.goal  # the goal as the plan states it; numbers as the series has them
    html = write_report(report, tmp_path, formats=("html",))[0].read_text(encoding="utf-8")
    assert "(%)</caption>" in html and "(‰)</caption>" not in html
    assert "单位不一致" in html  # the refused target is listed with its state


def test_workbook_states_the_unit_and_the_notes(converted, tmp_path):
    from openpyxl import load_workbook

    store, run, _ = converted
    path = write_report(build_report(store, run.run_id, lang="en", charts=False), tmp_path, formats=("xlsx",))[0]
    sheet = next(ws for ws in load_workbook(path) if any(c.value == "permille" for c in ws["B"]))
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Forecast table (%)" in cells
    assert any("950 ‰ converted to 95 %" in c for c in cells)  # the note travels with the numbers
