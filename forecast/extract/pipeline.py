"""`extract_plan(path)`: read a plan document, walk its blocks, and collect its targets and baselines
with the verbatim quote behind each."""

from __future__ import annotations

from pathlib import Path

from ..schema import Comparator, Target
from .baselines import resolve_point_changes
from .context import Context
from .items import ExtractedPlan, Item, Unread
from .layout import blocks, lines_of, reflow, split_inline_headings
from .merging import assign_ids, merge
from .metadata import plan_metadata, year_of
from .normalise import char_normalise
from .paragraphs import paragraph_items
from .reading import Document, read_document
from .tables import cell_per_line_items, cell_table, flattened_table, pipe_cell, row_items


def extract_plan(path: Path) -> ExtractedPlan:
    return extract_document(read_document(Path(path)))


def extract_document(doc: Document) -> ExtractedPlan:
    text = doc.text
    norm = char_normalise(text)
    title, region, issued, period = plan_metadata(text, norm)
    ctx = Context(plan_end=period[1] if period else None, plan_start=period[0] if period else year_of(issued))
    lines = reflow(split_inline_headings(lines_of(text)))
    items: list[Item] = []
    tables: list[tuple[int, int]] = []
    for block in blocks(lines, norm, ctx.plan_start if ctx.plan_end else None):
        offset, line = lines[block.start]
        if block.kind == "cells":
            found = cell_table(lines[block.start : block.end], text, norm, ctx)
        elif block.kind == "flattened":
            header = norm[offset : offset + len(line)].replace("\n", " ")
            found = flattened_table(header, lines[block.start + 1 : block.end], ctx, text, block=offset)
        elif block.kind == "cell_per_line":
            found = cell_per_line_items(block.header, block.rows, text, ctx, block=offset)
        elif block.kind == "stacked":
            found = row_items(block.table.rows, block.table.columns, ctx, text, block=offset)
            ctx.unread.extend(block.table.unread)
        elif block.kind == "pipe_cell":
            found = pipe_cell(lines, block.start, text, norm, ctx)
        else:
            ctx.enter(norm[offset : offset + len(line)].replace("\n", " "))
            found = paragraph_items(offset, norm[offset : offset + len(line)], ctx, text, source="text")
        if block.kind not in ("paragraph", "pipe_cell"):
            last_off, last = lines[block.end - 1]
            tables.append((offset, last_off + len(last)))
        for item in found:
            item.section = item.section or ctx.section
        items.extend(found)
    unread = [Unread(why, text[a:b], (a, b)) for why, (a, b) in ctx.unread]
    items = [_valid(item) for item in items]
    for item in items:  # the quote's place: it stands in its own block, at or after the block's start
        at = text.find(item.quote, item.block)
        at = at if at >= 0 else text.find(item.quote)
        if at >= 0 and item.quote:
            item.spans = [(at, at + len(item.quote))]
    resolve_point_changes(items, ctx)
    targets = merge([t for t in items if t.kind == "target"])
    baselines = merge([t for t in items if t.kind == "baseline"])
    assign_ids(targets, "t")
    assign_ids(baselines, "b")
    return ExtractedPlan(
        doc.path, title, region, issued, period, targets, baselines, unread=unread, tables=tables, text=text
    )


def _valid(item: Item) -> Item:
    """An item the plan schema would refuse ("下降120%") is kept for review as qualitative, with why."""
    from pydantic import ValidationError

    try:
        Target(id="check", comparator=item.comparator, value=item.value, year=item.year, base_year=item.base_year)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        item.note = "; ".join(
            filter(
                None,
                [
                    item.note,
                    f"read as {item.comparator.value} {item.value:g}, which the plan schema refuses ({reason})",
                ],
            )
        )
        item.comparator = Comparator.qualitative
    return item
