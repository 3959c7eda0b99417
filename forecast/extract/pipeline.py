"""`extract_plan(path)`: read a plan document, walk it line by line, and collect its targets and
baselines with the verbatim quote behind each."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import phrases, qualitative
from .baselines import is_baseline, resolve_point_changes, stated_past_year
from .context import FIVE_YEAR, FIVE_YEAR_RE, TITLE_LINE, YEAR_RANGE, Context, heading_levels, stated_years
from .normalise import MEASURE_WORDS, char_normalise, is_unit_token, normalise_unit
from .merging import assign_ids, merge
from .reading import CELL_SEP, Document, read_document
from .tables import (ATTRIBUTE, BASE_LABEL, PLACEHOLDER, VALUE, Row, bare_value, ends_table, is_layout_header, parse_layout_table,
                     value_columns)

AVG_GROWTH_NAME = re.compile(r"年均(?:增速|增长率?|增幅|增长速度)$")
STRONG_CUES = {"avg_growth>=", ">=", "<=", "control", "maintain", "reduce", "increase", "reach", "count"}


@dataclass
class Item:
    """One extracted target or baseline, in the plan-file vocabulary."""

    kind: str  # "target" | "baseline"
    indicator: str
    comparator: str
    value: Optional[float]
    unit: str
    year: Optional[int]
    base_year: Optional[int]
    attribute: Optional[str]
    quote: str
    source: str  # "table" | "text"
    block: int  # the paragraph or table it came from (restatements elsewhere are merged)
    note: str = ""
    confidence: float = 0.8
    alt_quotes: list[str] = field(default_factory=list)
    section: str = ""  # the headings it stands under, for the reviewer


@dataclass
class ExtractedPlan:
    document: Path
    plan_title: Optional[str]
    region: Optional[str]
    issued: Optional[str]
    period: Optional[tuple[int, int]]
    targets: list[Item]
    baselines: list[Item]

    @property
    def numeric_targets(self) -> list[Item]:
        return [t for t in self.targets if t.comparator != "qualitative"]

    @property
    def qualitative_targets(self) -> list[Item]:
        return [t for t in self.targets if t.comparator == "qualitative"]


def extract_plan(path: Path) -> ExtractedPlan:
    return extract_document(read_document(Path(path)))


def extract_document(doc: Document) -> ExtractedPlan:
    text = doc.text
    norm = char_normalise(text)
    title, region, issued, period = plan_metadata(text, norm)
    ctx = Context(plan_end=period[1] if period else None, plan_start=period[0] if period else _year(issued))
    lines = _reflow(_lines(text))
    items: list[Item] = []
    i = done = 0
    while i < len(lines):
        for item in items[done:]:
            item.section = item.section or ctx.section
        done = len(items)
        offset, line = lines[i]
        nline = norm[offset:offset + len(line)].replace("\n", " ")  # a rejoined paragraph reads as one line
        stripped = nline.strip()
        if not stripped:
            i += 1
            continue
        if CELL_SEP in line:
            end = i
            while end < len(lines) and (CELL_SEP in lines[end][1] or lines[end][1].strip().startswith("|")):
                end += 1
            items.extend(_cell_table(lines[i:end], text, norm, ctx))
            i = end
            continue
        if is_layout_header(nline):
            end = i + 1
            while end < len(lines) and not ends_table(norm[lines[end][0]:lines[end][0] + len(lines[end][1])]):
                end += 1
            columns = value_columns([nline], ctx.plan_start if ctx.plan_end else None)
            rows = parse_layout_table(lines[i + 1:end], has_attribute="属性" in nline, ncols=len(columns),
                                      has_category=bool(re.search(r"(?:类别|领域|类型|分类|方面)\s+\S*指\s*标", nline)))
            items.extend(_row_items(rows, columns, ctx, text, block=offset))
            i = end
            continue
        if stripped == "|":
            i += 1
            continue
        column_table = _cell_per_line_table(lines, i, text, norm, ctx)
        if column_table is not None:
            found, i = column_table
            items.extend(found)
            continue
        if _is_pipe_cell(lines, i):  # a cell is never a heading ("标准化基础" is a row label)
            items.extend(_pipe_cell(lines, i, text, norm, ctx))
        else:
            ctx.enter(nline)
            items.extend(_paragraph_items(offset, norm[offset:offset + len(line)], ctx, text, source="text"))
        i += 1
    for item in items[done:]:
        item.section = item.section or ctx.section
    items = [_valid(item) for item in items]
    resolve_point_changes(items, ctx)
    targets = merge([t for t in items if t.kind == "target"])
    baselines = merge([t for t in items if t.kind == "baseline"])
    assign_ids(targets, "t")
    assign_ids(baselines, "b")
    return ExtractedPlan(doc.path, title, region, issued, period, targets, baselines)


def _valid(item: Item) -> Item:
    """An item the plan schema would refuse ("下降120%") is kept for review as qualitative, with why."""
    from pydantic import ValidationError

    from ..schema import Target

    try:
        Target(id="check", comparator=item.comparator, value=item.value, year=item.year, base_year=item.base_year)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        item.note = "; ".join(filter(None, [item.note, f"read as {item.comparator} {item.value:g}, which the "
                                            f"plan schema refuses ({reason})"]))
        item.comparator = "qualitative"
    return item


def _year(date: Optional[str]) -> Optional[int]:
    return int(date[:4]) if date else None


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


SENTENCE_END = re.compile(r"[。！？!?；;：:]\s*$")
BULLET = re.compile(r"^\s*(?:——|[•●◆■▲\-*])")


def _table_like(line: str) -> bool:
    """A table row or header laid out with single spaces: it ends in 约束性/预期性, or ends in two value
    cells and has no sentence punctuation ("… % 94.2 95 96"), or is a table header. (Prose with
    spaced-out numbers, "到 2020 年,合格率达到 98", is none of these.)"""
    s = char_normalise(line)
    tokens = s.split()
    if tokens and ATTRIBUTE.match(tokens[-1]):
        return True
    if len(tokens) >= 3 and all(VALUE.match(t) for t in tokens[-2:]) and not re.search(r"[，,。；;、]", s):
        return True
    return is_layout_header(line)


def _reflow(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join lines that a PDF conversion or hard wrapping broke mid-sentence, so "…合格率达" and
    "到95%以上。" read as one paragraph. Table rows, headings and bullets are never joined (a heading
    that already carries the first sentence of its section, "1.质量稳步提升。2020年，…", may be)."""
    def prose(line: str) -> bool:  # a sentence, not a table row: punctuation or length, no column gaps
        s = line.strip()
        return (bool(s) and "|" not in s and not re.search(r"\S\s{2,}\S", s) and not _table_like(s)
                and (bool(re.search(r"[，,、；;。]", s)) or len(s) >= 30))

    out: list[tuple[int, str]] = []
    for offset, line in lines:
        if out:
            prev_offset, prev = out[-1]
            last = prev.rsplit("\n", 1)[-1]
            if (prose(last) and prose(line) and len(last.strip()) >= 15 and not SENTENCE_END.search(last)
                    and not (heading_levels(last) and len(last.strip()) < 40 and not re.search(r"[。：:]\s*\S", last))
                    and not heading_levels(line)
                    and not BULLET.match(line) and not TITLE_LINE.match(line.strip())
                    and not is_layout_header(line)):
                out[-1] = (prev_offset, prev + "\n" + line)
                continue
        out.append((offset, line))
    return out


