"""One feasibility run: every target of a plan, from the store's data as of a date, to the store.

Per linked series, every candidate model simulates paths; the paths are combined with weights from
pooled back-test skill and stretched by the back-test spread calibration (see `evidence`), and each
target's probability is a count over those paths. This is the library function behind `forecast run`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np
import pandas as pd

from . import catalogue
from . import feasibility as fz
from .combine import Ensemble
from .evidence import gather, skill_summary
from .feasibility import Assessment, Status
from .forecasters import Bounded, Forecaster
from .schema import Indicator, Plan, Target
from .series import annual, annual_paths, as_of_date, regularize, steps_to_year_end, to_series
from .store import Store
from .transforms import for_bounds
from .units import UnitError

FAN_LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)


@dataclass
class SeriesForecast:
    """Everything simulated for one series: history, paths per model, the combined paths."""

    indicator: Indicator
    history: pd.Series  # as observed (possibly sub-annual), gap-filled for the models
    annual: pd.Series  # observed annual values by year (gaps left as gaps)
    paths: dict[str, np.ndarray] = field(default_factory=dict)
    combined: Optional[np.ndarray] = None  # weighted, calibrated mixture: what the assessment uses
    weights: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # model -> error: it tried and failed
    skipped: dict[str, str] = field(default_factory=dict)  # model -> why it does not apply to this series
    filled: list[str] = field(default_factory=list)
    later: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))  # annual values after the as-of date

    def year_values(self, years: Sequence[int], paths: np.ndarray) -> np.ndarray:
        """(n_paths, len(years)) annual values: observed years broadcast, later years from `paths`."""
        latest = int(self.annual.index[-1]) if len(self.annual) else -1
        columns = []
        for year in years:
            if year <= latest and year in self.annual.index:
                columns.append(np.full(len(paths), float(self.annual[year])))
            else:
                columns.append(annual_paths(self.history, paths, year, self.indicator.aggregation))
        return np.column_stack(columns)


@dataclass
class RunResult:
    run_id: str
    plan: Plan
    as_of: Optional[dt.date]
    settings: dict
    data_hash: str
    assessments: list[Assessment]
    series: dict[str, SeriesForecast]
    fans: list[dict]
    evidence: Ensemble
    evidence_failures: pd.DataFrame
    mlflow_run_id: Optional[str] = None


def run_plan(store: Store, plan_id: str, as_of: Optional[str | int | dt.date] = None,
             models: Optional[Sequence[str]] = None, n_paths: int = 2000, seed: int = 20170101,
             progress: Optional[Callable[[str, str, int, int], None]] = None) -> RunResult:
    """`progress(stage, series_id, done, total)`, when given, hears of each series back-tested and simulated."""
    plan = store.plan(plan_id)
    tell = progress or (lambda stage, item, done, total: None)
    as_of_day = as_of_date(as_of)
    candidates = catalogue.instantiate(models)  # unknown names fail before any work
    indicators = store.indicators()
    horizons = _horizon_years(plan.targets)
    series: dict[str, SeriesForecast] = {}
    observed_rows: list[tuple] = []
    for sid in horizons:
        if sid not in indicators:
            continue
        ind = indicators[sid]
        raw = to_series(store.observations(sid, known_by=as_of_day), ind, as_of_day)
        observed_rows += [(sid, str(p), v) for p, v in raw.items()]
        regular = regularize(raw, ind)
        series[sid] = SeriesForecast(ind, regular.y, annual(raw, ind), filled=regular.filled)
        if as_of_day is not None:  # what happened next, to set beside a replayed forecast
            series[sid].later = annual(to_series(store.observations(sid), ind), ind)

    to_simulate = {sid: last for sid, last in horizons.items() if sid in series
                   and len(series[sid].history) >= fz.MIN_POINTS and len(series[sid].annual)
                   and last > series[sid].annual.index[-1]}
    years_ahead = max((last - int(series[sid].annual.index[-1]) for sid, last in to_simulate.items()), default=1)
    evidence, evidence_failures = gather(store, indicators, candidates, min(years_ahead, 10), as_of_day, seed=seed,
                                         on_series=lambda sid, done, total: tell("back-test", sid, done, total))
    for done, (sid, last_year) in enumerate(to_simulate.items()):
        tell("simulate", sid, done, len(to_simulate))
        _simulate(series[sid], candidates, last_year, n_paths, _rng(seed, sid))
        _combine(sid, series[sid], evidence, n_paths)

    assessments = [_assess_reported(t, series.get(t.series_id or "")) for t in plan.targets]
    fz.flag_restatements(plan.targets, assessments)
    settings = {"plan": plan.id, "as_of": as_of_day.isoformat() if as_of_day else None,
                "models": list(candidates), "n_paths": n_paths, "seed": seed,
                "calibration": evidence.mixture.to_dict(), "backtest": skill_summary(evidence, list(series)),
                "weights": {sid: s.weights for sid, s in series.items() if s.weights}}
    data_hash = hashlib.sha256(repr(sorted(observed_rows)).encode()).hexdigest()
    run_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    fans = [f for sid, s in series.items() for f in _fan(sid, s)]
    store.save_run(
        {"id": run_id, "plan_id": plan.id, "as_of": as_of_day, "created_at": dt.datetime.now(),
         "settings": settings, "data_hash": data_hash},
        [a.to_dict() for a in assessments], fans)
    return RunResult(run_id, plan, as_of_day, settings, data_hash, assessments, series, fans, evidence,
                     evidence_failures)


def _horizon_years(targets: Sequence[Target]) -> dict[str, int]:
    """For each linked series, the last year any of its targets speaks of."""
    out: dict[str, int] = {}
    for t in targets:
        if t.series_id and t.assessable:
            out[t.series_id] = max(out.get(t.series_id, 0), int(t.year))
    return out


def _rng(seed: int, series_id: str) -> np.random.Generator:
    # One stream per series, so adding a target elsewhere does not change this series' paths.
    return np.random.default_rng([seed, zlib.crc32(series_id.encode())])


def _simulate(s: SeriesForecast, candidates: dict[str, Forecaster], last_year: int, n_paths: int,
              rng: np.random.Generator) -> None:
    h = steps_to_year_end(s.history.index[-1], last_year)
    for name, base in candidates.items():
        model = Bounded(base, s.indicator.lower, s.indicator.upper)  # fits a fresh copy; `base` stays unfitted
        if (why := model.not_applicable(s.history)) is not None:
            s.skipped[name] = why
            continue
        try:
            s.paths[name] = model.fit(s.history).sample_paths(h, n_paths, rng)
        except Exception as exc:  # one model failing must not sink the run: it is reported per series
            s.failures[name] = f"{type(exc).__name__}: {exc}"


def _combine(sid: str, s: SeriesForecast, ensemble: Ensemble, n_paths: int) -> None:
    """Weighted mixture of the models' paths, calibrated on the model scale (so it stays in bounds)."""
    if not s.paths:
        return
    w = ensemble.weights_for(sid, list(s.paths))
    s.weights = {m: float(v) for m, v in w.items() if v > 0}
    stacked = np.concatenate([s.paths[m][:max(int(round(v * n_paths)), 1)] for m, v in s.weights.items()])
    transform = for_bounds(s.indicator.lower, s.indicator.upper)
    per_year = s.indicator.frequency.periods_per_year
    s.combined = transform.inverse(ensemble.mixture.apply_paths(transform.forward(stacked), per_year))


