"""Replays of plan targets whose outcome is recorded: each target assessed as of every year before its
target year, with only the values published by then, beside the two official rules.

`replay_plan` computes and returns rows; nothing is saved. The rules beside the service:
- CAGR (Open SDG / Statistics Canada): predicts "met" when the category is achieved or on track.
- 时序进度 (time progress): predicts "met" when the share of the way covered since the base year is at
  least the share of the time elapsed (or the target is already met).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from . import feasibility as fz
from .schema import Plan, Target


@dataclass
class ReplayRow:
    plan_id: str
    target_id: str
    indicator: str
    attribute: str
    kind: str
    target_year: int
    as_of: str  # a year (its end) or a date
    years_ahead: int  # target year minus as-of year (0: assessed within the target year)
    status: str
    probability: Optional[float]  # the service's P(met); None when it gives none
    model_p_min: Optional[float]  # the candidate models' own P(met), lowest and highest
    model_p_max: Optional[float]
    band: Optional[str]
    at_risk: Optional[bool]
    cagr_category: Optional[str]
    cagr_met: Optional[bool]  # the CAGR rule's binary prediction
    progress_met: Optional[bool]  # the time-progress rule's binary prediction
    latest_year: Optional[int]
    outcome: Optional[float]
    met: Optional[bool]  # did the recorded outcome meet the target

    def to_dict(self) -> dict:
        return asdict(self)


def as_of_points(plan: Plan, target: Target) -> list:
    """When to assess: the end of every year from the plan's first year to the year before the target
    year; for an annual plan issued in its target year (a government work report), the issue date."""
    year = int(target.year)
    if plan.period and tuple(plan.period) == (year, year) and plan.issued and str(plan.issued).startswith(str(year)):
        return [str(plan.issued)]
    first = plan.period[0] if plan.period else year - 1
    return list(range(min(first, year - 1), year))


def _year(point) -> int:
    return int(str(point)[:4])


def outcome_met(target: Target, sense: Optional[str], threshold: Optional[float]) -> Optional[bool]:
    """The recorded outcome (the target-year value) against the rule's threshold."""
    if target.outcome is None or sense is None or threshold is None:
        return None
    return bool(fz.Rule(sense, float(threshold), (int(target.year),)).holds(np.array([target.outcome]))[0])


def time_progress(history: pd.Series, sense: str, threshold: float, target_year: int,
                  base_year: Optional[int]) -> Optional[bool]:
    """时序进度: progress made ≥ time elapsed, both as shares of the way from the base year."""
    if len(history) == 0:
        return None
    latest_year, latest = int(history.index[-1]), float(history.iloc[-1])
    rule = fz.Rule(sense, threshold, (target_year,))
    if rule.holds(np.array([latest]))[0]:
        return True
    t0 = fz.reference_year(history, base_year)
    v0 = float(history[t0])
    if latest_year <= t0 or target_year <= t0 or abs(threshold - v0) < 1e-12:
        return None
    progress = (latest - v0) / (threshold - v0)
    elapsed = (latest_year - t0) / (target_year - t0)
    return bool(progress >= elapsed - 1e-9)


def _rule(target: Target, indicator, history: pd.Series, first_year: int) -> Optional[fz.Rule]:
    try:
        return fz.rule_for(fz.in_series_unit(target, indicator), indicator, history, first_year)
    except Exception:  # no base value, no unit conversion: the rules cannot be stated
        return None


def _row(plan: Plan, target: Target, point, a, s, full: pd.Series) -> ReplayRow:
    year = _year(point)
    history = s.annual if s is not None else pd.Series(dtype=float)
    official = a.official or {}
    rule = _rule(target, s.indicator, full, year + 1) if s is not None else None
    if not official and rule is not None and len(history) >= 2:  # the service gives none below 3 points
        official = fz.official_category(history, rule, int(target.year), target.base_year)
    category = official.get("category")
    cagr_met = None if category in (None, "not_computable") else category in ("achieved", "on_track")
    progress = None
    if rule is not None and len(history) >= 1:
        progress = time_progress(history, rule.sense, rule.threshold, int(target.year), target.base_year)
    d = a.to_dict()
    own = [float(v) for v in (a.by_model or {}).values() if isinstance(v, (int, float))]
    return ReplayRow(
        plan_id=plan.id, target_id=target.id, indicator=target.indicator,
        attribute=target.attribute.value if target.attribute else "", kind=getattr(target, "kind", "") or "",
        target_year=int(target.year), as_of=str(point), years_ahead=int(target.year) - year, status=d["status"],
        probability=a.probability, model_p_min=min(own) if own else None,
        model_p_max=max(own) if own else None, band=a.band, at_risk=fz.at_risk(d) if a.probability is not None else None,
        cagr_category=category, cagr_met=cagr_met, progress_met=progress, latest_year=a.latest_year,
        outcome=target.outcome,
        met=outcome_met(target, rule.sense, rule.threshold) if rule is not None else None)


def replay_plan(store, plan_id: str, n_paths: int = 1000, seed: int = 20170101,
                models: Optional[Sequence[str]] = None, kinds: Optional[dict] = None) -> list[ReplayRow]:
    """One run per as-of year of the plan (the service's default pipeline), one row per target and year."""
    from .runner import run_plan

    plan = store.plan(plan_id)
    targets = [t for t in plan.targets if t.outcome is not None and t.year is not None]
    points = sorted({p for t in targets for p in as_of_points(plan, t)}, key=str)
    rows = []
    for point in points:
        result = run_plan(store, plan_id, as_of=point, models=models, n_paths=n_paths, seed=seed)
        by_id = {a.target_id: a for a in result.assessments}
        for t in targets:
            if point not in as_of_points(plan, t):
                continue
            s = result.series.get(t.series_id or "")
            full = s.later.combine_first(s.annual) if s is not None else pd.Series(dtype=float)
            row = _row(plan, t, point, by_id[t.id], s, full)
            if kinds:
                row.kind = kinds.get((plan.id, t.id), row.kind)
            rows.append(row)
    return rows


def load_replay_set(store, folder: Path) -> tuple[list[str], dict]:
    """Import the replay set (observations, indicators, plans) into `store`; returns the plan ids and the
    kind of each target ((plan id, target id) -> kind) read from the plan files."""
    import yaml

    from .importer import import_file
    from .plans import load_plan

    import_file(store, folder / "observations.csv", folder / "indicators.yaml")
    ids, kinds = [], {}
    for path in sorted((folder / "plans").glob("*.yaml")):
        plan = load_plan(path)
        store.save_plan(plan)
        ids.append(plan.id)
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds.update({(plan.id, t["id"]): t.get("kind", "") for t in raw.get("targets", [])})
    return ids, kinds


def today() -> str:
    return dt.date.today().isoformat()
