"""Targets and baselines of indicator tables: rows of cells (HTML, .docx, Markdown), tables pasted
one cell per line, flattened tables (`flattened.py`) and 'name | value' cells, read through the
table's value columns (`cells.value_columns`)."""

from __future__ import annotations

import re
from typing import Optional

from ..schema import Comparator
from .cells import (
    ATTRIBUTE,
    BASE_LABEL,
    NAME_HEADING,
    PLACEHOLDER,
    VALUE_HEADING,
    Row,
    bare_value,
    is_heading,
    table_value,
    value_columns,
)
from .context import Context
from .flattened import parse_layout_table
from .items import Item
from .lexicon import INCREASE_NAME, REDUCTION_NAME, base_year_of, lower_better
from .normalise import char_normalise, is_unit_token, normalise_unit
from .paragraphs import paragraph_items


def row_items(
    rows: list[Row], columns: list[tuple[Optional[int], str]], ctx: Context, text: str, block: int
) -> list[Item]:
    """Targets and baselines of table rows. `columns` are the table's value columns, (year, role)
    left to right (tables.value_columns); a row's value cells fill them from the right, so a row short
    of its base cell still gives its target. Every target-year column gives a target; the base column
    gives a baseline for its own year."""
    items = []
    default_year = ctx.table_year or ctx.default_year() or ctx.plan_end
    columns = columns or [(None, "target")]
    for row in rows:
        name = row.name.strip()
        if not name or not any(row.values):
            why = "a table row without a name" if not name else "a table row without a value"
            if row.span[1] > row.span[0]:
                ctx.unread.append((why, row.span))
            continue
        unit = normalise_unit(row.unit)
        in_name = re.search(r"[(（]([^()（）]{1,8})[)）]$", name)
        if in_name and is_unit_token(in_name.group(1)) and len(name) > in_name.end() - in_name.start():
            unit = unit or normalise_unit(in_name.group(1))  # "森林覆盖率（%）": the unit written into the name
            name = name[: in_name.start()].strip()
        quote = text[row.span[0] : row.span[1]]
        n = min(len(row.values), len(columns))
        for (col_year, role), cell in zip(columns[len(columns) - n :], row.values[len(row.values) - n :]):
            if not cell or PLACEHOLDER.match(char_normalise(cell).strip()):
                continue  # an empty cell: nothing reported for that year
            if role == "base":
                base = table_value(cell)
                year = col_year or (ctx.plan_start - 1 if ctx.plan_start else None)
                if base is not None and year is not None:
                    comparator = (
                        base[1] if base[1] in (Comparator.ge, Comparator.le) else Comparator.eq
                    )  # ">90" in a base cell
                    items.append(
                        Item(
                            "baseline",
                            name,
                            comparator,
                            base[0],
                            unit or base[2],
                            year,
                            None,
                            None,
                            quote,
                            "table",
                            block=block,
                            note=base[3],
                        )
                    )
                continue
            items.append(_row_target(row, name, unit, cell, col_year or default_year, ctx, quote, block))
    return items


def _row_target(
    row: Row, name: str, unit: str, cell: str, year: Optional[int], ctx: Context, quote: str, block: int
) -> Item:
    parsed = table_value(cell)
    base_year = base_year_of(char_normalise(name))
    kind = "baseline" if ctx.in_status and not ctx.in_goal else "target"
    if parsed is None:
        return Item(
            kind,
            name,
            Comparator.qualitative,
            None,
            unit,
            year,
            base_year,
            row.attribute,
            quote,
            "table",
            block=block,
            note=f"target cell: {cell}",
            confidence=0.6,
        )
    value, comparator, cell_unit, note = parsed
    unit = unit or cell_unit
    nname = char_normalise(name)
    if not comparator:
        if unit == "%" and REDUCTION_NAME.search(nname):
            comparator = Comparator.reduce_by_pct
        elif unit == "%" and INCREASE_NAME.search(nname):
            comparator = Comparator.increase_by_pct
        if comparator and base_year is None:
            note = "; ".join(
                filter(
                    None,
                    [
                        note,
                        "base year not stated in the row"
                        + (f" (presumably {ctx.plan_start - 1})" if ctx.plan_start else ""),
                    ],
                )
            )
        else:
            comparator = Comparator.le if lower_better(name) else Comparator.ge
    return Item(
        kind,
        name,
        comparator,
        value,
        unit,
        year,
        base_year,
        row.attribute,
        quote,
        "table",
        block=block,
        note=note,
        confidence=0.85,
    )


