"""Targets and baselines of one paragraph: its mentions (`mentions.py`) and worded targets
(`qualitative.py`) turned into items, given their year from the section, their comparator from the
indicator's direction, and the verbatim quote from the document."""

from __future__ import annotations

import re
from typing import Optional

from ..schema import Comparator
from .baselines import is_baseline, stated_past_year
from .context import Context, stated_years
from .items import Item
from .lexicon import COUNT_VERBS, clause_start, lower_better, target_years
from .mentions import find_mentions
from .normalise import MEASURE_WORDS, char_normalise
from .qualitative import find_qualitative

AVG_GROWTH_NAME = re.compile(r"年均(?:增速|增长率?|增幅|增长速度)$")


BOUNDS = {Comparator.ge, Comparator.le, Comparator.maintain_ge, Comparator.maintain_le}
MAINTAINED = {Comparator.maintain_ge: Comparator.ge, Comparator.maintain_le: Comparator.le}  # a baseline is a level
STRONG_CUES = {"avg_growth", "floor", "ceiling", "control", "maintain", "reduce", "increase", "reach", "count"}


def compact(offset: int, nline: str) -> tuple[str, list[int]]:
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


def paragraph_items(offset: int, nline: str, ctx: Context, text: str, source: str) -> list[Item]:
    nline, positions = compact(offset, nline)
    if not nline:
        return []

    def span(start: int, end: int) -> str:
        start, end = min(start, len(positions) - 1), min(max(start + 1, end), len(positions))
        return _quote(text, positions[start], positions[end - 1] + 1)

    mentions = find_mentions(nline, bare_years=ctx.in_goal)
    items = []
    ctx.saw_paragraph(nline, [y for _, y in target_years(nline, bare=ctx.in_goal)])
    for m in mentions:
        # "建设国家级质检中心1个": a count after a verb of building or winning opens the clause.
        clause = re.sub(
            r"^\s*(?:每年度?|每季度|年均)", "", nline[clause_start(nline, m.start) : m.end]
        )  # "每年新增…10个"
        counted = m.unit in MEASURE_WORDS and COUNT_VERBS.match(clause.lstrip())
        strong = m.cue in STRONG_CUES or m.suffix or (m.comparator and m.cue == "") or (m.year and m.verb) or counted
        if not (ctx.in_goal or ctx.in_status or ctx.table_year or source == "table") and not strong:
            continue
        if m.cue == "weak":  # "从3个方面入手": a count with no verb of achieving before it
            continue
        if m.cue == "existing" and not ctx.in_status:  # "依托现有26个站点" sets no target
            continue
        baseline = (ctx.in_status and not ctx.in_goal) or m.cue == "from"
        year = m.year if m.year is not None else ctx.default_year()
        if m.cue == "from" and m.year is None:  # "由60%提高到65%": the level before the plan period
            year = ctx.plan_start - 1 if ctx.plan_start else None
        past = stated_past_year(nline, m.start, ctx) if m.year is None and not ctx.in_goal else None
        if m.level_year and ctx.plan_start and m.year < ctx.plan_start:
            past = m.year  # "2020年全市…达到93.6%" in a plan from 2021: the level it starts from
        if past is not None:
            baseline, year = True, past
        if baseline and m.year is None and m.cue != "from":
            explicit = stated_years(nline[: m.end])
            year = explicit[-1] if explicit else ctx.default_year()
        comparator = m.comparator or (Comparator.le if lower_better(m.indicator) else Comparator.ge)
        note = m.note
        if m.unit == "%" and AVG_GROWTH_NAME.search(char_normalise(m.indicator)) and comparator != Comparator.eq:
            if comparator == Comparator.about:
                note = "; ".join(filter(None, [note, "stated as about (左右)"]))
            comparator = Comparator.avg_growth_ge  # "年均增速保持在7%左右": the indicator is itself a growth rate
        if baseline and m.cue != "from" and not is_baseline(m, comparator, year, nline, ctx):
            continue
        if baseline and comparator in BOUNDS and not m.suffix:
            comparator = Comparator.eq  # a stated level reached ("达到", "下降到"), not a bound
        elif baseline and comparator in MAINTAINED:
            comparator = MAINTAINED[comparator]
        value = (
            m.range_hi if m.range_hi is not None and comparator in (Comparator.le, Comparator.maintain_le) else m.value
        )
        attribute = _attribute_after(nline, m.end)
        quote = span(m.start, m.end)
        items.append(
            Item(
                "baseline" if baseline else "target",
                _original(text, nline, positions, m.indicator),
                comparator,
                value,
                m.unit,
                year,
                m.base_year,
                attribute,
                quote,
                source,
                block=offset,
                note=note,
                confidence=0.9 if m.cue in STRONG_CUES else 0.7,
            )
        )
    if ctx.in_goal or target_years(nline) or source == "table":
        for q in find_qualitative(nline, covered=[(m.start, m.end) for m in mentions]):
            if q.year is None and not (ctx.in_goal or source == "table"):
                continue  # outside the targets, only a statement with its own year is a target
            year = q.year if q.year is not None else ctx.default_year()
            quote = span(q.start, q.end)
            items.append(
                Item(
                    "target",
                    _original(text, nline, positions, q.indicator),
                    Comparator.qualitative,
                    None,
                    "",
                    year,
                    q.base_year,
                    None,
                    quote,
                    source,
                    block=offset,
                    note=q.note,
                    confidence=0.5,
                )
            )
    return items


def _original(text: str, nline: str, positions: list[int], indicator: str) -> str:
    """The indicator as the document spells it (the rules ran on the normalised copy)."""
    pos = nline.find(indicator)

    def original(start: int, length: int) -> str:
        return re.sub(r"\s*\n\s*", "", text[positions[start] : positions[start + length - 1] + 1])

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
    m = re.match(r"\s*[(（〔\[]\s*(约束性|预期性)", nline[end : end + 8])
    return m.group(1) if m else None