# ---------------------------------------------------------------- paragraphs

def _compact(offset: int, nline: str) -> tuple[str, list[int]]:
    """A rejoined paragraph without its line breaks (and the spaces around them), so a number or word
    broken across lines reads whole; with the document offset of every character kept."""
    chars: list[str] = []
    positions: list[int] = []
    k = 0
    while k < len(nline):
        if nline[k] == "\n":
            while chars and chars[-1] in " \t":
                chars.pop()
                positions.pop()
            k += 1
            while k < len(nline) and nline[k] in " \t":
                k += 1
            continue
        chars.append(nline[k])
        positions.append(offset + k)
        k += 1
    return "".join(chars), positions


def _paragraph_items(offset: int, nline: str, ctx: Context, text: str, source: str) -> list[Item]:
    nline, positions = _compact(offset, nline)
    if not nline:
        return []

    def span(start: int, end: int) -> str:
        start, end = min(start, len(positions) - 1), min(max(start + 1, end), len(positions))
        return _quote(text, positions[start], positions[end - 1] + 1)
    mentions = phrases.find_mentions(nline, bare_years=ctx.in_goal)
    items = []
    ctx.saw_paragraph(nline, [y for _, y in phrases.target_years(nline, bare=ctx.in_goal)])
    for m in mentions:
        # "建设国家级质检中心1个": a count after a verb of building or winning opens the clause.
        counted = m.unit in MEASURE_WORDS and phrases.COUNT_VERBS.match(nline[phrases.clause_start(nline, m.start):m.end].lstrip())
        strong = m.cue in STRONG_CUES or m.suffix or (m.comparator and m.cue == "") or (m.year and m.verb) or counted
        if not (ctx.in_goal or ctx.in_status or ctx.table_year or source == "table") and not strong:
            continue
        if m.cue == "weak":  # "从3个方面入手": a count with no verb of achieving before it
            continue
        baseline = (ctx.in_status and not ctx.in_goal) or m.cue == "from"
        year = m.year if m.year is not None else ctx.default_year()
        if m.cue == "from" and m.year is None:  # "由60%提高到65%": the level before the plan period
            year = ctx.plan_start - 1 if ctx.plan_start else None
        past = stated_past_year(nline, m.start, ctx) if m.year is None and not ctx.in_goal else None
        if past is not None:
            baseline, year = True, past
        if baseline and m.year is None and m.cue != "from":
            explicit = stated_years(nline[:m.end])
            year = explicit[-1] if explicit else ctx.default_year()
        comparator = m.comparator or ("<=" if _lower_better(m.indicator) else ">=")
        note = m.note
        if m.unit == "%" and AVG_GROWTH_NAME.search(char_normalise(m.indicator)) and comparator != "==":
            if comparator == "about":
                note = "; ".join(filter(None, [note, "stated as about (左右)"]))
            comparator = "avg_growth>="  # "年均增速保持在7%左右": the indicator is itself a growth rate
        if baseline and m.cue != "from" and not is_baseline(m, comparator, year, nline, ctx):
            continue
        if baseline and comparator in (">=", "<=", "maintain>=", "maintain<=", "") and not m.suffix:
            comparator = "=="  # a stated level reached ("达到", "下降到"), not a bound
        elif baseline and comparator.startswith("maintain"):
            comparator = comparator[len("maintain"):]
        value = m.range_hi if m.range_hi is not None and comparator in ("<=", "maintain<=") else m.value
        attribute = _attribute_after(nline, m.end)
        quote = span(m.start, m.end)
        items.append(Item("baseline" if baseline else "target", _original(text, nline, positions, m.indicator),
                          comparator, value, m.unit, year, m.base_year, attribute, quote, source,
                          block=offset, note=note, confidence=0.9 if m.cue in STRONG_CUES else 0.7))
    if ctx.in_goal or phrases.target_years(nline) or source == "table":
        for q in qualitative.find_qualitative(nline, covered=[(m.start, m.end) for m in mentions]):
            if q.year is None and not (ctx.in_goal or source == "table"):
                continue  # outside the targets, only a statement with its own year is a target
            year = q.year if q.year is not None else ctx.default_year()
            quote = span(q.start, q.end)
            items.append(Item("target", _original(text, nline, positions, q.indicator), "qualitative", None, "",
                              year, q.base_year, None, quote, source, block=offset, note=q.note, confidence=0.5))
    return items


