"""Writing the fill-in workbook (openpyxl): an annual sheet, a monthly sheet when the plan has
concentrations, a how-to sheet, and a very hidden marker sheet the importer reads.

Only the value, source and stand-in cells (and the unit where the plan gives none) are unlocked;
the sheets are protected without a password, so the locked units and the ids cannot be typed over
by accident. Every value cell carries Excel data validation with the indicator's bounds; the
importer checks the same bounds again, since pasted values skip Excel's check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from forecast.ingest.workbook.layout import FORMAT, VERSION, Layout, Row, monthly_indicator
from forecast.ingest.workbook.words import WORDS
from forecast.io import atomic_path

MARKER_SHEET = "_forecast"
FIRST_ROW = 4  # rows 1-3: title, one line of help, the headings
ID_COL, NO_COL, NAME_COL, UNIT_COL, DIR_COL, RANGE_COL, STATUS_COL, FIRST_YEAR_COL = range(1, 9)
INPUT_FILL, STORED_FILL, HEAD_FILL, TARGET_FONT = "FFF8CC", "DDEBF7", "EEF0F4", "666666"
CHUNK = 30000  # characters per marker cell (a cell holds at most 32,767)


def range_text(ind, w: dict) -> str:
    lo, hi = ind.lower, ind.upper
    if lo is not None and hi is not None:
        return f"{lo:g}–{hi:g}"
    if lo is not None:
        return f"≥ {lo:g}"
    if hi is not None:
        return f"≤ {hi:g}"
    return w["any"]


def goal_text(target, lang: str) -> str:
    from forecast.report.text import ATTRIBUTE_TEXT, COMPARATOR_TEXT

    c = target.comparator.value
    words = COMPARATOR_TEXT.get(c, {}).get(lang, c)
    relative = target.relative
    value = "" if target.value is None else f"{target.value:g}{'%' if relative else ' ' + target.unit}".rstrip()
    text = f"{words} {value}".strip()
    if target.base_year:
        text += f" ({'相对' if lang == 'zh' else 'vs '}{target.base_year})"
    if target.year:
        text += f" @ {target.year}"
    if target.attribute:
        text += f" [{ATTRIBUTE_TEXT.get(target.attribute.value, {}).get(lang, target.attribute.value)}]"
    return text


def write_workbook(layout: Layout, path: Path, lang: str = "zh") -> Path:
    """Write the workbook whole or not at all."""
    from openpyxl import Workbook

    if lang not in WORDS:
        raise ValueError(f"language must be one of {', '.join(WORDS)}")
    w = WORDS[lang]
    book = Workbook()
    howto = book.active
    howto.title = w["howto"]
    annual = book.create_sheet(w["annual"])
    _annual_sheet(annual, layout, w)
    monthly = None
    if layout.monthly:
        monthly = book.create_sheet(w["monthly"])
        _monthly_sheet(monthly, layout, w)
    _howto_sheet(howto, layout, w, Path(path).name)
    _marker_sheet(book.create_sheet(MARKER_SHEET), layout, lang, annual.title, monthly.title if monthly else None)
    book.active = 1
    from openpyxl.workbook.protection import WorkbookProtection

    book.security = WorkbookProtection(lockStructure=True)  # sheets cannot be renamed, deleted or unhidden
    with atomic_path(Path(path)) as tmp:
        book.save(tmp)
    return Path(path)


def _style_header(ws, row: int, ncols: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEAD_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _validation(ind, w: dict, name: str):
    """Decimal validation with the indicator's bounds, direction in the prompt, stop on error."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lo, hi = ind.lower, ind.upper
    if lo is not None and hi is not None:
        dv = DataValidation(type="decimal", operator="between", formula1=f"{lo:g}", formula2=f"{hi:g}")
    elif lo is not None:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{lo:g}")
    elif hi is not None:
        dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=f"{hi:g}")
    else:  # any number, but a number
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300")
    rng, unit = range_text(ind, w), ind.unit or "—"
    dv.allow_blank = True
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle, dv.error = w["error_title"][:32], w["error"].format(name=name, range=rng, unit=unit)[:255]
    dv.promptTitle = w["prompt_title"].format(name=name)[:32]
    dv.prompt = w["prompt"].format(unit=unit, range=rng, direction=w[ind.direction.value])[:255]
    return dv


