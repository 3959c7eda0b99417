"""How a target's assessment moved across runs: the data behind `forecast history` and the report's
probability trend. Every run's assessments are kept in the store; nothing here writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from forecast.store import Store

TREND_RUNS = 12  # the report shows at most this many most recent runs


@dataclass(frozen=True)
class HistoryPoint:
    run_id: str
    plan_id: str
    created_at: dt.datetime
    refresh_id: Optional[str]  # None for a run made by `forecast run`
    result: dict  # the stored assessment
    as_of: Optional[dt.date] = None  # the data cut of an `--as-of` replay; None: the latest data

    @property
    def probability(self) -> Optional[float]:
        return self.result.get("probability")

    @property
    def median(self) -> Optional[float]:
        return self.result.get("median")

    @property
    def interval80(self) -> Optional[tuple[float, float]]:
        pair = self.result.get("interval80")
        return None if pair is None else (pair[0], pair[1])


def _points(store: Store, plan_id: str, as_of: Optional[dt.date] = None, **which) -> list[HistoryPoint]:
    return [HistoryPoint(*row) for row in store.assessment_history(plan_id, as_of, **which)]


def target_history(
    store: Store, target_id: str, plan_id: Optional[str] = None, replays: bool = False
) -> list[HistoryPoint]:
    """Every run on the latest data that assessed the target, oldest first; with `replays`, then its
    `--as-of` replays, by as-of date (each point says its `as_of`)."""
    plans = [p.id for p in store.plans() if any(t.id == target_id for t in p.targets)]
    if plan_id is not None:
        if plan_id not in plans:
            raise LookupError(
                f"plan {plan_id!r} has no target {target_id!r}"
                if plan_id in {p.id for p in store.plans()}
                else f"no plan {plan_id!r} in the store"
            )
        plans = [plan_id]
    if not plans:
        raise LookupError(f"no plan in the store has a target {target_id!r}")
    if len(plans) > 1:
        raise LookupError(f"target {target_id!r} is in several plans ({', '.join(plans)}): choose one with --plan")
    points = _points(store, plans[0], target_id=target_id)
    if replays:
        points += [HistoryPoint(*row) for row in store.assessment_replays(plans[0], target_id)]
    return points


def probability_trends(store: Store, run: dict, limit: int = TREND_RUNS) -> tuple[list[HistoryPoint], dict]:
    """For a report: the plan's runs up to `run` on the same data cut, and target -> probabilities.

    Returns (the runs, oldest first, at most `limit`; {target_id: [probability or None per run]}).
    """
    points = _points(store, run["plan_id"], run["as_of"], created_by=run["created_at"])
    run_ids = list(dict.fromkeys(p.run_id for p in points))[-limit:]
    by = {(p.run_id, p.result["target_id"]): p.probability for p in points}
    heads = {p.run_id: p for p in points if p.run_id in run_ids}
    targets = list(dict.fromkeys(p.result["target_id"] for p in points))
    return [heads[r] for r in run_ids], {t: [by.get((r, t)) for r in run_ids] for t in targets}


TREND_TITLE = {"zh": "达标概率变化(历次运行)", "en": "P(met) across runs"}


def report_trend(store: Store, run: dict, names: dict[str, str], lang: str = "zh") -> Optional[dict]:
    """The report's trend block: a column per run (oldest first), a row per target; None before a
    second run exists. `names` maps target ids to the names the report shows."""
    from forecast.targets.feasibility.bands import format_probability

    heads, trends = probability_trends(store, run)
    if len(heads) < 2:
        return None
    rows = [
        {"name": names.get(t, t), "cells": [format_probability(p) if p is not None else "—" for p in ps]}
        for t, ps in trends.items()
        if any(p is not None for p in ps)
    ]
    if not rows:
        return None
    return {"title": TREND_TITLE[lang], "columns": [f"{h.created_at:%Y-%m-%d %H:%M}" for h in heads], "rows": rows}
