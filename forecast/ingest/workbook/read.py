"""Reading a filled workbook back: recognise it, turn its cells into observation rows, validate them
with the importer's own rules, and store indicators, values and target links in one transaction.

A blank cell is a missing year, never zero. Every problem names the sheet, row and column of the
cell as Excel shows them. The cells are read as Excel saved them: numbers as numbers; a value typed
as "95%" into a rate (stored by Excel as 0.95 with a percent format) is read as 95; a formula counts
by the value Excel computed for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pandas as pd

from forecast.ingest.importer import ImportFailed, Problem, validate_observations
from forecast.ingest.workbook.layout import FORMAT, VERSION
from forecast.ingest.workbook.words import WORDS, YES
from forecast.ingest.workbook.write import FIRST_ROW, FIRST_YEAR_COL, ID_COL, MARKER_SHEET, STATUS_COL, UNIT_COL
from forecast.schema import Indicator, Plan
from forecast.store import Store
from forecast.units import canonical


@dataclass
class WorkbookImport:
    file: str
    plan_id: str
    batch_id: Optional[int]
    rows: int  # observations written (new or changed values)
    typed: int  # values found in the workbook
    series: dict[str, int] = field(default_factory=dict)  # values per series in the workbook
    indicators_registered: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # target id -> series id
    stand_in: list[str] = field(default_factory=list)  # targets linked to a series marked as a stand-in
    plan_from_workbook: bool = False  # the plan was not in the store: stored from the workbook
    already_imported: bool = False


@dataclass
class _Cell:
    sheet: str
    row: int
    column: str  # letter and heading, e.g. "L (2015)"


@dataclass
class _Filled:
    meta: dict
    frame: pd.DataFrame
    cells: list[_Cell]
    units: dict[str, str]  # row id -> unit typed where the plan gave none
    stand_in: dict[str, bool]  # series id -> marked as a stand-in
    problems: list[Problem]


def is_workbook(path: Path) -> bool:
    """True for a workbook written by `forecast plan workbook` (it has the marker sheet)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.exists():
        return False
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # not a readable workbook: the ordinary importer says why
        return False
    try:
        return MARKER_SHEET in book.sheetnames and book[MARKER_SHEET]["A1"].value == FORMAT
    finally:
        book.close()


def _meta(book, name: str) -> dict:
    ws = book[MARKER_SHEET]
    if ws["A1"].value != FORMAT or ws["B1"].value != VERSION:
        raise ImportFailed([Problem(name, None, None, f"not a fill-in workbook of version {VERSION}")])
    text = "".join(str(ws.cell(row=r, column=1).value or "") for r in range(2, ws.max_row + 1))
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        why = f"the hidden sheet {MARKER_SHEET!r} was edited: write the workbook again"
        raise ImportFailed([Problem(name, None, None, why)]) from None


def _number(cell, formula_cell, percent_unit: bool) -> tuple[Optional[str], Optional[str]]:
    """(the value as text for the importer, or None for a blank) and a problem, if any."""
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        if isinstance(formula_cell.value, str) and formula_cell.value.startswith("="):
            return None, "a formula without a computed value: open and save the file in Excel, or type the value"
        return None, None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
        return None, f"{value!r} is not a number"
    if isinstance(value, numbers.Real):
        if percent_unit and "%" in (cell.number_format or ""):
            value = float(f"{value * 100:.15g}")  # typed as "95%": Excel keeps 0.95 (15 digits) and shows 95%
        return (str(int(value)) if isinstance(value, numbers.Integral) else repr(float(value))), None
    return str(value), None  # text: the importer says whether it is a number