def cell_table(rows: list[tuple[int, str]], text: str, norm: str, ctx: Context) -> list[Item]:
    """Rows of cells from HTML or .docx (cells joined by CELL_SEP)."""
    items: list[Item] = []
    header = None
    for offset, line in rows:
        cells = _cells(offset, line)
        ncells = [char_normalise(c).strip() for _, c in cells]
        if all(re.fullmatch(r"[|:\-\s]*", c) for c in ncells):
            continue  # a Markdown rule line
        if header is None and (
            (
                any("指标" in c or "名称" in c or "项目" in c for c in ncells)
                and sum(bool(re.search(r"单位|属性|目标|基期|现状|\d{4}\s*年", c)) for c in ncells) >= 1
            )
            or (
                len(ncells) >= 2
                and all(is_heading(c) for c in ncells)
                and any(NAME_HEADING.search(c) for c in ncells)
                and any(VALUE_HEADING.search(c) for c in ncells)
            )
        ):  # "序号 | 分类 | 内容 | 目标"
            header = ncells
            continue
        if header is not None and _subheader(header, ncells):
            continue  # the years under 基期值 / 目标值, now part of the header
        if header is not None:
            items.extend(_header_row(header, cells, ncells, text, ctx, block=rows[0][0]))
        else:
            items.extend(_pairs(cells, ncells, text, norm, ctx, block=rows[0][0]))
    return items


def _subheader(header: list[str], ncells: list[str]) -> bool:
    """A second header row ("2020年 | 2025年" under "基期值 | 目标值"): its years join the columns above."""
    if not ncells or not all(
        re.fullmatch(r"(?:\d{4}\s*年.{0,4}|基期值?|现状值?|目标值?|属性|单位)", c) for c in ncells
    ):
        return False
    columns = [j for j, h in enumerate(header) if re.search(r"基期|现状|目标|值", h) and not re.search(r"\d{4}", h)]
    if len(columns) == len(ncells):
        for j, c in zip(columns, ncells):
            header[j] = f"{header[j]}{c}"
    return True


def _cells(offset: int, line: str) -> list[tuple[int, str]]:
    """(document offset, text) of each cell; leading and trailing pipes (Markdown tables) are dropped."""
    cells = [
        (offset + m.start() + len(m.group()) - len(m.group().lstrip()), m.group().strip())
        for m in re.finditer(r"[^|]+", line)
    ]
    cells = [(o, c) for o, c in cells if not re.fullmatch(r":?-{3,}:?", c)]
    return cells if cells else [(offset, line)]


