"""The demo's path from a plan document to a report: extract → workbook → (filled) → import → run → report.

The 江油 plan document shipped in `data/plans/documents/` is extracted into a plan file, the fill-in
workbook is written for it, and the demo fills it the way a planner would in Excel (openpyxl): for
each indicator that a national (or monitor) series in the store measures by the dictionary's
names, it types that series' values, names the series as the source and marks the row a stand-in.
Then the ordinary import and run follow. Everything is written inside the workspace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Optional

from forecast import defaults
from forecast.ingest.workbook import import_workbook, plan_layout, write_workbook
from forecast.ingest.workbook.layout import Layout
from forecast.ingest.workbook.write import FIRST_YEAR_COL, ID_COL, STATUS_COL
from forecast.schema import Frequency
from forecast.store import Store
from forecast.workspace import Workspace

DOCUMENT = Path("plans") / "documents" / "jiangyou_2020.txt"
PLAN_ID = "jiangyou-2020-from-document"
AS_OF = "2016"  # as the other 江油 run: seen from the plan's first year
MIN_SCORE = 85.0  # the `plan link --yes` default: a stand-in is only typed in for a confident match


def stand_ins(layout: Layout, store: Store) -> dict[str, str]:
    """Row id -> the store series that best measures its indicator (by the dictionary's names)."""
    from forecast.targets.linking import load_dictionary, propose

    indicators = store.indicators()
    best = {p.target.id: p.best for p in propose(layout.plan, indicators, load_dictionary()) if p.best}
    out = {}
    for row in layout.rows:
        found = [best[t] for t in row.target_ids if t in best and best[t].score >= MIN_SCORE and best[t].unit_ok]
        if found:
            out[row.id] = max(found, key=lambda c: c.score).series_id
    return out


def fill_with_stand_ins(book_path: Path, layout: Layout, store: Store, out: Path) -> dict[str, str]:
    """Type the stand-in series' values into the workbook (annual or monthly sheet) and save it as `out`."""
    from openpyxl import load_workbook

    from forecast.units import factor

    chosen = stand_ins(layout, store)
    indicators = store.indicators()
    rows = {r.id: r for r in layout.rows}
    book = load_workbook(book_path)
    annual, monthly = book.worksheets[1], (book.worksheets[2] if layout.monthly else None)
    last_col = annual.max_column
    typed = {}
    for row_id, sid in chosen.items():
        row, ind = rows[row_id], indicators[sid]
        scale = factor(ind.unit, row.indicator.unit)
        values = {p: v * scale for p, v in store.observations(sid)}
        label = f"替代数据 stand-in: {ind.name('zh')} ({sid})"
        if ind.frequency is Frequency.M and monthly is not None:
            for r in range(4, monthly.max_row + 1):
                if monthly.cell(row=r, column=ID_COL).value != row.monthly_id:
                    continue
                year = monthly.cell(row=r, column=STATUS_COL).value
                for m in range(12):
                    monthly.cell(row=r, column=FIRST_YEAR_COL + m).value = values.get(f"{year}-{m + 1:02d}")
                monthly.cell(row=r, column=FIRST_YEAR_COL + 12).value = label
                monthly.cell(row=r, column=FIRST_YEAR_COL + 13).value = "是"
            typed[row_id] = sid
        elif ind.frequency is Frequency.Y:
            r = next(r for r in range(4, annual.max_row + 1) if annual.cell(row=r, column=ID_COL).value == row_id)
            for j, year in enumerate(layout.years):
                annual.cell(row=r, column=FIRST_YEAR_COL + j).value = values.get(str(year))
            annual.cell(row=r, column=last_col - 1).value = label
            annual.cell(row=r, column=last_col).value = "是"
            typed[row_id] = sid
    book.save(out)
    return typed


def workbook_demo(
    ws: Workspace,
    store: Store,
    data_dir: Path,
    lang: str = "zh",
    n_paths: int = defaults.N_PATHS,
    progress: Optional[Callable[[str, str, int, int], None]] = None,
    outcomes: Optional[list] = None,
    engine=None,
) -> Iterator[str]:
    """Lines to print; the run's Outcome is appended to `outcomes` when given."""
    from forecast.extract import extract_plan, write_plan_yaml
    from forecast.jobs.assess_plan import run_and_report
    from forecast.targets.plans import load_plan

    folder = ws.root / "workbook-demo"
    document = data_dir / DOCUMENT
    plan_file = write_plan_yaml(extract_plan(document), folder / "jiangyou-extracted.yaml", overwrite=True)
    plan = load_plan(plan_file, PLAN_ID)
    numeric = sum(t.comparator.value != "qualitative" for t in plan.targets)
    yield f"forecast plan extract {DOCUMENT.name}: {numeric} numeric targets -> {plan_file}"
    layout = plan_layout(plan, store)
    blank = write_workbook(layout, folder / "江油-数据填报.xlsx", lang=lang)
    years = f"{layout.years[0]}–{layout.years[-1]}"
    yield f"forecast plan workbook: {len(layout.rows)} indicators, years {years} -> {blank}"
    filled = folder / "江油-数据填报-替代数据.xlsx"
    typed = fill_with_stand_ins(blank, layout, store, filled)
    names = {r.id: r.indicator.name_zh for r in layout.rows}
    yield f"filled {len(typed)} indicators with stand-in series (labelled stand-in in the report):"
    yield from (f"  {names[row_id]} <- {sid}" for row_id, sid in typed.items())
    summary = import_workbook(store, filled)
    yield (
        f"forecast data import: {summary.typed} values, {len(summary.links)} targets linked "
        f"({len(summary.stand_in)} to stand-ins)"
    )
    outcome = run_and_report(
        ws, store, plan.id, as_of=AS_OF, n_paths=n_paths, lang=lang, progress=progress, engine=engine
    )
    if outcomes is not None:
        outcomes.append(outcome)
    yield outcome.summary()