def _read(path: Path) -> _Filled:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    name = path.name
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path)
    except Exception as exc:
        raise ImportFailed([Problem(name, None, None, f"cannot read the workbook: {exc}")]) from None
    if MARKER_SHEET not in values.sheetnames:
        raise ImportFailed([Problem(name, None, None, "not a fill-in workbook (no marker sheet)")])
    meta = _meta(values, name)
    w = WORDS.get(meta.get("lang"), WORDS["zh"])
    specs = {r["id"]: r for r in meta["rows"]} | {r["monthly_id"]: r for r in meta["rows"] if r["monthly_id"]}
    records, cells, problems = [], [], []
    units: dict[str, str] = {}
    stand_in: dict[str, bool] = {}
    for kind in ("annual", "monthly"):
        title = meta["sheets"].get(kind)
        if not title:
            continue
        if title not in values.sheetnames:
            raise ImportFailed([Problem(name, None, None, f"sheet {title!r} is missing: do not rename or delete it")])
        ws, wf = values[title], formulas[title]
        periods = [str(y) for y in meta["years"]] if kind == "annual" else [f"{m:02d}" for m in range(1, 13)]
        source_col = FIRST_YEAR_COL + len(periods)
        headings = [ws.cell(row=FIRST_ROW - 1, column=FIRST_YEAR_COL + j).value for j in range(len(periods))]
        expected = [int(p) for p in periods] if kind == "annual" else [w["month"].format(m=m) for m in range(1, 13)]
        if [str(h) for h in headings] != [str(e) for e in expected]:
            raise ImportFailed(
                [
                    Problem(
                        f"{name}, sheet {title!r}",
                        FIRST_ROW - 1,
                        None,
                        "the period headings were changed: do not insert, delete or move columns",
                    )
                ]
            )
        for r in range(FIRST_ROW, ws.max_row + 1):
            sid = ws.cell(row=r, column=ID_COL).value
            spec = specs.get(sid)
            if spec is None:
                continue
            monthly = kind == "monthly"
            if not monthly and not spec["unit_locked"]:
                units[sid] = str(ws.cell(row=r, column=UNIT_COL).value or "").strip()
            ind = spec["monthly_indicator"] if monthly else spec["indicator"]
            percent = canonical(units.get(spec["id"]) or ind.get("unit")) == "percent"
            source = str(ws.cell(row=r, column=source_col).value or "").strip()
            flag = str(ws.cell(row=r, column=source_col + 1).value or "").strip().lower() in YES
            for j, period in enumerate(periods):
                col = FIRST_YEAR_COL + j
                text, problem = _number(ws.cell(row=r, column=col), wf.cell(row=r, column=col), percent)
                where = _Cell(title, r, f"{get_column_letter(col)} ({headings[j]})")
                if problem:
                    problems.append(Problem(f"{name}, sheet {title!r}", r, where.column, problem))
                    continue
                if text is None:
                    continue  # a blank: a missing year, never a zero
                ds = f"{ws.cell(row=r, column=STATUS_COL).value}-{period}" if monthly else period
                records.append({"series_id": sid, "ds": ds, "y": text, "source": source})
                cells.append(where)
                stand_in[sid] = stand_in.get(sid, False) or flag
    frame = pd.DataFrame(records, columns=["series_id", "ds", "y", "source"])
    return _Filled(meta, frame, cells, units, stand_in, problems)


def _indicators(filled: _Filled, known: dict[str, Indicator], file_name: str) -> dict[str, Indicator]:
    """The indicators the workbook describes that the store does not hold yet, with a typed unit where asked;
    their source is the workbook they were filled in."""
    out = {}
    for spec in filled.meta["rows"]:
        unit = filled.units.get(spec["id"])
        for key in ("indicator", "monthly_indicator"):
            if spec.get(key) and spec[key]["id"] not in known:
                ind = Indicator.model_validate(spec[key] | {"source": file_name} | ({"unit": unit} if unit else {}))
                out[ind.id] = ind
    return out


def _translated(exc: ImportFailed, filled: _Filled) -> ImportFailed:
    """The importer's problems (rows of the long frame) at the cells they came from."""
    out = []
    for p in exc.problems:
        if p.row is not None and 0 <= p.row - 2 < len(filled.cells):
            cell = filled.cells[p.row - 2]
            out.append(Problem(f"{p.file}, sheet {cell.sheet!r}", cell.row, cell.column, p.message))
        else:
            out.append(p)
    return ImportFailed(out)


