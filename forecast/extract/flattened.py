"""Indicator tables flattened into whitespace-laid-out text.

A web page copied as text turns a table such as

    指标名称   单位 2020年指标 指标属性
    经济发展 服务业增加值   亿元 190 预期性
      研究与试验发展(r&d)经   % 4 预期性
      费投入强度

into lines where a row's name may wrap onto the lines before or after its values, a merged row
label ("经济发展") sits at the start of a line, and blank lines separate rows. The parser finds the
anchor line of each row (the one with the value and, when the table has an attribute column, the
约束性/预期性 cell), then gives it the name fragments of its row.
"""

from __future__ import annotations

import re
from typing import Optional

from .cells import ATTRIBUTE, PLACEHOLDER, TARGET_CELL, VALUE, Row
from .normalise import KNOWN_UNITS, UNIT_JOINS, char_normalise, is_unit_token

# A row that opens with its serial number ("2 食品抽检合格率 % 96.4 ≥97 约束性"): the number is no name.
SERIAL = re.compile(r"^\s*(\d{1,2})[.、．]?\s+(?=[^\s\d<>≥≤—\-])")


def _tokens(line: str) -> list[str]:
    return line.split()


def _classify(tokens: list[str], ncols: int = 0):
    """(value tokens, unit, attribute, name tokens) of one table line; `ncols` value columns when the
    header names two or more (an empty cell is then "")."""
    attr = None
    toks = list(tokens)
    if toks and ATTRIBUTE.match(toks[-1]):
        attr = toks.pop()
    values: list[str] = []
    if ncols >= 2:
        # Read cells from the right until every value column has one: numbers ("≥97", "〔14〕"), empty
        # cells ("—") and targets in words ("完成市下达目标"). The name is never taken as a cell.
        while toks and len(values) < ncols:
            t = char_normalise(toks[-1])
            if VALUE.match(t):
                values.insert(0, toks.pop())
            elif PLACEHOLDER.match(t) and len(toks) >= 2:
                toks.pop()
                values.insert(0, "")
            elif len(toks) >= 2 and TARGET_CELL.search(t) and not is_unit_token(t):
                values.insert(0, toks.pop())
            else:
                break
        if not any(values):
            values = []
        unit = toks.pop() if toks and is_unit_token(toks[-1]) and (values or len(toks) >= 2) else ""
        return values, unit, attr, toks
    while toks and VALUE.match(char_normalise(toks[-1])):
        values.insert(0, toks.pop())
    # An empty value cell ("—", "/") between the unit and a value: the base year was not reported.
    while values and len(toks) >= 2 and PLACEHOLDER.match(toks[-1]) and is_unit_token(toks[-2]):
        toks.pop()
        values.insert(0, "")
    if attr and not values and len(toks) >= 1:
        # A non-numeric target cell ("完成上级下达", "全覆盖") stands just before the attribute.
        if len(toks) >= 2 or not is_unit_token(toks[-1]):
            values = [toks.pop()]
    unit = ""
    if toks and is_unit_token(toks[-1]) and (values or len(toks) >= 2):
        unit = toks.pop()
    return values, unit, attr, toks


def parse_layout_table(
    lines: list[tuple[int, str]], has_attribute: bool, ncols: int = 0, has_category: bool = False
) -> list[Row]:
    """Rows of a flattened table. `lines` are (document offset, line text) after the header line;
    `ncols` the number of value columns the header names; `has_category` when a 类别/领域 column
    stands before the indicator's name."""
    numbered = _numbered_rows(lines, ncols, has_category)
    if numbered is not None:
        return numbered
    groups: list[list[tuple[int, str]]] = [[]]
    for offset, text in lines:
        if not text.strip():
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append((offset, text))
    rows: list[Row] = []
    for group in groups:
        entries = []  # (kind, row-or-fragments)
        k = 0
        while k < len(group):
            offset, text = group[k]
            tokens = _tokens(text)
            values, unit, attr, names = _classify(tokens, ncols)
            col0 = not text[:1].isspace()
            label = ""
            if col0 and len(names) >= 2:
                label, names = names[0], names[1:]
            if len(names) >= 2 and re.fullmatch(r"\d{1,2}[.、．]?", names[0]):
                names = names[1:]  # "环境质量  1  细颗粒物浓度 …": a serial after the category is no name
            start = offset + (len(text) - len(text.lstrip()))
            span = (start, offset + len(text.rstrip()))
            # A name with a unit but no value, completed by a next line of "<value> <attribute>".
            if not values and unit and k + 1 < len(group):
                nv, nu, na, nn = _classify(_tokens(group[k + 1][1]), ncols)
                if na and nv and not nu and not nn:
                    row = Row(
                        name_parts=names,
                        unit=unit,
                        values=nv,
                        attribute=na,
                        label=label,
                        span=(span[0], group[k + 1][0] + len(group[k + 1][1].rstrip())),
                    )
                    entries.append(("row", row))
                    k += 2
                    continue
            last = next((r for kind_, r in reversed(entries) if kind_ == "row"), rows[-1] if rows else None)
            if (
                attr
                and values
                and not _numeric(values)
                and not names
                and not unit
                and last is not None
                and last.attribute is None
                and _numeric(last.values)
            ):
                entries.append(("attr", attr))  # "工程 预期性": a label and the attribute of the row above
            elif values and not (attr is None and has_attribute and not _numeric(values)):
                row = Row(
                    name_parts=names,
                    unit=unit,
                    values=values,
                    attribute=attr,
                    label=label,
                    span=span,
                    own_name=bool(names),
                )
                entries.append(("row", row))
            elif attr and not values:
                entries.append(("attr", attr))
            else:
                entries.append(("frag", (names, unit, tokens)))
            k += 1
        _assemble(entries, rows)
    return [r for r in rows if r.name or r.values]


