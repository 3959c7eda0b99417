"""One entry per target: restatements of a target (text and table, or two paragraphs) merged into
the first, with the others kept as alt quotes; and stable ids."""

from __future__ import annotations

import re

from ..schema import Comparator
from .items import Item
from .normalise import char_normalise, normalise_unit


def norm_name(name: str) -> str:
    return re.sub(r"[\s、,，()（）“”\"'《》…·.\-—:：;；]", "", char_normalise(name))


def _subsequence(a: str, b: str) -> bool:
    it = iter(b)
    return all(ch in it for ch in a)


def same_indicator(a: str, b: str) -> bool:
    """Restatements of one indicator: one name is the other with words left out (a table row may keep
    the verb the sentence used as its cue: "新增…企业")."""
    a, b = (re.sub(r"^(?:新增|累计|培育)", "", norm_name(x)) for x in (a, b))
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return _subsequence(short, long_) and len(short) / len(long_) >= 0.4


_FAMILY = {Comparator.maintain_ge: Comparator.ge, Comparator.maintain_le: Comparator.le}


def merge(items: list[Item]) -> list[Item]:
    """One entry per target: a restatement in another paragraph or table is kept as an alt quote."""
    kept: list[Item] = []
    for item in items:
        twin = None
        for k in kept:
            if k.block == item.block or k.value != item.value or k.year != item.year:
                continue
            units = {normalise_unit(k.unit), normalise_unit(item.unit)} - {""}
            if len(units) > 1 and k.value is not None:
                continue  # one statement may leave out the unit its restatement gives
            if _FAMILY.get(k.comparator, k.comparator) != _FAMILY.get(item.comparator, item.comparator):
                continue
            if (
                k.comparator == Comparator.qualitative
                and norm_name(k.indicator) != norm_name(item.indicator)
                and k.source == item.source
            ):
                continue  # a worded target restates another only between text and table
            if same_indicator(k.indicator, item.indicator):
                twin = k
                break
        if twin is None:
            kept.append(item)
            continue
        if item.comparator in _FAMILY and twin.comparator not in _FAMILY:
            twin.comparator = item.comparator  # the more specific wording wins
        if item.quote != twin.quote and item.quote not in twin.alt_quotes:
            twin.alt_quotes.append(item.quote)
        twin.spans.extend(s for s in item.spans if s not in twin.spans)
        twin.attribute = twin.attribute or item.attribute
    return kept


def assign_ids(items: list[Item], prefix: str) -> None:
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        # Only characters an id may hold (forecast.schema.ID_PATTERN): the id must import as it is written.
        stem = re.sub(r"[^\w.-]+", "", item.indicator)[:16] or "item"
        base = f"{prefix}{n:03d}.{stem}.{item.year or 'na'}"
        item_id = base
        while item_id in seen:
            item_id += "_"
        seen.add(item_id)
        item.id = item_id