def _original(text: str, nline: str, positions: list[int], indicator: str) -> str:
    """The indicator as the document spells it (the rules ran on the normalised copy)."""
    pos = nline.find(indicator)
    def original(start: int, length: int) -> str:
        return re.sub(r"\s*\n\s*", "", text[positions[start]:positions[start + length - 1] + 1])

    if not indicator:
        return indicator
    if pos >= 0:
        return original(pos, len(indicator))
    for k in range(1, len(indicator)):  # "药品生产企业" + "通过GMP认证" around the number between them
        a, b = indicator[:k], indicator[k:]
        pa = nline.find(a)
        pb = nline.find(b, pa + len(a)) if pa >= 0 else -1
        if pa >= 0 and pb >= 0:
            return original(pa, len(a)) + original(pb, len(b))
    return indicator


def _quote(text: str, start: int, end: int) -> str:
    """The verbatim span, without the enumerator, separators or spaces at its ends."""
    enumerator = re.match(r"\s*(?:\d{1,2}[.．、](?!\d)|[(（](?:\d{1,2}|[一二三四五六七八九十]+)[)）])", text[start:end])
    if enumerator:
        start += enumerator.end()
    while start < end and text[start] in " \t、,，;；—-•·":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return text[start:end]


def _attribute_after(nline: str, end: int) -> Optional[str]:
    m = re.match(r"\s*[(（〔\[]\s*(约束性|预期性)", nline[end:end + 8])
    return m.group(1) if m else None


