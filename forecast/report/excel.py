"""The report as an Excel workbook: a summary sheet, one sheet per target with its forecast table,
and a sheet on the back-tests, for planners who work in spreadsheets.

Text from input files is written as text, never as a formula: a cell whose text begins with "=",
"+", "-" or "@" is stored as a string and marked with a quote prefix, so Excel neither evaluates
it on opening nor when the cell is edited. Numbers are numbers (probabilities as fractions with a
percent format), so a planner can compute with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forecast.io import atomic_path
from forecast.report.views import FAN_LEVELS, Report, TargetView

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = "EEF0F4"


def safe_text(value: str) -> str:
    """Text a cell holds exactly: control characters XML cannot hold become U+FFFD rather than failing
    the file, and carriage returns become line feeds (XML would drop them silently)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def put(ws, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell: strings always as text (never a formula), numbers as numbers."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    else:
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format
    return cell


def _table(ws, top: int, headers: list[str], rows: list[list], formats: dict[int, str] | None = None) -> int:
    """A header row and rows from `top`; returns the next free row."""
    from openpyxl.styles import Font, PatternFill

    for j, h in enumerate(headers, start=1):
        cell = put(ws, top, j, h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for i, row in enumerate(rows, start=top + 1):
        for j, value in enumerate(row, start=1):
            put(ws, i, j, value, (formats or {}).get(j))
    return top + len(rows) + 2


SHEET_FORBIDDEN = set("[]:*?/\\")


def _sheet_title(v: TargetView) -> str:
    """The target's name, as a sheet name can hold it: no []:*?/\\, at most 31 characters with its number
    in front (unique, and the summary's "sheet" column finds it)."""
    name = "".join("_" if ch in SHEET_FORBIDDEN else ch for ch in v.name).strip("' ") or v.target.id
    return f"{v.index:02d} {name}"[:31]


def write_workbook(report: Report, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = report.text
    wb = Workbook()
    ws = wb.active
    ws.title = "summary" if report.lang == "en" else "概要"
    put(ws, 1, 1, f"{t['title']} — {report.title}").font = Font(bold=True, size=14)
    meta = [
        (t["plan"], report.title),
        (t["region"], report.plan.region or "—"),
        (t["as_of"], report.as_of),
        (t["vintage"], report.vintage),
        (t["run"], report.run["id"]),
        (t["generated"], report.generated),
        (t["models"], ", ".join(report.models)),
    ]
    for i, (k, v) in enumerate(meta, start=2):
        put(ws, i, 1, k).font = Font(bold=True)
        put(ws, i, 2, v)
    row = len(meta) + 3
    counts = [[words, n] for _, words, n in report.summary.bands]
    counts += [
        [t["observed_met"], report.summary.observed_met],
        [t["observed_not_met"], report.summary.observed_not_met],
        [t["not_assessed"], report.summary.not_assessed],
    ]
    row = _table(ws, row, [t["by_band"], ""], counts)
    warned = [
        [
            v.index,
            v.name,
            v.goal,
            v.probability if v.status not in ("observed", "broken") else v.actual,
            v.band_text if v.status not in ("observed", "broken") else v.status_text,
            v.time_progress,
        ]
        for v in report.summary.early_warning
    ]
    row = _table(
        ws,
        row,
        [t["early_warning"], t["target"], t["goal"], t["p"], t["band"], t["time_progress"]],
        warned or [[t["early_warning_none"]]],
        {4: "0%"},
    )
    headers = [
        "#",
        t["target"],
        "id",
        t["attribute"],
        t["goal"],
        t["p"],
        t["band"],
        t["official"],
        t["time_progress"],
        t["required"],
        t["historical"],
        t["latest"],
        t["median_ty"],
        "10%",
        "90%",
        t["actual"],
        t["status"],
        t["message"],
        t["quote"],
        t["series"],
        t["sheet"],
        t["basis"],
    ]
    rows = []
    for v in report.by_risk + report.unassessed:
        r = v.result
        lo, hi = r.get("interval80") or (None, None)
        rows.append(
            [
                v.index,
                v.name,
                v.target.id,
                v.attribute,
                v.goal,
                v.probability,
                v.band_text,
                v.official,
                v.time_progress,
                v.required_change,
                v.historical_change,
                r.get("latest_value"),
                r.get("median"),
                lo,
                hi,
                r.get("actual"),
                v.status_text,
                v.message,
                v.target.quote,
                v.target.series_id or "",
                _sheet_title(v) if v.assessed else "",
                v.basis,
            ]
        )
    _table(ws, row, headers, rows, {6: "0%", 10: "+0.0%;-0.0%", 11: "+0.0%;-0.0%"})
    for col, width in zip(
        "ABCDEFGHIJKLMNOPQRSTUV", (5, 28, 30, 8, 20, 9, 12, 14, 22, 10, 10, 10, 10, 9, 9, 9, 12, 40, 40, 30, 24, 60)
    ):
        ws.column_dimensions[col].width = width
    for v in report.assessed:
        _target_sheet(wb.create_sheet(_sheet_title(v)), v, t)
    if report.backtest:
        _backtest_sheet(wb.create_sheet(t["calibration"][:31]), report, t)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _target_sheet(ws, v: TargetView, t: dict) -> None:
    from openpyxl.styles import Font

    put(ws, 1, 1, f"{v.index}. {v.name}").font = Font(bold=True, size=13)
    r = v.result
    facts = [
        ("id", v.target.id),
        (t["goal"], v.goal),
        (t["attribute"], v.attribute),
        (t["p"], v.probability),
        (t["band"], v.band_text),
        (t["official"], v.official),
        (t["time_progress"], v.time_progress),
        (t["required"], v.required_change),
        (t["step_needed"], v.step),
        (t["historical"], v.historical_change),
        (t["actual"], r.get("actual")),
        (t["message"], v.message),
        (t["model_used"], v.model),
        (t["basis"], v.basis),
        (t["quote"], v.target.quote),
    ]
    if v.provenance:
        d = v.provenance
        facts += [
            (t["series"], d.series_id),
            (t["source"], d.source),
            (t["files"], ", ".join(d.files)),
            (t["vintage"], d.vintage),
        ]
        if d.stand_in:
            facts.append((t["notes"], t["stand_in"]))
    facts += [(t["warnings"], w) for w in v.warnings]
    if v.why_combined:
        facts.append((t["why_combined"], v.why_combined))
    facts += [(t["conflict"], c) for c in v.conflicts] + [(t["notes"], n) for n in v.notes]
    for i, (k, value) in enumerate(facts, start=2):
        put(ws, i, 1, k).font = Font(bold=True)
        fmt = "0%" if k == t["p"] else "+0.0%;-0.0%" if k in (t["required"], t["historical"]) else None
        put(ws, i, 2, value, fmt)
    top = len(facts) + 3
    rows = [[y, value, None, None, None, None, None] for y, value in sorted(v.history.items())]
    rows += [[f["year"], None, *[f.get(k) for k in FAN_LEVELS]] for f in v.fan]
    put(ws, top, 1, f"{t['forecast_table']} ({v.unit})" if v.unit else t["forecast_table"]).font = Font(bold=True)
    _table(
        ws,
        top + 1,
        [t["year"], t["observed"], "2.5%", "10%", t["median"], "90%", "97.5%"],
        rows,
        {j: "0.00" for j in range(2, 8)},
    )
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 60


def _backtest_sheet(ws, report: Report, t: dict) -> None:
    bt = report.backtest
    row = 1
    if bt.get("pooled"):
        row = _table(
            ws,
            row,
            [t["model"], t["crps"], t["smape"], t["coverage80"], t["coverage95"], t["points"]],
            [
                [m, s.get("crps"), s.get("smape"), s.get("coverage80"), s.get("coverage95"), s.get("points")]
                for m, s in bt["pooled"].items()
            ],
            {4: "0%", 5: "0%"},
        )
    if bt.get("coverage"):
        row = _table(
            ws,
            row,
            [t["nominal"], t["before_calibration"], t["observed_cov"], t["points"]],
            [[c["nominal"], c.get("before"), c["observed"], c["points"]] for c in bt["coverage"]],
            {1: "0%", 2: "0%", 3: "0%"},
        )
    if bt.get("prior_coverage"):  # short series: the prior of short histories and its local update
        put(ws, row, 1, t["prior_coverage_table"])
        row = _table(
            ws,
            row + 1,
            [t["nominal"], t["observed_cov"], t["points"]],
            [[c["nominal"], c["observed"], c["points"]] for c in bt["prior_coverage"]],
            {1: "0%", 2: "0%"},
        )
    if bt.get("events"):
        put(ws, row, 1, t["brier"])
        put(ws, row, 2, bt["events"]["brier"], "0.000")
        _table(
            ws,
            row + 2,
            [t["range"], t["mean_predicted"], t["observed_frequency"], t["count"]],
            [
                [b["range"], b["mean_predicted"], b["observed_frequency"], b["count"]]
                for b in bt["events"]["reliability"]
            ],
            {2: "0%", 3: "0%"},
        )
    ws.column_dimensions["A"].width = 18
