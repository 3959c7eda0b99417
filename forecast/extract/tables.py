"""Indicator tables: rows of cells (HTML, .docx) and tables flattened into whitespace-laid-out text.

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
from dataclasses import dataclass, field
from typing import Optional

from .normalise import KNOWN_UNITS, UNIT_JOINS, char_normalise, is_unit_token
from .phrases import MENTION

ATTRIBUTE = re.compile(r"^(约束性|预期性)$")
# A value cell: "95", "≥97", "<3", "98%以上", and "〔14〕", the way five-year plans mark a cumulative figure.
VALUE = re.compile(r"^(?P<op>[<>≥≤]=?)?(?P<num>\d+(?:\.\d+)?)(?P<unit>%|‰|万|亿)?(?:[-—–~～](?P<num2>\d+(?:\.\d+)?)(?:%|‰|万|亿)?)?"
                   r"(?P<suffix>以上|以下|左右)?$|^[〔\[](?P<cum>\d+(?:\.\d+)?)[〕\]]$")  # also ranges "5-8"
# A target cell in words ("完成市下达目标", "全覆盖", "达到省考核要求", "稳定达到Ⅲ类"): what it must contain.
TARGET_CELL = re.compile(r"完成|下达|覆盖|达到|达标|要求|目标|任务|考核|稳定|保持|持续|优于|好于|不低于|不高于|控制|"
                         r"类及以上|提高|提升|下降|降低|改善|领先|前列|先进")
# A row that opens with its serial number ("2 食品抽检合格率 % 96.4 ≥97 约束性"): the number is no name.
SERIAL = re.compile(r"^\s*(\d{1,2})[.、．]?\s+(?=[^\s\d<>≥≤—\-])")
# Value-column headings: "2020年基期值", "2025年目标值", "2020年指标", "2027年" and year-less "基期值" / "目标值".
_LABEL = r"基期值?|基数|现状值?|实际(?:完成)?值?|完成值?|预计(?:完成)?值?|目标值?|规划(?:目标)?值?|预期(?:目标)?值?|指标值?"
COLUMN = re.compile(rf"(?P<label2>{_LABEL})[(（](?P<year2>(?:19|20)\d\d)年?[)）]|"  # "现状值(2020年)"
                    rf"(?P<year>(?:19|20)\d\d)年(?:底|末)?[(（]?(?P<label>{_LABEL})?[)）]?|"  # "2025年目标值", "2025年(目标)"
                    r"(?P<bare>基期值|现状值|目标值|规划值)")
BASE_LABEL = re.compile(r"基期|基数|现状|实际|完成|预计")
PLACEHOLDER = re.compile(r"^(?:—+|-+|/|－|无|空)$")
YEAR_COL = re.compile(r"(20\d\d|19\d\d)\s*年")
HEADER = re.compile(r"指标")
HEADER_COLUMNS = re.compile(r"单位|属性|目标值|基期|现状|\d{4}\s*年")


@dataclass
class Row:
    """One indicator row: its name, unit, value cells and attribute, and the span of its anchor line."""

    name_parts: list[str] = field(default_factory=list)
    unit: str = ""
    values: list[str] = field(default_factory=list)
    attribute: Optional[str] = None
    label: str = ""
    span: tuple[int, int] = (0, 0)
    own_name: bool = True

    @property
    def name(self) -> str:
        return "".join(self.name_parts)


def _compact(line: str) -> str:
    """A header without its spaces: web pages space out short headings ("指  标", "单 位")."""
    return re.sub(r"\s+", "", char_normalise(line))


def is_layout_header(line: str) -> bool:
    s = _compact(line)
    return len(line.strip()) <= 60 and bool(HEADER.search(s)) and len(HEADER_COLUMNS.findall(s)) >= 2 and "。" not in s


def header_years(line: str) -> list[int]:
    return [int(y) for y in YEAR_COL.findall(char_normalise(line))]


def value_columns(headings: list[str], plan_start: Optional[int] = None) -> list[tuple[Optional[int], str]]:
    """(year, role) of each value column named in `headings` (one string per cell, or one string for a
    whole header line), left to right; role is "base" or "target".

    A column labelled 基期/现状/实际/预计 holds the level the plan starts from; 目标/规划/预期/指标 a
    target. A year column without a label is the base when its year is before the plan period
    ("2020年 2025年 2027年" in a 2021–2025 plan); a later one is a target year ("2025年 2035年").
    When the period is unknown, the first of two or more unlabelled year columns is the base."""
    found: list[tuple[Optional[int], str]] = []
    for heading in headings:
        for m in COLUMN.finditer(_compact(heading)):
            year = m.group("year") or m.group("year2")
            label = m.group("label") or m.group("label2") or m.group("bare") or ""
            found.append((int(year) if year else None, "base" if BASE_LABEL.search(label) else "target" if label else ""))
    if plan_start:
        found = [(y, role or ("base" if y and y < plan_start else "target")) for y, role in found]
    elif not any(role == "base" for _, role in found) and len(found) >= 2 and found[0][1] == "":
        found[0] = (found[0][0], "base")
    return [(year, role or "target") for year, role in found]


def ends_table(line: str) -> bool:
    """A heading or a sentence of prose: the flattened table is over."""
    s = char_normalise(line).strip()
    if not s:
        return False
    if re.match(r"^(第[一二三四五六七八九十]+[章节篇]|[一二三四五六七八九十]+、|[(][一二三四五六七八九十]+[)]|\d+[.、](?!\d)|专栏\s*\d|表\s*\d)", s):
        return True
    return "。" in s or (len(s) > 40 and s.count(",") + s.count("，") >= 2)


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


def parse_layout_table(lines: list[tuple[int, str]], has_attribute: bool, ncols: int = 0,
                       has_category: bool = False) -> list[Row]:
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
            start = offset + (len(text) - len(text.lstrip()))
            span = (start, offset + len(text.rstrip()))
            # A name with a unit but no value, completed by a next line of "<value> <attribute>".
            if not values and unit and k + 1 < len(group):
                nv, nu, na, nn = _classify(_tokens(group[k + 1][1]), ncols)
                if na and nv and not nu and not nn:
                    row = Row(name_parts=names, unit=unit, values=nv, attribute=na, label=label,
                              span=(span[0], group[k + 1][0] + len(group[k + 1][1].rstrip())))
                    entries.append(("row", row))
                    k += 2
                    continue
            last = next((r for kind_, r in reversed(entries) if kind_ == "row"), rows[-1] if rows else None)
            if attr and values and not _numeric(values) and not names and not unit and last is not None \
                    and last.attribute is None and _numeric(last.values):
                entries.append(("attr", attr))  # "工程 预期性": a label and the attribute of the row above
            elif values and not (attr is None and has_attribute and not _numeric(values)):
                row = Row(name_parts=names, unit=unit, values=values, attribute=attr, label=label, span=span,
                          own_name=bool(names))
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
        row = Row(name_parts=list(names), unit=unit, values=values, attribute=attr,
                  span=(start, group[-1][0] + len(group[-1][1].rstrip())))
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
        elif not before:
            owner[i] = (after[0], True)
        elif after and not entries[after[0]][1].own_name:
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


def bare_value(cell: str) -> Optional[re.Match]:
    """A cell that is only a value: '80个以上', '1个', '95%', '>71.8'."""
    return MENTION.fullmatch(char_normalise(cell).strip().rstrip("。;；"))


COMPLETE_NAME = re.compile(r"(?:率|数|量|度|比重|比例|指数|强度|面积|产值|增加值|总额|[)）])$")


def _complete(name: str) -> bool:
    """A name that reads as finished (ends in 率, 数量, 比重, a closing bracket …)."""
    return bool(COMPLETE_NAME.search(char_normalise(name)))


def _continues(item) -> bool:
    names, unit, tokens = item
    text = "".join(names)
    return not text or text[0] in ")）%"