def _lower_better(indicator: str) -> bool:
    s = char_normalise(indicator)
    return bool(phrases.LOWER_BETTER.search(s)) and not phrases.REDUCTION_NAME.search(s)


# ---------------------------------------------------------------- tables

def _row_items(rows: list[Row], columns: list[tuple[Optional[int], str]], ctx: Context, text: str,
               block: int) -> list[Item]:
    """Targets and baselines of table rows. `columns` are the table's value columns, (year, role)
    left to right (tables.value_columns); a row's value cells fill them from the right, so a row short
    of its base cell still gives its target. Every target-year column gives a target; the base column
    gives a baseline for its own year."""
    items = []
    default_year = ctx.table_year or ctx.default_year() or ctx.plan_end
    columns = columns or [(None, "target")]
    for row in rows:
        name = row.name.strip()
        if not name:
            continue
        unit = normalise_unit(row.unit)
        in_name = re.search(r"[(（]([^()（）]{1,8})[)）]$", name)
        if in_name and is_unit_token(in_name.group(1)) and len(name) > in_name.end() - in_name.start():
            unit = unit or normalise_unit(in_name.group(1))  # "森林覆盖率（%）": the unit written into the name
            name = name[:in_name.start()].strip()
        quote = text[row.span[0]:row.span[1]]
        n = min(len(row.values), len(columns))
        for (col_year, role), cell in zip(columns[len(columns) - n:], row.values[len(row.values) - n:]):
            if not cell or PLACEHOLDER.match(char_normalise(cell).strip()):
                continue  # an empty cell: nothing reported for that year
            if role == "base":
                base = _table_value(cell)
                year = col_year or (ctx.plan_start - 1 if ctx.plan_start else None)
                if base is not None and year is not None:
                    comparator = base[1] if base[1] in (">=", "<=") else "=="  # ">90" in a base cell
                    items.append(Item("baseline", name, comparator, base[0], unit or base[2], year, None,
                                      None, quote, "table", block=block, note=base[3]))
                continue
            items.append(_row_target(row, name, unit, cell, col_year or default_year, ctx, quote, block))
    return items


def _row_target(row: Row, name: str, unit: str, cell: str, year: Optional[int], ctx: Context, quote: str,
                block: int) -> Item:
    parsed = _table_value(cell)
    base_year = phrases._base_year(char_normalise(name))
    kind = "baseline" if ctx.in_status and not ctx.in_goal else "target"
    if parsed is None:
        return Item(kind, name, "qualitative", None, unit, year, base_year, row.attribute,
                    quote, "table", block=block, note=f"target cell: {cell}", confidence=0.6)
    value, comparator, cell_unit, note = parsed
    unit = unit or cell_unit
    nname = char_normalise(name)
    if not comparator:
        if unit == "%" and phrases.REDUCTION_NAME.search(nname):
            comparator = "reduce_by_pct"
        elif unit == "%" and phrases.INCREASE_NAME.search(nname):
            comparator = "increase_by_pct"
        if comparator and base_year is None:
            note = "; ".join(filter(None, [note, "base year not stated in the row"
                                           + (f" (presumably {ctx.plan_start - 1})" if ctx.plan_start else "")]))
        else:
            comparator = "<=" if _lower_better(name) else ">="
    return Item(kind, name, comparator, value, unit, year, base_year, row.attribute, quote,
                "table", block=block, note=note, confidence=0.85)


CUMULATIVE = re.compile(r"^[〔\[]\s*(\d+(?:\.\d+)?)\s*[〕\]]$")