def _numbered_rows(lines: list[tuple[int, str]], ncols: int, has_category: bool = False) -> Optional[list[Row]]:
    """Rows that open with serial numbers counting up (1, 2, 3 …): a row runs from its serial to the
    next one, so a name wrapped onto the line before its values ("11 每万人口高价值发明专利" /
    "拥有量 件 3.1 5 预期性") or after them ("2 食品抽检总体合格 96.4 ≥97" / "率(%)") stays whole.
    None when the rows are not numbered."""
    starts = [k for k, (_, text) in enumerate(lines) if SERIAL.match(char_normalise(text))]
    serials = [int(SERIAL.match(char_normalise(lines[k][1])).group(1)) for k in starts]
    if len(starts) < 2 or serials != list(range(serials[0], serials[0] + len(serials))):
        return None
    rows: list[Row] = []
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        group = [(o, t) for o, t in lines[k:end] if t.strip()]
        first_offset, first = group[0]
        cut = SERIAL.match(char_normalise(first)).end()
        parts = [(first_offset + cut, first[cut:])] + group[1:]
        classified = [_classify(_tokens(t), ncols) for _, t in parts]
        if has_category and len(classified[0][3]) >= 2:  # "2 质量水平 主要工业产品…": the category cell
            classified[0] = classified[0][:3] + (classified[0][3][1:],)
        anchor = next((j for j, (v, _, a, _) in enumerate(classified) if v), None)
        if anchor is None:
            continue
        values, unit, attr, names = classified[anchor]
        start = first_offset + len(first) - len(first.lstrip())
        row = Row(
            name_parts=list(names),
            unit=unit,
            values=values,
            attribute=attr,
            span=(start, group[-1][0] + len(group[-1][1].rstrip())),
        )
        for j, (v, u, a, nm) in enumerate(classified):
            if j == anchor:
                continue
            if a and row.attribute is None:
                row.attribute = a
            row_names = nm + ([u] if u and row.unit else [])  # a second "unit" is more name ("率(%)")
            if u and not row.unit:
                row.unit = u
            _attach(row, "frag", (row_names, "", _tokens(parts[j][1])), prefix=j < anchor)
        rows.append(row)
    return rows


def _numeric(values: list[str]) -> bool:
    return all(VALUE.match(char_normalise(v)) for v in values)


def _assemble(entries, rows: list[Row]) -> None:
    """Give each anchor row the name fragments of its group (see the module docstring)."""
    anchors = [i for i, (kind, _) in enumerate(entries) if kind == "row"]
    if not anchors:
        target = rows[-1] if rows else None
        for kind, item in entries:
            # A lone line after a row whose name is complete is a merged row label, not more name.
            if target is not None and not (kind == "frag" and _complete(target.name)):
                _attach(target, kind, item, prefix=False)
        return
    owner: dict[int, tuple[int, bool]] = {}
    for i, (kind, item) in enumerate(entries):
        if kind == "row":
            continue
        before = [a for a in anchors if a < i]
        after = [a for a in anchors if a > i]
        if kind == "attr":
            missing = [a for a in before[-1:] + after[:1] if entries[a][1].attribute is None]
            owner[i] = (missing[0], False) if missing else ((before or after)[-1 if before else 0], False)
        elif not before or after and not entries[after[0]][1].own_name:
            owner[i] = (after[0], True)
        elif after and _complete(entries[before[-1]][1].name) and not _continues(item):
            owner[i] = (after[0], True)  # the row above is whole: the line starts the next row's name
        else:
            owner[i] = (before[-1], False)
    prefixes: dict[int, list] = {a: [] for a in anchors}
    for i, (kind, item) in enumerate(entries):
        if kind == "row":
            continue
        a, is_prefix = owner[i]
        row = entries[a][1]
        if is_prefix:
            prefixes[a].append((kind, item))
        else:
            _attach(row, kind, item, prefix=False)
    for a in anchors:
        row = entries[a][1]
        for kind, item in reversed(prefixes[a]):
            _attach(row, kind, item, prefix=True)
        rows.append(row)


def _attach(row: Row, kind: str, item, prefix: bool) -> None:
    if kind == "attr":
        if row.attribute is None:
            row.attribute = item
        return
    names, unit, tokens = item
    if unit and row.unit and char_normalise(row.unit + unit) in KNOWN_UNITS:
        row.unit = row.unit + unit
    elif names and row.unit in UNIT_JOINS and char_normalise(row.unit + names[-1]) in KNOWN_UNITS | {"万立方米"}:
        row.unit = row.unit + names.pop()
    text = "".join(names)
    if not text:
        return
    if prefix:
        row.name_parts.insert(0, text)
    else:
        row.name_parts.append(text)


COMPLETE_NAME = re.compile(r"(?:率|数|量|度|比重|比例|指数|强度|面积|产值|增加值|总额|[)）])$")


def _complete(name: str) -> bool:
    """A name that reads as finished (ends in 率, 数量, 比重, a closing bracket …)."""
    return bool(COMPLETE_NAME.search(char_normalise(name)))


def _continues(item) -> bool:
    names, unit, tokens = item
    text = "".join(names)
    return not text or text[0] in ")）%"
