"""Writing an extracted plan as a plan file in the gold-label format (loads with `load_plan`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .items import ExtractedPlan, Item

HEADER = (
    "# Extracted by `forecast plan extract` from {doc}.\n"
    "# Review before importing: every item carries the verbatim quote it was read from (search for it\n"
    "# in the document); `confidence` is the rule's own estimate, `note` says what was assumed.\n"
)


def _number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def item_dict(item: Item) -> dict:
    out = {
        "id": item.id,
        "indicator": item.indicator,
        "comparator": item.comparator.value,
        "value": _number(item.value),
        "unit": item.unit,
        "year": item.year,
        "base_year": item.base_year,
        "attribute": item.attribute,
        "quote": item.quote,
        "source": item.source,
        "section": item.section or None,
        "confidence": round(item.confidence, 2),
    }
    if item.alt_quotes:
        out["alt_quotes"] = list(item.alt_quotes)
    if item.note:
        out["note"] = item.note
    return out


def plan_dict(plan: ExtractedPlan) -> dict:
    return {
        "document": plan.document.name,
        "plan_title": plan.plan_title,
        "region": plan.region,
        "issued": plan.issued,
        "period": list(plan.period) if plan.period else None,
        "targets": [item_dict(t) for t in plan.targets],
        "baselines": [item_dict(b) for b in plan.baselines],
        **({"unread": [{"why": u.why, "lines": u.lines} for u in plan.unread]} if plan.unread else {}),
    }


def write_plan_yaml(plan: ExtractedPlan, out: Path, overwrite: bool = False) -> Path:
    """Write the plan file whole or not at all; an existing file is kept unless `overwrite`."""
    body = HEADER.format(doc=plan.document.name) + yaml.safe_dump(
        plan_dict(plan), allow_unicode=True, sort_keys=False, width=120
    )
    return _write_whole(Path(out), body, overwrite)


def write_review_html(plan: ExtractedPlan, out: Path, overwrite: bool = False) -> Path:
    """Write the review page (`review.review_html`) whole or not at all."""
    from .review import review_html

    return _write_whole(Path(out), review_html(plan), overwrite)


def _write_whole(out: Path, body: str, overwrite: bool) -> Path:
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists; pass --force to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