def _table_value(cell: str):
    """(value, comparator or '', unit, note) of a table value cell, or None when it is not a number.
    "〔14〕" is how five-year plans mark a figure accumulated over the plan period."""
    cumulative = CUMULATIVE.match(char_normalise(cell).strip())
    if cumulative:
        return float(cumulative.group(1)), "", "", "〔〕: accumulated over the plan period"
    m = bare_value(cell)
    if m is None:
        return None
    mention_cmp, note = phrases._comparator("", m.group("suffix") or "", normalise_unit(m.group("unit") or ""),
                                            m.group("op") or "")
    return float(m.group("num")), mention_cmp, normalise_unit(m.group("unit") or ""), note


def _cell_table(rows: list[tuple[int, str]], text: str, norm: str, ctx: Context) -> list[Item]:
    """Rows of cells from HTML or .docx (cells joined by CELL_SEP)."""
    items: list[Item] = []
    header = None
    for offset, line in rows:
        cells = _cells(offset, line)
        ncells = [char_normalise(c).strip() for _, c in cells]
        if all(re.fullmatch(r"[|:\-\s]*", c) for c in ncells):
            continue  # a Markdown rule line
        if header is None and any("指标" in c or "名称" in c or "项目" in c for c in ncells) \
                and sum(bool(re.search(r"单位|属性|目标|基期|现状|\d{4}\s*年", c)) for c in ncells) >= 1:
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
    if not ncells or not all(re.fullmatch(r"(?:\d{4}\s*年.{0,4}|基期值?|现状值?|目标值?|属性|单位)", c) for c in ncells):
        return False
    columns = [j for j, h in enumerate(header) if re.search(r"基期|现状|目标|值", h) and not re.search(r"\d{4}", h)]
    if len(columns) == len(ncells):
        for j, c in zip(columns, ncells):
            header[j] = f"{header[j]}{c}"
    return True


def _cells(offset: int, line: str) -> list[tuple[int, str]]:
    """(document offset, text) of each cell; leading and trailing pipes (Markdown tables) are dropped."""
    cells = [(offset + m.start() + len(m.group()) - len(m.group().lstrip()), m.group().strip())
             for m in re.finditer(r"[^|]+", line)]
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
        elif re.search(r"指标|名称|项目", h):
            col["name"] = j
    if not any(role == "target" for _, _, role in value_cols):
        return []
    if not any(role == "base" for _, _, role in value_cols) and len(value_cols) >= 2 and not ctx.plan_end \
            and not re.search(r"目标|规划|预期|指标", header[value_cols[0][0]]):
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
    row = Row(name_parts=[cells[name_j][1].strip()], unit=cell(col.get("unit")),
              values=[cell(j) for j, _, _ in value_cols],
              attribute=(cell(col.get("attr")) if ATTRIBUTE.match(cell(col.get("attr"))) else None),
              span=(cells[0][0], cells[-1][0] + len(cells[-1][1])))
    return _row_items([row], [(year, role) for _, year, role in value_cols], ctx, text, block)


HEADER_CELL = re.compile(r"单位|属性|目标|基期|现状|\d{4}\s*年")


def _cell_per_line_table(lines, i: int, text: str, norm: str, ctx: Context):
    """A table pasted one cell per line: a header of short lines (指标, 单位, 2025年, 属性 …), then
    its rows cell by cell, each row ending at its 约束性/预期性 cell (or after as many cells as the
    header has). Returns (items, index after the table) or None."""
    def cell(k):
        off, raw = lines[k]
        return off + len(raw) - len(raw.lstrip()), raw.strip(), char_normalise(raw).strip()

    first = cell(i)[2]
    if not re.search(r"指标|名称|项目", first) or len(first) > 12:
        return None
    k, header = i, []
    while k < len(lines):
        c = cell(k)[2]
        if c in ("", "|"):
            k += 1
            continue
        if len(c) > 12 or (header and not HEADER_CELL.search(c)) or VALUE.match(c):
            break
        header.append(c)
        k += 1
    if len(header) < 3 or sum(bool(HEADER_CELL.search(h)) for h in header) < 2:
        return None
    has_attribute = any("属性" in h for h in header)
    rows, row = [], []
    while k < len(lines):
        off, raw, c = cell(k)
        if c in ("", "|"):
            k += 1
            continue
        if ends_table(raw) or len(c) > 40:
            break
        row.append((off, raw))
        k += 1
        if (has_attribute and ATTRIBUTE.match(c)) or (not has_attribute and len(row) == len(header)):
            rows.append(row)
            row = []
    items = []
    for cells in rows:
        ncells = [char_normalise(c).strip() for _, c in cells]
        items.extend(_header_row(header, cells, ncells, text, ctx, block=lines[i][0]))
    return items, k


