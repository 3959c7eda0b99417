"""From a plan document to a report in three commands: `plan workbook`, `data import`, `run`.

The plan file comes from the shipped 江油 plan document through `plan extract`; the workbook is filled
by this test through openpyxl (cells typed as a person's Excel saves them) and imported; every
indicator filled in must end linked and assessed in numbers, in the store and in the report.
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.ingest.workbook.write import FIRST_YEAR_COL, ID_COL, UNIT_COL
from forecast.store import Store
from forecast.workspace import Workspace
from tests.conftest import DATA

DOCUMENT = DATA / "plans" / "documents" / "jiangyou_2020.txt"
ASSESSED = {"forecast", "already_met", "observed"}
# Wording in the plan -> values 2010..2015 as the city's bulletins might give them (None: a year without data)
FILL = {
    "食品药品抽检合格率": [90.2, 91.0, None, 92.4, 93.1, 94.0],
    "工业产品监督抽查合格率": [88.0, 88.9, 89.5, 90.1, None, 91.2],
    "森林覆盖率": [45.0, 45.6, 46.0, 46.5, 46.8, 47.1],
    "地区生产总值": [210.5, 245.1, 270.3, 301.0, 322.4, 341.6],
    "居民人均可支配收入": [12000, 13500, 15100, 16800, 18300, 19900],  # the plan gives no unit: typed below
}
MONTHLY_PM25 = {year: [70 - 2 * (year - 2013) + (m % 6) for m in range(12)] for year in (2013, 2014, 2015)}


@pytest.fixture(scope="module")
def path_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workbook_path")
    ws = Workspace(tmp / "ws")
    runner = CliRunner()

    def cli(*args):
        result = runner.invoke(app, ["--workspace", str(ws.root), *args])
        assert result.exit_code == 0, result.output
        return result.output

    plan_file = tmp / "jiangyou.yaml"
    cli("plan", "extract", str(DOCUMENT), "-o", str(plan_file))
    book_path = tmp / "江油-数据填报.xlsx"
    out = cli("plan", "workbook", str(plan_file), "-o", str(book_path))
    assert "forecast data import" in out
    filled = tmp / "江油-数据填报-已填.xlsx"
    ids = _fill(book_path, filled)
    imported = cli("data", "import", str(filled))
    ran = cli("run", "jiangyou", "--paths", "200", "--no-track", "--no-progress")
    return Store(ws.ensure().db_url), ids, imported, ran


def _fill(path, out) -> set[str]:
    """Type the values into the workbook as a person would, and return the ids of the rows filled."""
    book = load_workbook(path)
    ws = book["年度数据"]
    filled = set()
    for r in range(4, ws.max_row + 1):
        name, sid = ws.cell(row=r, column=3).value, ws.cell(row=r, column=ID_COL).value
        if name in FILL and not str(sid).startswith("target:"):
            for j, v in enumerate(FILL[name]):
                ws.cell(row=r, column=FIRST_YEAR_COL + j).value = v
            ws.cell(row=r, column=ws.max_column - 1).value = "江油市统计公报"
            if not ws.cell(row=r, column=UNIT_COL).value:
                ws.cell(row=r, column=UNIT_COL).value = "元"
            filled.add(sid)
    ms = book["月度数据"]
    for r in range(4, ms.max_row + 1):
        year = ms.cell(row=r, column=7).value
        if year in MONTHLY_PM25:
            for m, v in enumerate(MONTHLY_PM25[year]):
                ms.cell(row=r, column=FIRST_YEAR_COL + m).value = v
            filled.add(ms.cell(row=r, column=ID_COL).value)
    book.save(out)
    assert len(filled) == len(FILL) + 1
    return filled


def test_every_filled_indicator_is_linked_and_assessed(path_run):
    store, ids, imported, _ = path_run
    assert "plan jiangyou:" in imported and "targets linked" in imported
    plan = store.plan("jiangyou")
    linked = {t.id: t.series_id for t in plan.targets if t.series_id}
    assert set(linked.values()) == ids  # each filled row, and nothing else
    run = store.run(plan_id="jiangyou")
    results = {a["target_id"]: a for a in store.assessments(run["id"])}
    for target_id, sid in linked.items():
        assert results[target_id]["status"] in ASSESSED, (target_id, results[target_id])
        assert results[target_id]["series_id"] == sid
    pm25 = next(t for t in plan.targets if "pm2.5" in t.indicator.lower())
    assert linked[pm25.id].endswith(":monthly") and results[pm25.id]["latest_year"] == 2015
    food = next(t for t in plan.targets if t.indicator == "食品药品抽检合格率")
    assert results[food.id]["n_points"] == 5  # 2012 left blank: missing, not zero
    assert store.indicators()[linked[food.id]].upper == 100


def test_report_shows_them_and_points_to_the_workbook_for_the_rest(path_run):
    store, ids, _, ran = path_run
    reports = re.findall(r"report: (\S+\.md)", ran)
    text = open(reports[0], encoding="utf-8").read()
    assessed, unassessed = text.split("## 未量化评估的目标", 1)
    for name in FILL:
        assert re.search(rf"^## \d+\. {name} ", assessed, re.M), name  # a section of its own
    assert "城区pm2.5年均浓度" in assessed
    # what is still missing says which indicator and years to fill, and where
    hint = re.search(
        r"\| 全社会固定资产投资 \|.*补充数据:在数据填报表中填写“全社会固定资产投资” 2010–20\d\d 年的数值.*"
        r"forecast plan workbook jiangyou",
        unassessed,
    )
    assert hint, unassessed[:2000]