def _assess_reported(target: Target, s: Optional[SeriesForecast]) -> Assessment:
    """One target's assessment; an unexpected error is that target's result, never the whole run's."""
    try:
        return assess_target(target, s)
    except Exception as exc:
        why = f"{type(exc).__name__}: {exc}"
        return fz.not_assessable(target, Status.failed, f"assessment failed: {why}", f"评估出错:{why}")


def assess_target(target: Target, s: Optional[SeriesForecast]) -> Assessment:
    na = fz.not_assessable
    if target.comparator.value == "qualitative":
        return na(target, Status.qualitative, "qualitative target: not assessable from numbers",
                  "定性目标,无法量化评估")
    if target.year is None:
        return na(target, Status.no_year, "no target year stated", "未给出目标年份")
    if s is None:
        why = f"series {target.series_id!r} is not in the store" if target.series_id else "no series linked"
        return na(target, Status.no_series, why, "未关联数据序列" if not target.series_id else "数据库中无此序列")
    stated = target
    try:
        target = fz.in_series_unit(target, s.indicator)
    except UnitError as exc:
        return na(target, Status.unit_mismatch, f"{exc}: the target cannot be tested on series {target.series_id}",
                  f"目标单位({stated.unit})与序列单位({s.indicator.unit})不一致,无法换算")
    hist = s.annual
    if len(s.history) < fz.MIN_POINTS or len(hist) == 0:
        return na(target, Status.too_few_points,
                  f"{len(s.history)} observation(s); at least {fz.MIN_POINTS} are needed",
                  f"仅有 {len(s.history)} 个观测值,至少需要 {fz.MIN_POINTS} 个", n_points=len(s.history))
    latest_year = int(hist.index[-1])
    try:
        rule = fz.rule_for(target, s.indicator, hist, first_year=latest_year + 1)
    except LookupError as exc:
        return na(target, Status.no_base_value, str(exc), f"缺少基期({target.base_year}年)数据")
    if target.year <= latest_year:
        if target.year not in hist.index:  # inside the observed span, but a gap: nothing to compare
            near = ", ".join(str(y) for y in hist.index if abs(y - target.year) <= 2)
            return na(target, Status.year_missing,
                      f"the target year {target.year} is within the data but not observed (nearby years: {near or 'none'})",
                      f"目标年 {target.year} 年在数据区间内但无观测值(相邻年份:{near or '无'})",
                      n_points=len(hist), latest_year=latest_year, latest_value=float(hist.iloc[-1]))
        return fz.assess_observed(target, rule, hist)
    by_model = {m: float(np.mean(np.all(rule.holds(s.year_values(rule.years, p)), axis=1)))
                for m, p in s.paths.items()}
    by_model |= {m: f"failed: {why}" for m, why in s.failures.items()}
    by_model |= {m: f"skipped, {why}" for m, why in s.skipped.items()}
    if s.combined is None:
        return na(target, Status.model_failed,
                  "no model could forecast: " + "; ".join(f"{m} {why}" for m, why in (s.failures | s.skipped).items()),
                  "所有模型均无法预测", by_model=by_model)
    notes = []  # the combination weights are in the run's settings ("weights") and the report's model line
    if target.unit != stated.unit:
        notes.append(fz.note(f"target value {stated.value:g} {stated.unit} converted to {target.value:g} {target.unit}",
                             f"目标值 {stated.value:g} {stated.unit} 已换算为 {target.value:g} {target.unit}"))
    if s.filled:
        notes.append(fz.note(f"gaps filled by interpolation for the models: {', '.join(s.filled)}",
                             f"模型使用的缺失期已插值补齐:{'、'.join(s.filled)}"))
    if target.stand_in:
        notes.append(fz.note(f"stand-in series: {s.indicator.name('en')} measures this target only approximately",
                             f"替代序列:{s.indicator.name('zh')}仅近似衡量此目标"))
    result = fz.assess(target, rule, hist, s.year_values(rule.years, s.combined), target.base_year, by_model, notes)
    return fz.with_outcome(result, target, rule, s.later)


def _fan(sid: str, s: SeriesForecast) -> list[dict]:
    """Annual quantiles of the combined paths, for the fan charts."""
    if s.combined is None:
        return []
    last, horizon = s.history.index[-1], s.combined.shape[1]
    years, year = [], int(s.annual.index[-1]) + 1
    while steps_to_year_end(last, year) <= horizon:
        years.append(year)
        year += 1
    rows = []
    for year in years:
        qs = np.quantile(s.year_values([year], s.combined)[:, 0], FAN_LEVELS)
        rows.append({"series_id": sid, "period": str(year),
                     "quantiles": {str(level): float(v) for level, v in zip(FAN_LEVELS, qs, strict=True)}})
    return rows