def _input(cell, value=None, stored: bool = False) -> None:
    from openpyxl.styles import PatternFill, Protection

    cell.protection = Protection(locked=False)
    cell.fill = PatternFill("solid", fgColor=STORED_FILL if stored else INPUT_FILL)
    if value is not None:
        cell.value = value


def _row_heading(ws, r: int, row: Row, number: int, w: dict, status: str) -> None:
    from forecast.report.excel import put

    ind = row.indicator
    put(ws, r, ID_COL, row.id)
    put(ws, r, NO_COL, number)
    put(ws, r, NAME_COL, ind.name_zh if w is WORDS["zh"] else (ind.name_en or ind.name_zh))
    put(ws, r, UNIT_COL, ind.unit)
    put(ws, r, DIR_COL, w[ind.direction.value])
    put(ws, r, RANGE_COL, range_text(ind, w))
    put(ws, r, STATUS_COL, status)
    if not row.unit_locked:
        from openpyxl.comments import Comment

        _input(ws.cell(row=r, column=UNIT_COL))
        ws.cell(row=r, column=UNIT_COL).comment = Comment(w["unit_prompt"], "forecast")


def _target_rows(ws, r: int, row: Row, w: dict, lang: str) -> int:
    from openpyxl.styles import Font

    from forecast.report.excel import put

    for t in row.targets:
        r += 1
        put(ws, r, ID_COL, f"target:{t.id}")
        put(ws, r, NAME_COL, "    ↳ " + w["target_line"].format(goal=goal_text(t, lang)))
        ws.cell(row=r, column=NAME_COL).font = Font(italic=True, color=TARGET_FONT)
        ws.row_dimensions[r].outlineLevel = 1
    return r


def _finish(ws, ncols: int, name_width: int = 40) -> None:
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions[get_column_letter(NAME_COL)].width = name_width
    for col in (UNIT_COL, DIR_COL, RANGE_COL, STATUS_COL):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.column_dimensions[get_column_letter(ncols - 1)].width = 30
    ws.column_dimensions[get_column_letter(ncols)].width = 12
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=FIRST_YEAR_COL)
    ws.sheet_properties.outlinePr.summaryBelow = False  # a row group's heading is the indicator row above it
    ws.protection.sheet = True
    for option in ("formatColumns", "formatRows", "formatCells"):
        setattr(ws.protection, option, False)  # allowed: widen a column, colour a cell


def _stand_in_validation(ws, w: dict):
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=f'"{w["yes"]},{w["no_word"]}"', allow_blank=True)
    ws.add_data_validation(dv)
    return dv


def _header(ws, title: str, w: dict, middle: list):
    """Title, subtitle and the heading row (the indicator columns, `middle`, source, stand-in) of a
    value sheet; returns the stand-in column's validation."""
    from forecast.report.excel import put

    put(ws, 1, NAME_COL, title)
    put(ws, 2, NAME_COL, w["subtitle"])
    headings = [
        "id",
        w["no"],
        w["indicator"],
        w["unit"],
        w["direction"],
        w["range"],
        *middle,
        w["source"],
        w["stand_in"],
    ]
    for col, text in enumerate(headings, start=1):
        put(ws, 3, col, text)
    _style_header(ws, 3, len(headings))
    return _stand_in_validation(ws, w)


def _annual_sheet(ws, layout: Layout, w: dict) -> None:
    from forecast.report.excel import put

    lang = "zh" if w is WORDS["zh"] else "en"
    years = layout.years
    source_col = FIRST_YEAR_COL + len(years)
    ncols = source_col + 1
    stand_in = _header(ws, w["title"].format(title=layout.plan.title or layout.plan.id), w, [w["status"], *years])
    r = FIRST_ROW - 1
    for number, row in enumerate(layout.rows, start=1):
        r += 1
        status = w["in_store"] if row.in_store else w["to_fill"]
        if not row.yearly:
            status = w["monthly_only"]
        elif row.monthly_id:
            status += "; " + w["also_monthly"]
        _row_heading(ws, r, row, number, w, status)
        if row.yearly:
            dv = _validation(row.indicator, w, row.indicator.name_zh[:30])
            ws.add_data_validation(dv)
            for j, year in enumerate(years):
                cell = ws.cell(row=r, column=FIRST_YEAR_COL + j)
                _input(cell, row.values.get(str(year)), stored=row.in_store and str(year) in row.values)
                dv.add(cell.coordinate)
            _input(ws.cell(row=r, column=source_col))
            if row.sources:
                put(ws, r, source_col, "; ".join(row.sources))
            _input(ws.cell(row=r, column=ncols))
            stand_in.add(ws.cell(row=r, column=ncols).coordinate)
        r = _target_rows(ws, r, row, w, lang)
    _finish(ws, ncols)


