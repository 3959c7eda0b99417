"""Indicator tables that a web page flattened to one cell per line (often with blank lines between the
cells), found by their shape rather than by fixed header words.

    序号 / 分类 / 工作内容及指标 / 2025年目标        a header of short heading cells, none a value
    1 / 产品 / 质量 / 制造业产品质量合格率 / 95%     a category cell split over two lines
    2 / 食品抽检合格率 / 98.5                        the category cell spans rows: this row has none
    3 / 省级质量标杆企业 / 家 / 12                   a count with its unit in a cell of its own

The header must name what the rows are (序号, 分类, 类别, 指标, 名称, 项目, 内容, 领域 …) and at least one
value column (a year, 目标, 目标值, 指标值 …). Rows are cut at their serial numbers when the header has a
序号 column, at their 约束性/预期性 cell when it has 属性, else after their value cells. Each row is read
from the right — attribute, value cells, unit — and what is left is the category and the name. A row
that cannot be read this way is returned with its lines, for the reviewer, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .cells import (
    ATTRIBUTE,
    NAME_HEADING,
    PLACEHOLDER,
    TARGET_CELL,
    VALUE,
    VALUE_HEADING,
    Row,
    ends_table,
    is_heading,
    value_columns,
)
from .normalise import char_normalise, is_unit_token

SERIAL_CELL = re.compile(r"^\d{1,2}[.、．]?$")
MAX_CELL = 30  # a cell longer than this is prose: the table is over


@dataclass
class StackedTable:
    header: list[str]
    columns: list[tuple[Optional[int], str]]  # value columns (year, role), left to right
    rows: list[Row] = field(default_factory=list)
    unread: list[tuple[str, tuple[int, int]]] = field(default_factory=list)  # (why, span of its lines)
    end: int = 0  # index of the first line after the table


def _is_value(cell: str) -> bool:
    s = char_normalise(cell).strip()
    if VALUE.match(s) or PLACEHOLDER.match(s):
        return True
    return bool(
        re.fullmatch(
            r"[<>≥≤]?\d+(?:\.\d+)?\s*(?:%|‰|个|家|件|项|所|座|条|名|次|处|台|批|万|亿|分|人次|批次)"
            r"(?:以上|以下|左右)?",
            s,
        )
    )


def _unit(cell: str) -> bool:
    """A unit cell: a known unit, or a rate unit "人/万台", "元/人" (one to four characters either side)."""
    s = char_normalise(cell).strip()
    return is_unit_token(s) or bool(re.fullmatch(r"[\u4e00-\u9fffa-z]{1,4}/[\u4e00-\u9fffa-z0-9³²]{1,4}", s))


def _word_target(cell: str) -> bool:
    s = char_normalise(cell).strip()
    return bool(TARGET_CELL.search(s)) and not re.search(r"(?:率|数|度|量|指数|比重|比例)$", s)


def _cells(lines: list[tuple[int, str]], i: int):
    """(line index, offset, text) of each non-blank cell from line `i` on, up to prose."""
    for k in range(i, len(lines)):
        off, raw = lines[k]
        text = raw.strip()
        if text in ("", "|"):
            continue
        if len(text) > MAX_CELL or ends_table(raw) or "\n" in text:
            return
        yield k, off + len(raw) - len(raw.lstrip()), text


def read_stacked(lines: list[tuple[int, str]], i: int, plan_start: Optional[int] = None) -> Optional[StackedTable]:
    """The table whose header starts at line `i`, or None when the lines there are not such a table."""
    found = _cells(lines, i)
    header: list[str] = []
    body: list[tuple[int, int, str]] = []
    for cell in found:
        if is_heading(cell[2]) and not body:
            header.append(re.sub(r"\s+", "", char_normalise(cell[2])))
            continue
        if (
            len(header) < 2
            or not any(NAME_HEADING.search(h) for h in header)
            or not any(VALUE_HEADING.search(h) for h in header)
        ):
            return None
        body.append(cell)
        body.extend(found)
    return _table(header, body, plan_start)


def read_stacked_body(
    header_line: str, lines: list[tuple[int, str]], i: int, plan_start: Optional[int] = None
) -> Optional[StackedTable]:
    """A header laid out on one line ("序号 类别 指标 单位 2025年") over rows pasted one cell per line
    from line `i` on; None unless most body lines are single cells."""
    body = list(_cells(lines, i))
    if not body or sum(len(text.split()) == 1 for _, _, text in body) < 0.7 * len(body):
        return None
    return _table([re.sub(r"\s+", "", t) for t in char_normalise(header_line).split()], body, plan_start)


def _table(header: list[str], body, plan_start: Optional[int]) -> Optional[StackedTable]:
    if not body:
        return None
    columns = value_columns(header, plan_start) or [(None, "target")]
    has_serial = "序号" in header
    has_attribute = any("属性" in h for h in header)
    table = StackedTable(header, columns, end=body[-1][0] + 1)
    for group in _rows(body, has_serial, has_attribute, len(columns)):
        row = _read_row(group, len(columns))
        if row is None:
            span = (group[0][1], group[-1][1] + len(group[-1][2]))
            table.unread.append(("a table row whose name or value cells could not be told apart", span))
        else:
            table.rows.append(row)
    if len(table.rows) < 2 or len(table.rows) < len(table.unread):
        return None  # not the regular shape of a table
    return table


def _rows(body, has_serial: bool, has_attribute: bool, nvalues: int) -> list[list[tuple[int, int, str]]]:
    groups: list[list[tuple[int, int, str]]] = []
    if has_serial:
        expected = 1
        for k, cell in enumerate(body):
            serial = SERIAL_CELL.match(char_normalise(cell[2]))
            number = int(re.sub(r"\D", "", cell[2])) if serial else None
            # A serial starts the next row when this row has its value, or when a name follows it (a
            # number that is the row's value, "3", is followed by the next serial); numbering may
            # restart at 1 under a new category.
            complete = bool(groups) and any(_is_value(c[2]) or _word_target(c[2]) for c in groups[-1][1:])
            after = body[k + 1][2] if k + 1 < len(body) else ""
            name_follows = bool(after) and not _is_value(after) and not SERIAL_CELL.match(char_normalise(after))
            if number is not None and (not groups or (number in (expected, 1) and (complete or name_follows))):
                expected = number + 1
                groups.append([cell])
            elif groups:
                groups[-1].append(cell)
        return groups
    current: list = []
    run = 0  # value cells seen at the end of the current row
    for cell in body:
        current.append(cell)
        if has_attribute:
            if ATTRIBUTE.match(char_normalise(cell[2]).strip()):
                groups.append(current)
                current = []
            continue
        run = run + 1 if (_is_value(cell[2]) or (run == 0 and len(current) > 1 and _word_target(cell[2]))) else 0
        if run >= nvalues:
            groups.append(current)
            current, run = [], 0
    if current:
        groups.append(current)
    return groups


def _read_row(group, nvalues: int) -> Optional[Row]:
    texts = [c[2] for c in group]
    if texts and SERIAL_CELL.match(char_normalise(texts[0])):
        texts = texts[1:]
    attribute = None
    if texts and ATTRIBUTE.match(char_normalise(texts[-1]).strip()):
        attribute = texts.pop()
    values: list[str] = []
    while texts and len(values) < nvalues and (_is_value(texts[-1]) or (not values and _word_target(texts[-1]))):
        cell = char_normalise(texts.pop()).strip()
        values.insert(0, "" if PLACEHOLDER.match(cell) else cell)
    unit = texts.pop() if len(texts) >= 2 and _unit(texts[-1]) else ""
    if not values or not texts or not any(values):
        return None
    name = texts[-1]  # the cells before the name are its category (possibly split over lines)
    if (
        len(texts) >= 2
        and not re.search(r"(?:率|数|度|量|指数|比重|比例|[)）])$", texts[-2])
        and re.match(r"^[(（率数度量]", name)
    ):
        name = texts[-2] + name  # a name wrapped onto the next line ("…合格" / "率")
    return Row(
        name_parts=[name],
        unit=unit,
        values=values,
        attribute=attribute,
        span=(group[0][1], group[-1][1] + len(group[-1][2])),
    )
