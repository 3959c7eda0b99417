"""Replays of plan targets whose outcome is recorded: each target assessed as of every year before its
target year, with only the values published by then, beside the two official rules.

`replay_plan` computes and returns rows; nothing is saved. The rules beside the service:
- CAGR (Open SDG / Statistics Canada): predicts "met" when the category is achieved or on track.
- 时序进度 (time progress): predicts "met" when the share of the way covered since the base year is at
  least the share of the time elapsed (or the target is already met).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from forecast.schema import Plan, Target
from forecast.targets import feasibility as fz


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
    max_stretch: Optional[float]  # the run's largest calibration stretch factor (a diagnostic; see RESULTS.md)
    outcome: Optional[float]
    met: Optional[bool]  # did the recorded outcome meet the target

    def to_dict(self) -> dict:
        return asdict(self)


def as_of_points(plan: Plan, target: Target) -> list:
    """When to assess: the end of every year from the plan's first year to the year before the target
    year; for an annual plan issued in its target year (a government work report), the issue date."""
    assert target.year is not None  # replays are of targets with a year
    year = int(target.year)
    if plan.period and tuple(plan.period) == (year, year) and plan.issued and str(plan.issued).startswith(str(year)):
        return [str(plan.issued)]
    first = plan.period[0] if plan.period else year - 1
    return list(range(min(first, year - 1), year))


def _year(point) -> int:
    return int(str(point)[:4])


def outcome_met(target: Target, sense: Optional[str], threshold: Optional[float]) -> Optional[bool]:
    """The recorded outcome (the target-year value) against the rule's threshold."""
    if target.outcome is None or target.year is None or sense is None or threshold is None:
        return None
    return bool(fz.Rule(sense, float(threshold), (int(target.year),)).holds(np.array([target.outcome]))[0])


def time_progress(
    history: pd.Series, sense: str, threshold: float, target_year: int, base_year: Optional[int]
) -> Optional[bool]:
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


def _row(plan: Plan, target: Target, point, a, s, full: pd.Series, stretch=None) -> ReplayRow:
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
        plan_id=plan.id,
        target_id=target.id,
        indicator=target.indicator,
        attribute=target.attribute.value if target.attribute else "",
        kind=getattr(target, "kind", "") or "",
        target_year=int(target.year),
        as_of=str(point),
        years_ahead=int(target.year) - year,
        status=d["status"],
        probability=a.probability,
        model_p_min=min(own) if own else None,
        model_p_max=max(own) if own else None,
        band=a.band,
        at_risk=fz.at_risk(d) if a.probability is not None else None,
        cagr_category=category,
        cagr_met=cagr_met,
        progress_met=progress,
        latest_year=a.latest_year,
        max_stretch=stretch,
        outcome=target.outcome,
        met=outcome_met(target, rule.sense, rule.threshold) if rule is not None else None,
    )


def replay_plan(
    store,
    plan_id: str,
    n_paths: int = 1000,
    seed: int = 20170101,
    models: Optional[Sequence[str]] = None,
    kinds: Optional[dict] = None,
) -> list[ReplayRow]:
    """One run per as-of year of the plan (the service's default pipeline), one row per target and year."""
    from forecast.jobs.run import run_plan

    plan = store.plan(plan_id)
    targets = [t for t in plan.targets if t.outcome is not None and t.year is not None]
    points = sorted({p for t in targets for p in as_of_points(plan, t)}, key=str)
    rows = []
    for point in points:
        result = run_plan(store, plan_id, as_of=point, models=models, n_paths=n_paths, seed=seed)
        by_id = {a.target_id: a for a in result.assessments}
        factors = (result.settings.get("calibration") or {}).get("factors") or {}
        stretch = max((float(v) for v in factors.values()), default=None)
        for t in targets:
            if point not in as_of_points(plan, t):
                continue
            s = result.series.get(t.series_id or "")
            full = s.later.combine_first(s.annual) if s is not None else pd.Series(dtype=float)
            row = _row(plan, t, point, by_id[t.id], s, full, stretch)
            if kinds:
                row.kind = kinds.get((plan.id, t.id), row.kind)
            rows.append(row)
    return rows


def load_replay_set(store, folder: Path) -> tuple[list[str], dict]:
    """Import the replay set (observations, indicators, plans) into `store`; returns the plan ids and the
    kind of each target ((plan id, target id) -> kind) read from the plan files."""
    import yaml

    from forecast.ingest.importer import import_file
    from forecast.targets.plans import load_plan

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


def with_binding_shift(rows: Sequence[ReplayRow], shift: float) -> list[ReplayRow]:
    """The optional policy-effort correction: P(met) of binding (约束性) targets moved by `shift` on the
    logit scale (experiments/replays: +3 held leave-one-plan-out on a set where every binding target
    with a forecast was met). Returns new rows; the caller states that the correction was applied."""
    out = []
    for r in rows:
        r2 = ReplayRow(**r.to_dict())
        if r.attribute == "约束性" and r.probability is not None:
            p = min(max(float(r.probability), 0.01), 0.99)
            r2.probability = float(1 / (1 + np.exp(-(np.log(p / (1 - p)) + shift))))
            r2.band = fz.band(r2.probability)
            r2.at_risk = r2.band in fz.AT_RISK_BANDS
        out.append(r2)
    return out