def _monthly_sheet(ws, layout: Layout, w: dict) -> None:
    """One row per indicator and year, a column per month."""
    from forecast.report.excel import put

    source_col = FIRST_YEAR_COL + 12
    ncols = source_col + 1
    title = w["title_monthly"].format(title=layout.plan.title or layout.plan.id)
    stand_in = _header(ws, title, w, [w["year"], *[w["month"].format(m=m) for m in range(1, 13)]])
    r = FIRST_ROW - 1
    for number, row in enumerate(layout.monthly, start=1):
        ind = monthly_indicator(row) if row.yearly else row.indicator
        dv = _validation(ind, w, ind.name_zh[:30])
        ws.add_data_validation(dv)
        for year in layout.years:
            r += 1
            put(ws, r, ID_COL, row.monthly_id)
            put(ws, r, NO_COL, number)
            put(ws, r, NAME_COL, ind.name_zh if w is WORDS["zh"] else (ind.name_en or ind.name_zh))
            put(ws, r, UNIT_COL, ind.unit)
            put(ws, r, DIR_COL, w[ind.direction.value])
            put(ws, r, RANGE_COL, range_text(ind, w))
            put(ws, r, STATUS_COL, year)
            for m in range(1, 13):
                period = f"{year}-{m:02d}"
                cell = ws.cell(row=r, column=FIRST_YEAR_COL + m - 1)
                _input(cell, row.monthly_values.get(period), stored=period in row.monthly_values)
                dv.add(cell.coordinate)
            _input(ws.cell(row=r, column=source_col))
            _input(ws.cell(row=r, column=ncols))
            stand_in.add(ws.cell(row=r, column=ncols).coordinate)
    _finish(ws, ncols, name_width=28)


def _howto_sheet(ws, layout: Layout, w: dict, file_name: str) -> None:
    from forecast.report.excel import put

    for i, line in enumerate(w["howto_lines"], start=1):
        put(
            ws,
            i,
            1,
            line.format(
                title=layout.plan.title or layout.plan.id,
                annual=w["annual"],
                monthly=w["monthly"],
                file=file_name,
                plan_id=layout.plan.id,
            ),
        )
    ws.column_dimensions["A"].width = 120
    from openpyxl.styles import Font

    ws["A1"].font = Font(bold=True, size=14)


def _marker_sheet(ws, layout: Layout, lang: str, annual: str, monthly: Optional[str]) -> None:
    """What the importer needs and cannot read from the visible sheets: the plan and each row's indicator."""
    from forecast.report.excel import put

    rows = [
        {
            "id": r.id,
            "yearly": r.yearly,
            "monthly_id": r.monthly_id,
            "unit_locked": r.unit_locked,
            "in_store": r.in_store,
            "targets": r.target_ids,
            "indicator": r.indicator.model_dump(mode="json"),
            "monthly_indicator": (monthly_indicator(r) if r.yearly else r.indicator).model_dump(mode="json")
            if r.monthly_id
            else None,
        }
        for r in layout.rows
    ]
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "lang": lang,
        "plan_id": layout.plan.id,
        "years": layout.years,
        "sheets": {"annual": annual, "monthly": monthly},
        "rows": rows,
        "plan": layout.plan.model_dump(mode="json"),
    }
    text = json.dumps(meta, ensure_ascii=False)
    put(ws, 1, 1, FORMAT)
    put(ws, 1, 2, VERSION)
    for i in range(0, len(text), CHUNK):
        put(ws, 2 + i // CHUNK, 1, text[i : i + CHUNK])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
