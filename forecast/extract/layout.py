"""The document as lines and blocks: paragraphs hard-wrapped mid-sentence are rejoined, and the lines
are cut into blocks — a paragraph, a table of cells (HTML, .docx, Markdown), a table flattened into
whitespace-laid-out lines, a table pasted one cell per line, a cell between '|' lines. What each block
says is read elsewhere (`paragraphs.py`, `tables.py`); this module only finds where blocks are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .cells import ATTRIBUTE, VALUE, ends_table, is_layout_header
from .context import TITLE_LINE, heading_levels
from .normalise import char_normalise
from .reading import CELL_SEP
from .stacked import StackedTable, read_stacked, read_stacked_body


def lines_of(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


# A numbered heading run into the text after a full stop ("…制定本方案。一、指导思想…。二、创建目标…"),
# as some pages print a whole document on one line.
INLINE_HEADING = re.compile(
    r"(?<=[。；;！!？?])\s*(?=(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])[^\s，,。])"
)


def split_inline_headings(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each heading run into a line starts a line of its own (offsets kept, nothing removed)."""
    out: list[tuple[int, str]] = []
    for offset, line in lines:
        start = 0
        for m in INLINE_HEADING.finditer(line):
            if m.end() > start:
                out.append((offset + start, line[start : m.end()]))
                start = m.end()
        out.append((offset + start, line[start:]))
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


def reflow(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join lines that a PDF conversion or hard wrapping broke mid-sentence, so "…合格率达" and
    "到95%以上。" read as one paragraph. Table rows, headings and bullets are never joined (a heading
    that already carries the first sentence of its section, "1.质量稳步提升。2020年，…", may be)."""

    def prose(line: str) -> bool:  # a sentence, not a table row: punctuation or length, no column gaps
        s = line.strip()
        return (
            bool(s)
            and "|" not in s
            and not re.search(r"\S\s{2,}\S", s)
            and not _table_like(s)
            and (bool(re.search(r"[，,、；;。]", s)) or len(s) >= 30)
        )

    out: list[tuple[int, str]] = []
    for offset, line in lines:
        if out:
            prev_offset, prev = out[-1]
            last = prev.rsplit("\n", 1)[-1]
            if (
                prose(last)
                and prose(line)
                and len(last.strip()) >= 15
                and not SENTENCE_END.search(last)
                and not (heading_levels(last) and len(last.strip()) < 40 and not re.search(r"[。：:]\s*\S", last))
                and not heading_levels(line)
                and not BULLET.match(line)
                and not TITLE_LINE.match(line.strip())
                and not is_layout_header(line)
            ):
                out[-1] = (prev_offset, prev + "\n" + line)
                continue
        out.append((offset, line))
    return out


def is_pipe_cell(lines, i: int) -> bool:
    """Tables pasted as text with a line '|' between cells."""

    def neighbour(step):
        k = i + step
        while 0 <= k < len(lines) and not lines[k][1].strip():
            k += step
        return lines[k][1].strip() if 0 <= k < len(lines) else ""

    return neighbour(1) == "|" or neighbour(-1) == "|"


HEADER_CELL = re.compile(r"单位|属性|目标|基期|现状|\d{4}\s*年")


def cell_per_line_table(lines, i: int):
    """A table pasted one cell per line: a header of short lines (指标, 单位, 2025年, 属性 …), then
    its rows cell by cell, each row ending at its 约束性/预期性 cell (or after as many cells as the
    header has). Returns (header cells, rows of (offset, cell) pairs, index after the table) or None."""

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
    return header, rows, k


@dataclass
class Block:
    """Lines [start, end) of the document that are read together; `kind` says how:
    "cells" (rows of cells joined by CELL_SEP), "flattened" (a header line and the flattened rows
    after it), "cell_per_line" (with its `header` and `rows`), "stacked" (with its `table`),
    "pipe_cell" or "paragraph"."""

    kind: str
    start: int
    end: int
    header: list[str] = field(default_factory=list)
    rows: list[list[tuple[int, str]]] = field(default_factory=list)
    table: Optional[StackedTable] = None  # kind "stacked": a one-cell-per-line table found by its shape


def blocks(lines: list[tuple[int, str]], norm: str, plan_start: Optional[int] = None) -> list[Block]:
    """The blocks of a document's (reflowed) lines, in order; blank lines and lone '|' lines belong
    to none. `norm` is the normalised document text the line offsets point into; `plan_start` tells a
    base-year column from a target-year column in tables found by their shape."""
    out: list[Block] = []
    i = 0
    while i < len(lines):
        offset, line = lines[i]
        nline = norm[offset : offset + len(line)].replace("\n", " ")  # a rejoined paragraph reads as one line
        stripped = nline.strip()
        if not stripped:
            i += 1
            continue
        if CELL_SEP in line:
            end = i
            while end < len(lines) and (CELL_SEP in lines[end][1] or lines[end][1].strip().startswith("|")):
                end += 1
            out.append(Block("cells", i, end))
            i = end
            continue
        if is_layout_header(nline):
            stacked = read_stacked_body(nline, lines, i + 1, plan_start)
            if stacked is not None:  # the header on one line, the rows one cell per line
                out.append(Block("stacked", i, stacked.end, table=stacked))
                i = stacked.end
                continue
            end = i + 1
            while end < len(lines) and not ends_table(norm[lines[end][0] : lines[end][0] + len(lines[end][1])]):
                end += 1
            out.append(Block("flattened", i, end))
            i = end
            continue
        if stripped == "|":
            i += 1
            continue
        column_table = cell_per_line_table(lines, i)
        if column_table is not None:
            header, rows, end = column_table
            out.append(Block("cell_per_line", i, end, header=header, rows=rows))
            i = end
            continue
        stacked = read_stacked(lines, i, plan_start) if len(stripped) <= 12 else None
        if stacked is not None:
            out.append(Block("stacked", i, stacked.end, table=stacked))
            i = stacked.end
            continue
        # a cell is never a heading ("标准化基础" is a row label)
        out.append(Block("pipe_cell" if is_pipe_cell(lines, i) else "paragraph", i, i + 1))
        i += 1
    return out