def brier_summary(rows: Sequence[ReplayRow]) -> dict:
    """Brier scores of the service, the CAGR rule, the time-progress rule and the outcome frequency on
    the rows where the service gives a probability and both rules a prediction (the same rows for all)."""
    scored = [
        r
        for r in rows
        if r.probability is not None and r.met is not None and r.cagr_met is not None and r.progress_met is not None
    ]
    out = {"targets": len({(r.plan_id, r.target_id) for r in rows}), "rows": len(rows), "scored": len(scored)}
    if not scored:
        return out
    o = np.array([float(r.met) for r in scored])
    cases = {(r.plan_id, r.target_id): r.met for r in rows if r.met is not None}
    plans = {plan for plan, _ in cases}
    scores = (
        ("service", [r.probability for r in scored]),
        ("cagr", [float(r.cagr_met) for r in scored]),
        ("progress", [float(r.progress_met) for r in scored]),
    )
    if len(plans) > 1:  # the outcome frequency of the other plans: a case never informs its own yardstick
        base = {pl: float(np.mean([float(m) for (p2, _), m in cases.items() if p2 != pl])) for pl in plans}
        scores += (("frequency", [base[r.plan_id] for r in scored]),)
    for name, p in scores:
        out[name] = float(np.mean((np.asarray(p, dtype=float) - o) ** 2))
    return out


def _mark(v: Optional[bool]) -> str:
    return "·" if v is None else ("✓" if v else "✗")


def format_rows(rows: Sequence[ReplayRow]) -> str:
    """A table: one line per target and as-of point, P(met) beside the two rules and the outcome."""
    head = f"{'target':<24} {'as of':<10} {'ahead':>5} {'P(met)':>6} {'band':<14} {'CAGR':>4} {'时序':>4}  outcome"
    lines = [head, "-" * len(head)]
    for r in rows:
        p = "—" if r.probability is None else fz.format_probability(r.probability)
        outcome = "?" if r.met is None else f"{r.outcome:g} {'met' if r.met else 'missed'}"
        lines.append(
            f"{r.target_id[:24]:<24} {r.as_of:<10} {r.years_ahead:>5} {p:>6} {(r.band or r.status)[:14]:<14} "
            f"{_mark(r.cagr_met):>4} {_mark(r.progress_met):>4}  {outcome}"
        )
    return "\n".join(lines)


def format_summary(s: dict) -> str:
    if not s.get("scored"):
        return f"{s['targets']} targets, {s['rows']} replayed points; none with a probability and both rules"
    freq = f" | outcome frequency {s['frequency']:.3f}" if "frequency" in s else ""
    return (
        f"{s['targets']} targets, {s['rows']} replayed points, {s['scored']} scored: Brier service "
        f"{s['service']:.3f} | CAGR rule {s['cagr']:.3f} | 时序进度 {s['progress']:.3f}{freq} (lower is better)"
    )


# The demo replays these plans live (12 of the set's cases; the full set takes about a minute, see
# experiments/replays/RESULTS.md): two missed quality targets, three air targets, three 十三五 targets
# and two government work reports.
DEMO_PLANS = ("replay-cn-air10", "replay-cn-quality13", "replay-cn-fyp13", "replay-cn-gwr2021", "replay-cn-gwr2022")


def demo_lines(db_path: Path, folder: Path, n_paths: int = 500, plans: Sequence[str] = DEMO_PLANS):
    """One screen on the replay set: lines to print. Builds its own store at `db_path` (the replay series
    must not join the demo store's pooled back-tests) and replays `plans` live."""
    import time

    from forecast.store import Store

    if db_path.exists():
        db_path.unlink()
    store = Store(f"sqlite:///{db_path}")
    ids, kinds = load_replay_set(store, folder)
    n_cases = sum(len([t for t in store.plan(i).targets if t.outcome is not None]) for i in ids)
    t0 = time.perf_counter()
    rows = []
    lines = [
        f"{'replayed plan':<26} {'targets':>7} {'met':>4} {'scored':>6} {'service':>8} {'CAGR':>6} {'时序进度':>6}"
    ]
    for plan_id in [p for p in plans if p in ids]:
        plan_rows = replay_plan(store, plan_id, n_paths=n_paths, kinds=kinds)
        rows += plan_rows
        s = brier_summary(plan_rows)
        met = len({r.target_id for r in plan_rows if r.met})
        scores = " ".join(
            f"{s[k]:>{w}.3f}" if k in s else f"{'—':>{w}}" for k, w in (("service", 8), ("cagr", 6), ("progress", 8))
        )
        lines.append(f"{plan_id[:26]:<26} {s['targets']:>7} {met:>4} {s['scored']:>6} {scores}")
    took = time.perf_counter() - t0
    head = (
        f"replay set ({folder}): {n_cases} real targets with known outcomes in {len(ids)} plans; "
        f"replayed live here: {len({(r.plan_id, r.target_id) for r in rows})} of them ({took:.0f} s, "
        f"{n_paths} paths). The full set's table: experiments/replays/RESULTS.md"
    )
    return (
        [head]
        + lines
        + [
            "all replayed: " + format_summary(brier_summary(rows)),
            "(Brier of P(met) against what happened; `forecast replay PLAN` lists every target and year)",
        ]
    )