def _header_row(header: list[str], cells, ncells, text, ctx: Context, block: int) -> list[Item]:
    # Merged label cells leave a row short: align it with the header from the right.
    shift = len(header) - len(ncells)
    col: dict[str, int] = {}
    value_cols: list[tuple[int, Optional[int], str]] = []  # (cell index, year, role)
    for j, h in enumerate(header):
        if "单位" in h:
            col["unit"] = j
        elif "属性" in h:
            col["attr"] = j
        elif re.search(r"基期|现状|目标|\d{4}\s*年", h):
            year = re.search(r"((?:19|20)\d\d)\s*年", h)  # "2025年目标值", or "目标值2025年" from two header rows
            role = "base" if BASE_LABEL.search(h) else "target"
            if year and ctx.plan_end and ctx.plan_start and not re.search(r"目标|规划|预期|指标", h):
                role = "base" if int(year.group(1)) < ctx.plan_start else role  # a bare year before the plan
            value_cols.append((j, int(year.group(1)) if year else None, role))
        elif re.search(r"指标|名称|项目", h) or (h.endswith("内容") and "name" not in col):
            col["name"] = j
    if not any(role == "target" for _, _, role in value_cols):
        return []
    if (
        not any(role == "base" for _, _, role in value_cols)
        and len(value_cols) >= 2
        and not ctx.plan_end
        and not re.search(r"目标|规划|预期|指标", header[value_cols[0][0]])
    ):
        value_cols[0] = (value_cols[0][0], value_cols[0][1], "base")  # two bare year columns: base, target
    if not any(year for _, year, _ in value_cols):  # no years in the header: the table's own year
        value_cols = [(j, None, role) for j, _, role in value_cols]

    def cell(j):
        if j is None or j - shift < 0 or j - shift >= len(ncells):
            return ""
        return ncells[j - shift]

    name_j = col.get("name", 0) - shift
    if name_j < 0 or name_j >= len(cells):
        return []
    row = Row(
        name_parts=[cells[name_j][1].strip()],
        unit=cell(col.get("unit")),
        values=[cell(j) for j, _, _ in value_cols],
        attribute=(cell(col.get("attr")) if ATTRIBUTE.match(cell(col.get("attr"))) else None),
        span=(cells[0][0], cells[-1][0] + len(cells[-1][1])),
    )
    return row_items([row], [(year, role) for _, year, role in value_cols], ctx, text, block)


def _pairs(cells, ncells, text, norm, ctx: Context, block: int) -> list[Item]:
    """A row without a header: 'name | value' pairs, other cells read as sentences."""
    items = []
    for j, (off, raw) in enumerate(cells):
        if j > 0 and bare_value(ncells[j]) is not None and ncells[j - 1] and bare_value(ncells[j - 1]) is None:
            prev_off, prev_raw = cells[j - 1]
            row = Row(name_parts=[prev_raw.strip()], values=[ncells[j]], span=(prev_off, off + len(raw.rstrip())))
            items.extend(row_items([row], [], ctx, text, block))
        elif bare_value(ncells[j]) is None:
            items.extend(paragraph_items(off, norm[off : off + len(raw)], ctx, text, source="table"))
    return items


def pipe_cell(lines, i: int, text: str, norm: str, ctx: Context) -> list[Item]:
    offset, line = lines[i]
    nline = norm[offset : offset + len(line)]
    if bare_value(nline) is not None:
        k = i - 1
        while k >= 0 and lines[k][1].strip() in ("", "|"):
            k -= 1
        if k >= 0:
            prev_off, prev = lines[k]
            if bare_value(norm[prev_off : prev_off + len(prev)]) is None and len(prev.strip()) <= 30:
                row = Row(
                    name_parts=[prev.strip()],
                    values=[nline.strip()],
                    span=(prev_off + len(prev) - len(prev.lstrip()), offset + len(line.rstrip())),
                )
                return row_items([row], [], ctx, text, block=prev_off)
        return []
    return paragraph_items(offset, nline, ctx, text, source="table")


def flattened_table(header: str, body: list[tuple[int, str]], ctx: Context, text: str, block: int) -> list[Item]:
    """A table flattened into text: `header` is its normalised header line, `body` the lines after it."""
    columns = value_columns([header], ctx.plan_start if ctx.plan_end else None)
    rows = parse_layout_table(
        body,
        has_attribute="属性" in header,
        ncols=len(columns),
        has_category=bool(re.search(r"(?:类别|领域|类型|分类|方面)\s+\S*指\s*标", header)),
    )
    return row_items(rows, columns, ctx, text, block=block)


def cell_per_line_items(
    header: list[str], rows: list[list[tuple[int, str]]], text: str, ctx: Context, block: int
) -> list[Item]:
    """The rows of a table pasted one cell per line (`layout.cell_per_line_table`)."""
    items = []
    for cells in rows:
        ncells = [char_normalise(c).strip() for _, c in cells]
        items.extend(_header_row(header, cells, ncells, text, ctx, block=block))
    return items
