"""The fill-in workbook: what it asks for, how it guards the cells, and how a filled copy comes back."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from forecast.ingest.importer import ImportFailed
from forecast.ingest.workbook import import_workbook, is_workbook, plan_layout, write_workbook
from forecast.ingest.workbook.write import FIRST_YEAR_COL, ID_COL, MARKER_SHEET, UNIT_COL
from forecast.schema import Indicator, Plan

TODAY = dt.date(2026, 12, 1)


def _plan(**extra) -> Plan:
    targets = [
        {
            "id": "food.2020",
            "indicator": "食品抽检合格率",
            "comparator": ">=",
            "value": 95,
            "unit": "%",
            "year": 2020,
            "attribute": "约束性",
        },
        {
            "id": "food.keep",
            "indicator": "食品抽检合格率",
            "comparator": "maintain>=",
            "value": 93,
            "unit": "%",
            "year": 2020,
        },
        {
            "id": "pm25.2020",
            "indicator": "城区PM2.5年均浓度",
            "comparator": "<=",
            "value": 42,
            "unit": "µg/m³",
            "year": 2020,
        },
        {"id": "gdp.2020", "indicator": "地区生产总值", "comparator": ">=", "value": 490, "unit": "亿元", "year": 2020},
        {
            "id": "gdp.growth",
            "indicator": "GDP 总量",
            "comparator": "avg_growth>=",
            "value": 8,
            "unit": "%",
            "year": 2020,
            "related": ["gdp.2020"],
        },
        {
            "id": "income.2020",
            "indicator": "居民人均可支配收入",
            "comparator": ">=",
            "value": 30136,
            "unit": "",
            "year": 2020,
        },
        {"id": "qual", "indicator": "质量强市", "comparator": "qualitative"},
    ]
    return Plan.model_validate(
        {"id": "p", "title": "测试规划", "region": "某市", "period": [2016, 2020], "targets": targets} | extra
    )


def _rows(ws) -> dict[str, int]:
    return {ws.cell(row=r, column=ID_COL).value: r for r in range(1, ws.max_row + 1)}


@pytest.fixture
def written(tmp_path):
    layout = plan_layout(_plan(), today=TODAY)
    path = write_workbook(layout, tmp_path / "填报.xlsx")
    return layout, path


def test_one_row_per_indicator_targets_grouped(written):
    layout, _ = written
    by_targets = {tuple(r.target_ids): r for r in layout.rows}
    assert set(by_targets) == {("food.2020", "food.keep"), ("pm25.2020",), ("gdp.2020", "gdp.growth"), ("income.2020",)}
    food = by_targets[("food.2020", "food.keep")].indicator
    assert (food.unit, food.lower, food.upper, food.direction.value, food.concept) == (
        "%",
        0,
        100,
        "higher",
        "food_safety_sampling_pass_rate",
    )
    pm = by_targets[("pm25.2020",)]
    assert (pm.indicator.direction.value, pm.indicator.lower, pm.indicator.upper) == ("lower", 0, None)
    assert pm.monthly_id and layout.monthly == [pm]
    gdp = by_targets[("gdp.2020", "gdp.growth")]
    assert gdp.indicator.unit == "亿元" and gdp.unit_locked  # the level target's unit; growth is relative
    assert not by_targets[("income.2020",)].unit_locked  # the plan gives no unit: the planner writes it
    assert layout.years == list(range(2010, 2021))  # base year 2015 minus five, to the latest target year


def test_years_adjustable_and_never_in_the_future():
    assert plan_layout(_plan(), start=2013, today=TODAY).years == list(range(2013, 2021))
    assert plan_layout(_plan(), today=dt.date(2018, 3, 1)).years == list(range(2010, 2019))


def test_cells_are_guarded(written):
    layout, path = written
    book = load_workbook(path)
    assert book[MARKER_SHEET].sheet_state == "veryHidden" and book.security.lockStructure
    assert "填写说明" in book.sheetnames and "月度数据" in book.sheetnames
    ws = book["年度数据"]
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden
    rows = _rows(ws)
    food = rows["某市:食品抽检合格率"]
    assert ws.cell(row=food, column=UNIT_COL).value == "%" and ws.cell(row=food, column=UNIT_COL).protection.locked
    assert not ws.cell(row=food, column=FIRST_YEAR_COL).protection.locked
    assert not ws.cell(row=rows["某市:居民人均可支配收入"], column=UNIT_COL).protection.locked
    assert rows["target:food.2020"] == food + 1 and rows["target:food.keep"] == food + 2  # the row group
    assert ws.row_dimensions[food + 1].outlineLevel == 1
    first = ws.cell(row=food, column=FIRST_YEAR_COL).coordinate
    rules = [dv for dv in ws.data_validations.dataValidation if first in dv.sqref]
    assert len(rules) == 1
    rule = rules[0]
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("decimal", "between", "0", "100")
    assert rules[0].errorStyle == "stop" and "越高越好" in rules[0].prompt


def test_english_workbook(tmp_path):
    path = write_workbook(plan_layout(_plan(), today=TODAY), tmp_path / "data.xlsx", lang="en")
    book = load_workbook(path)
    assert {"How to fill", "Annual data", "Monthly data"} <= set(book.sheetnames)
    assert book["Annual data"]["C3"].value == "Indicator"


def _fill(path, out, annual: dict, monthly: dict = (), sources: dict = (), stand_in=(), units: dict = ()):
    book = load_workbook(path)
    ws = book[book.sheetnames[1]]
    rows = _rows(ws)
    years = {ws.cell(row=3, column=c).value: c for c in range(1, ws.max_column + 1)}
    last = ws.max_column
    for sid, values in annual.items():
        for year, v in values.items():
            ws.cell(row=rows[sid], column=years[year]).value = v
    for sid, text in dict(sources).items():
        ws.cell(row=rows[sid], column=last - 1).value = text
    for sid in stand_in:
        ws.cell(row=rows[sid], column=last).value = "是"
    for sid, unit in dict(units).items():
        ws.cell(row=rows[sid], column=UNIT_COL).value = unit
    if monthly:
        ms = book["月度数据"]
        for r in range(4, ms.max_row + 1):
            key = (ms.cell(row=r, column=ID_COL).value, ms.cell(row=r, column=7).value)
            for m, v in dict(monthly).get(key, {}).items():
                ms.cell(row=r, column=FIRST_YEAR_COL + m - 1).value = v
    book.save(out)
    return out


def test_import_registers_links_and_keeps_gaps(written, store, tmp_path):
    _, path = written
    filled = _fill(
        path,
        tmp_path / "filled.xlsx",
        {"某市:食品抽检合格率": {2012: 91.5, 2013: 92, 2015: 94.25}, "某市:居民人均可支配收入": {2014: 21000}},
        sources={"某市:食品抽检合格率": "统计公报"},
        stand_in=["某市:居民人均可支配收入"],
        units={"某市:居民人均可支配收入": "元"},
    )
    assert is_workbook(filled)
    summary = import_workbook(store, filled)
    assert summary.rows == 4 and summary.plan_from_workbook
    assert store.observations("某市:食品抽检合格率") == [
        ("2012", 91.5),
        ("2013", 92.0),
        ("2015", 94.25),
    ]  # 2014 missing
    ind = store.indicators()["某市:居民人均可支配收入"]
    assert ind.unit == "元" and ind.region == "某市"
    plan = store.plan("p")
    links = {t.id: (t.series_id, t.stand_in) for t in plan.targets}
    assert links["food.2020"] == links["food.keep"] == ("某市:食品抽检合格率", False)
    assert links["income.2020"] == ("某市:居民人均可支配收入", True)
    assert links["gdp.2020"] == (None, False)  # nothing filled in: not linked, not registered
    assert "某市:地区生产总值" not in store.indicators()
    assert store.provenance("某市:食品抽检合格率")["sources"] == ["统计公报"]
    again = import_workbook(store, filled)
    assert again.already_imported


def test_out_of_range_paste_refused_with_sheet_row_column(written, store, tmp_path):
    _, path = written
    filled = _fill(
        path,
        tmp_path / "bad.xlsx",
        {"某市:食品抽检合格率": {2013: 92, 2014: 100.5}, "某市:地区生产总值": {2015: "abc"}},
    )
    before = store.counts()
    with pytest.raises(ImportFailed) as info:
        import_workbook(store, filled)
    text = str(info.value)
    rows = _rows(load_workbook(filled)["年度数据"])
    assert (
        f"sheet '年度数据', row {rows['某市:食品抽检合格率']}, column 'L (2014)'" in text
        and "above the upper bound 100" in text
    )
    assert f"row {rows['某市:地区生产总值']}, column 'M (2015)'" in text and "'abc' is not a finite number" in text
    assert store.counts() == before


def test_percent_typed_and_monthly_chosen_when_it_gives_more_years(written, store, tmp_path):
    _, path = written
    book = load_workbook(path)
    ws = book["年度数据"]
    cell = ws.cell(row=_rows(ws)["某市:食品抽检合格率"], column=FIRST_YEAR_COL)
    cell.value, cell.number_format = 0.07, "0%"  # what Excel keeps when a person types 7%
    book.save(tmp_path / "pct.xlsx")
    monthly = {("某市:城区pm2.5年均浓度:monthly", y): {m: 40.0 + m for m in range(1, 13)} for y in (2013, 2014, 2015)}
    filled = _fill(
        tmp_path / "pct.xlsx", tmp_path / "pct2.xlsx", {"某市:城区pm2.5年均浓度": {2015: 47}}, monthly=monthly
    )
    import_workbook(store, filled)
    assert store.observations("某市:食品抽检合格率") == [("2010", 7.0)]  # not 7.000000000000001
    pm = {t.id: t.series_id for t in store.plan("p").targets}["pm25.2020"]
    assert pm == "某市:城区pm2.5年均浓度:monthly"  # three years of months beat one annual value
    assert store.indicators()[pm].frequency.value == "M" and len(store.observations(pm)) == 36


def test_stored_indicator_prefilled_and_marked(written, store, tmp_path):
    _, path = written
    import_workbook(store, _fill(path, tmp_path / "a.xlsx", {"某市:食品抽检合格率": {2013: 92, 2014: 93}}))
    layout = plan_layout(store.plan("p"), store, today=TODAY)
    food = next(r for r in layout.rows if r.id == "某市:食品抽检合格率")
    assert food.in_store and food.values == {"2013": 92.0, "2014": 93.0}
    second = write_workbook(layout, tmp_path / "second.xlsx")
    ws = load_workbook(second)["年度数据"]
    r = _rows(ws)["某市:食品抽检合格率"]
    assert ws.cell(row=r, column=7).value.startswith("已有数据")
    assert [ws.cell(row=r, column=FIRST_YEAR_COL + j).value for j in range(3, 6)] == [92, 93, None]
    # saved again with one more year: only the new value becomes an observation
    summary = import_workbook(store, _fill(second, tmp_path / "b.xlsx", {"某市:食品抽检合格率": {2015: 94}}))
    assert (summary.typed, summary.rows) == (3, 1)
    assert store.observations("某市:食品抽检合格率")[-1] == ("2015", 94.0)


def test_linked_series_in_store_is_used_as_is(store, tmp_path):
    rate = Indicator(
        id="cn:food", name_zh="全国食品抽检合格率", unit="%", direction="higher", lower=0, upper=100, region="全国"
    )
    with store.transaction() as conn:
        store.upsert_indicators(conn, [rate])
        store.add_batch(
            conn,
            "x.csv",
            "d" * 64,
            [{"series_id": "cn:food", "period": "2014", "value": 96.1, "known_at": None, "source": "SAMR"}],
        )
    plan = _plan()
    plan.targets[0].series_id = "cn:food"
    layout = plan_layout(plan, store, today=TODAY)
    row = next(r for r in layout.rows if "food.2020" in r.target_ids)
    assert (row.id, row.in_store, row.values, row.sources) == ("cn:food", True, {"2014": 96.1}, ["SAMR"])
    assert row.monthly_id is None


def test_an_ordinary_xlsx_is_not_a_workbook(tmp_path):
    import pandas as pd

    path = tmp_path / "obs.xlsx"
    pd.DataFrame({"series_id": ["x"], "ds": ["2015"], "y": ["1"]}).to_excel(path, index=False)
    assert not is_workbook(path)


def test_empty_workbook_refused(written, store):
    _, path = written
    with pytest.raises(ImportFailed, match="no values are filled in"):
        import_workbook(store, path)


def test_cli_workbook_from_a_stored_plan_and_a_refused_import(tmp_path):
    from typer.testing import CliRunner

    from forecast.cli.main import app
    from forecast.store import Store

    ws = tmp_path / "ws"
    runner = CliRunner()
    Store(f"sqlite:///{(ws.mkdir() or ws) / 'forecast.db'}").save_plan(_plan())
    out = tmp_path / "p.xlsx"
    result = runner.invoke(app, ["--workspace", str(ws), "plan", "workbook", "p", "-o", str(out), "--start", "2012"])
    assert result.exit_code == 0, result.output
    assert "4 indicators for 6 targets of plan p, years 2012–" in result.output
    again = runner.invoke(app, ["--workspace", str(ws), "plan", "workbook", "p", "-o", str(out)])
    assert again.exit_code == 1 and "exists" in again.output
    bad = _fill(out, tmp_path / "bad.xlsx", {"某市:食品抽检合格率": {2013: -3}})
    refused = runner.invoke(app, ["--workspace", str(ws), "data", "import", str(bad)])
    assert refused.exit_code == 1 and "nothing was written" in refused.output and "column 'I (2013)'" in refused.output
    assert runner.invoke(app, ["--workspace", str(ws), "data", "import", str(bad), "-i", "x.yaml"]).exit_code == 1
