"""Property: any workbook `plan workbook` writes, filled by a person within its validation, imports
without error and stores exactly the values typed (blanks stay missing)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from forecast.ingest.workbook import import_workbook, plan_layout, write_workbook
from forecast.ingest.workbook.write import FIRST_YEAR_COL, ID_COL, MARKER_SHEET
from forecast.schema import Plan
from forecast.store import Store

NAMES = [
    "食品抽检合格率",
    "城区PM2.5年均浓度",
    "地区生产总值",
    "森林覆盖率",
    "科技型中小企业户数",
    "顾客满意度",
    "单位GDP能耗",
    "研究与试验发展(R&D)经费投入强度",
    "特大桥、独立隧道、高边工程坡、深基坑、大型临时围堰等施工安全风险评估制度落实率",
]
ID = re.compile(r"[^\W_][\w.:-]{0,63}")  # the id rule of the store's schema
COMPARATORS = [">=", "<=", "maintain>=", "==", "about", "reduce_by_pct", "avg_growth>="]
UNITS = ["%", "µg/m³", "亿元", "", "个", "分"]

target = st.tuples(
    st.sampled_from(NAMES),
    st.sampled_from(COMPARATORS),
    st.sampled_from(UNITS),
    st.integers(1, 99),
    st.sampled_from([2018, 2020, 2025]),
)


@st.composite
def plans(draw) -> Plan:
    items = draw(st.lists(target, min_size=1, max_size=5))
    targets = [
        {
            "id": f"t{i}",
            "indicator": name,
            "comparator": comp,
            "value": value,
            "unit": unit,
            "year": year,
            "base_year": 2015 if comp in ("reduce_by_pct", "avg_growth>=") else None,
        }
        for i, (name, comp, unit, value, year) in enumerate(items)
    ]
    lang = draw(st.sampled_from(["zh", "en"]))
    region = draw(st.sampled_from(["", "某市", "黔东南苗族侗族自治州 (州本级)"]))
    return Plan.model_validate(
        {"id": "prop", "title": "规划", "region": region, "period": [2016, 2020], "targets": targets}
    ), lang


def typed_value(draw, lo, hi):
    """A number as a person types it: a few decimals, within the cell's validation."""
    lo = -1e6 if lo is None else lo
    hi = 1e6 if hi is None else hi
    places = draw(st.integers(0, 3))
    scale = 10**places
    n = draw(st.integers(int(lo * scale), int(hi * scale)))
    return n // scale if places == 0 else n / scale


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(drawn=plans(), data=st.data())
def test_filled_within_validation_imports_exactly(drawn, data):
    plan, lang = drawn
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        layout = plan_layout(plan, today=dt.date(2026, 12, 1))
        assert all(ID.fullmatch(i) for r in layout.rows for i in (r.id, r.monthly_id) if i)
        path = write_workbook(layout, tmp / "wb.xlsx", lang=lang)
        book = load_workbook(path)
        meta_rows = {r.id: r for r in layout.rows} | {r.monthly_id: r for r in layout.rows if r.monthly_id}
        typed: dict[str, dict[str, float]] = {}
        for ws in book.worksheets:
            if ws.title == MARKER_SHEET or ws.cell(row=3, column=ID_COL).value != "id":
                continue
            monthly = ws.cell(row=3, column=FIRST_YEAR_COL).value != layout.years[0]
            for r in range(4, ws.max_row + 1):
                sid = ws.cell(row=r, column=ID_COL).value
                if sid not in meta_rows:
                    continue
                row = meta_rows[sid]
                ind = row.indicator
                n = 12 if monthly else len(layout.years)
                for j in range(n):
                    if not data.draw(st.booleans()):
                        continue  # left blank
                    v = typed_value(data.draw, ind.lower, ind.upper)
                    ws.cell(row=r, column=FIRST_YEAR_COL + j).value = v
                    period = f"{ws.cell(row=r, column=7).value}-{j + 1:02d}" if monthly else str(layout.years[j])
                    typed.setdefault(sid, {})[period] = float(v)
        filled = tmp / "filled.xlsx"
        book.save(filled)
        store = Store(f"sqlite:///{tmp / 'f.db'}")
        if not typed:
            return  # an empty workbook is refused by design (tested elsewhere)
        summary = import_workbook(store, filled)
        assert summary.typed == sum(len(v) for v in typed.values())
        for sid, values in typed.items():
            assert dict(store.observations(sid)) == values
        linked = {t.id: t.series_id for t in store.plan("prop").targets}
        for row in layout.rows:
            if row.id in typed or row.monthly_id in typed:
                assert all(linked[t] in (row.id, row.monthly_id) for t in row.target_ids)
        store.engine.dispose()
