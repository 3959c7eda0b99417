"""Targets a plan states twice with different numbers (linked by `related`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from forecast.schema import Target
from forecast.targets.feasibility.types import Assessment


def statement(t: Target) -> dict:
    """What a target says, as stored beside a conflicting restatement (reports render it)."""
    return {"target_id": t.id, "comparator": t.comparator.value, "value": t.value, "unit": t.unit, "year": t.year}


def statement_text(d) -> str:
    """A stored statement in plain English (CLI summaries, MLflow tables); older runs stored text."""
    if not isinstance(d, dict):
        return str(d)
    value = "" if d.get("value") is None else f" {d['value']:g}{d.get('unit') or ''}"
    return f"{d['target_id']}: {d['comparator']}{value} by {d.get('year') or '?'}"


def _same_statement(a: Target, b: Target) -> bool:
    from forecast.units import UnitError, factor

    if (a.comparator, a.year) != (b.comparator, b.year) or (a.value is None) != (b.value is None):
        return False
    if a.value is None:
        return True
    try:
        return math.isclose(a.value * factor(a.unit, b.unit), b.value, rel_tol=1e-9)
    except UnitError:
        return False


def flag_restatements(targets: Sequence[Target], assessments: Sequence[Assessment]) -> None:
    """Mark targets the plan states twice with different numbers (linked by `related`).

    A plan that gives 85 in a table and "80 以上" in the text for the same target cannot hold both
    as the bar; each assessment names the other statement so a planner sees the conflict.
    """
    by_id = {t.id: t for t in targets}
    for target, assessment in zip(targets, assessments, strict=True):
        for other_id in target.related:
            other = by_id.get(other_id)
            if other is not None and not _same_statement(target, other):
                assessment.conflicts.append(statement(other))