def _pairs(cells, ncells, text, norm, ctx: Context, block: int) -> list[Item]:
    """A row without a header: 'name | value' pairs, other cells read as sentences."""
    items = []
    for j, (off, raw) in enumerate(cells):
        if j > 0 and bare_value(ncells[j]) is not None and ncells[j - 1] and bare_value(ncells[j - 1]) is None:
            prev_off, prev_raw = cells[j - 1]
            row = Row(name_parts=[prev_raw.strip()], values=[ncells[j]], span=(prev_off, off + len(raw.rstrip())))
            items.extend(_row_items([row], [], ctx, text, block))
        elif bare_value(ncells[j]) is None:
            items.extend(_paragraph_items(off, norm[off:off + len(raw)], ctx, text, source="table"))
    return items


def _is_pipe_cell(lines, i: int) -> bool:
    """Tables pasted as text with a line '|' between cells."""
    def neighbour(step):
        k = i + step
        while 0 <= k < len(lines) and not lines[k][1].strip():
            k += step
        return lines[k][1].strip() if 0 <= k < len(lines) else ""
    return neighbour(1) == "|" or neighbour(-1) == "|"


def _pipe_cell(lines, i: int, text: str, norm: str, ctx: Context) -> list[Item]:
    offset, line = lines[i]
    nline = norm[offset:offset + len(line)]
    if bare_value(nline) is not None:
        k = i - 1
        while k >= 0 and lines[k][1].strip() in ("", "|"):
            k -= 1
        if k >= 0:
            prev_off, prev = lines[k]
            if bare_value(norm[prev_off:prev_off + len(prev)]) is None and len(prev.strip()) <= 30:
                row = Row(name_parts=[prev.strip()], values=[nline.strip()],
                          span=(prev_off + len(prev) - len(prev.lstrip()), offset + len(line.rstrip())))
                return _row_items([row], [], ctx, text, block=prev_off)
        return []
    return _paragraph_items(offset, nline, ctx, text, source="table")


# ---------------------------------------------------------------- metadata

TITLE = re.compile(r"^[\s《]*(?P<t>[^\s，,。《》]{2,40}?(?:规划|纲要|计划|方案|意见|行动)(?:[(（][^)）]{4,20}[)）])?)[》\s]*$")
DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
REGION = re.compile(r"^(.{2,8}?(?:自治州|地区|市|县|区|州|盟|旗|省))")


def plan_metadata(text: str, norm: str):
    """Title, region, issue date and period from the document's own lines, where it states them."""
    title = issued = None
    for line in text.splitlines():
        s = line.strip()
        if title is None and "关于" not in s and "通知" not in s:
            m = TITLE.match(s)
            if m:
                title = m.group("t")
        if issued is None:
            d = DATE.match(char_normalise(line))
            if d:
                issued = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    if title is None:  # only named inside a line: "关于印发《某市质量发展规划》的通知"
        for line in (x for x in text.splitlines()[:30] if "印发" in x):
            m = re.search(r"《([^《》]{2,40}?(?:规划|纲要|计划|方案|意见)(?:[(（][^)）]{4,20}[)）])?)》", line)
            if m:
                title = m.group(1)
                break
    region = None
    if title:
        r = REGION.match(title)
        region = r.group(1) if r else None
    if region is None:
        counts: dict[str, int] = {}
        for r in re.findall(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2}市)", text):
            if r[0] not in "全我本该城各强省县区都" and not r.endswith("强市"):
                counts[r] = counts.get(r, 0) + 1
        region = max(counts, key=counts.get) if counts else None
    period = None
    if title:
        t = char_normalise(title)
        m = YEAR_RANGE.search(t)
        if m:
            period = (int(m.group(1)), int(m.group(2)))
        else:
            five = FIVE_YEAR_RE.search(t)
            if five and five.group(1) in FIVE_YEAR:
                end = FIVE_YEAR[five.group(1)]
                period = (end - 4, end)
    return title, region, issued, period