def _annual_count(rows: list[dict], store_values: dict[str, float], ind: Indicator) -> int:
    """Years the series would give a target: stored and typed values together."""
    from forecast.ingest.series import annual, to_series

    merged = dict(store_values) | {r["period"]: r["value"] for r in rows}
    return len(annual(to_series(sorted(merged.items()), ind), ind)) if merged else 0


def import_workbook(store: Store, path: Path) -> WorkbookImport:
    """Validate the whole workbook, then register, import and link in one transaction (or nothing)."""
    from forecast.refresh.sources import fresh, latest_values

    path = Path(path)
    filled = _read(path)
    if filled.problems:
        raise ImportFailed(filled.problems)
    meta = filled.meta
    if filled.frame.empty:
        raise ImportFailed([Problem(path.name, None, None, "no values are filled in: nothing to import")])
    stored = store.indicators()
    new = _indicators(filled, stored, path.name)
    known = stored | new
    try:
        rows = validate_observations(filled.frame, path.name, known)
    except ImportFailed as exc:
        raise _translated(exc, filled) from None
    per_series: dict[str, int] = {}
    for r in rows:
        per_series[r["series_id"]] = per_series.get(r["series_id"], 0) + 1
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    plan_id = meta["plan_id"]
    if (earlier := store.batch_with_digest(digest)) is not None:
        return WorkbookImport(str(path), plan_id, earlier, 0, len(rows), per_series, already_imported=True)
    try:
        plan, from_workbook = store.plan(plan_id), False
    except LookupError:
        plan, from_workbook = Plan.model_validate(meta["plan"]), True
    latest = latest_values(store, {sid for spec in meta["rows"] for sid in (spec["id"], spec["monthly_id"]) if sid})
    links, stand_ins = _links(meta, rows, latest, known, filled.stand_in, plan)
    linked = _with_links(plan, links, stand_ins)
    to_write = fresh(store, rows)
    registered = [i for i in new.values() if i.id in per_series]
    with store.transaction() as conn:
        store.upsert_indicators(conn, registered)
        batch_id = store.add_batch(conn, path.name, digest, to_write) if to_write else None
        store.insert_plan(conn, linked)
    return WorkbookImport(
        str(path),
        plan_id,
        batch_id,
        len(to_write),
        len(rows),
        per_series,
        [i.id for i in registered],
        links,
        sorted(stand_ins),
        from_workbook,
    )


def _links(
    meta: dict, rows: list[dict], latest: dict, known: dict[str, Indicator], flags: dict[str, bool], plan: Plan
) -> tuple[dict[str, str], set[str]]:
    """Each row's targets -> the row's series with more annual values (the monthly one when it gives as many)."""
    by_series: dict[str, list[dict]] = {}
    for r in rows:
        by_series.setdefault(r["series_id"], []).append(r)
    links, stand_ins = {}, set()
    for spec in meta["rows"]:
        options = []
        for sid in filter(None, (spec["monthly_id"], spec["id"] if spec["yearly"] else None)):
            if sid in known:
                options.append((_annual_count(by_series.get(sid, []), latest.get(sid, {}), known[sid]), sid))
        options = [o for o in options if o[0] > 0 or by_series.get(o[1])]
        if not options:
            continue  # nothing filled in or stored: the targets keep whatever link they had
        _, sid = max(options, key=lambda o: o[0])  # max keeps the first (monthly) on a tie
        ind = known[sid]
        stand_in = flags.get(sid, False) or bool(plan.region and ind.region and plan.region != ind.region)
        for target_id in spec["targets"]:
            links[target_id] = sid
            if stand_in:
                stand_ins.add(target_id)
    return links, stand_ins


def _with_links(plan: Plan, links: dict[str, str], stand_ins: set[str]) -> Plan:
    targets = [
        t.model_copy(update={"series_id": links[t.id], "stand_in": t.id in stand_ins}) if t.id in links else t
        for t in plan.targets
    ]
    return plan.model_copy(update={"targets": targets})
