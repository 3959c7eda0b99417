"""Assembling an assessment: from a rule and annual path values (or the observed year) to the result."""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from forecast.defaults import MIN_POINTS
from forecast.schema import Target
from forecast.targets.feasibility.bands import _equals, band, format_probability
from forecast.targets.feasibility.progress import cagr, official_category, reference_year
from forecast.targets.feasibility import rules
from forecast.targets.feasibility.rules import Rule, in_series_unit
from forecast.targets.feasibility.simulated import SeriesForecast
from forecast.targets.feasibility.types import Assessment, Status, note
from forecast.units import UnitError


def not_assessable(target: Target, status: Status, en: str, zh: str, **extra) -> Assessment:
    return Assessment(target.id, status, en, zh, series_id=target.series_id, target_year=target.year, **extra)

def assess(target: Target, rule: Rule, history: pd.Series, year_values: np.ndarray,
           base_year: Optional[int], by_model: dict, notes: list) -> Assessment:
    """The assessment from annual path values: `year_values[:, j]` is year `rule.years[j]`'s
    simulated value (observed years are broadcast), `history` the annual observations by year."""
    latest_year, latest = int(history.index[-1]), float(history.iloc[-1])
    final = year_values[:, -1]
    p = float(np.mean(np.all(rule.holds(year_values), axis=1)))
    key, en, zh = band(p)
    q = np.quantile(final, [0.025, 0.1, 0.5, 0.9, 0.975])
    official = official_category(history, rule, target.year, base_year)
    met_now = bool(rule.holds(np.array([latest]))[0])
    status = Status.already_met if met_now else Status.forecast
    t0 = reference_year(history, base_year)
    result = Assessment(
        target.id, status,
        message_en=(f"already met in {latest_year} ({latest:g}); " if met_now else "")
        + f"P(met in {target.year}) {_equals(p)}{format_probability(p)}, {en}",
        message_zh=(f"{latest_year}年已达标({latest:g});" if met_now else "")
        + f"{target.year}年达标概率 {format_probability(p)},{zh}",
        series_id=target.series_id, sense=rule.sense, threshold=rule.threshold, target_year=target.year,
        latest_year=latest_year, latest_value=latest, n_points=len(history), probability=p, band=key,
        median=float(q[2]), interval80=(float(q[1]), float(q[3])), interval95=(float(q[0]), float(q[4])),
        required_change=cagr(latest, rule.threshold, target.year - latest_year),
        historical_change=cagr(float(history[t0]), latest, latest_year - t0),
        official=official, by_model=by_model, notes=list(notes),
    )
    return result

def with_outcome(result: Assessment, target: Target, rule: Rule, later: pd.Series) -> Assessment:
    """Attach what happened, for replays of history: the outcome the plan file records, else the
    linked series' values from data beyond the as-of date (`later`, by year). A "maintain" target is
    judged on every year it covers, and only when all of them are known."""
    if target.outcome is not None and rule.years == (target.year,):
        result.actual = float(target.outcome)
        result.actual_met = bool(rule.holds(np.array([target.outcome]))[0])
        return result
    values = np.array([later.get(y, np.nan) for y in rule.years], dtype=float)
    if len(values) and not np.isnan(values).any():
        result.actual = float(values[-1])
        result.actual_met = bool(np.all(rule.holds(values)))
        years = f"{rule.years[0]}–{rule.years[-1]}" if len(rule.years) > 1 else str(target.year)
        result.notes.append(note(f"outcome from the linked series' {years} values, known after the as-of date",
                                 f"实际结果取自关联序列 {years} 年的数值(在评估截止日之后才得知)"))
    return result

def assess_observed(target: Target, rule: Rule, history: pd.Series) -> Assessment:
    """The target year is already in the data: say what happened."""
    values = np.array([history.get(y, np.nan) for y in rule.years], dtype=float)
    known = values[~np.isnan(values)]
    met = bool(np.all(rule.holds(known)))
    actual = float(history[target.year])
    word_en, word_zh = ("met", "已达成") if met else ("not met", "未达成")
    return Assessment(
        target.id, Status.observed,
        f"target year {target.year} observed: {actual:g} vs {rule.sense} {rule.threshold:g}, {word_en}",
        f"{target.year}年实际值 {actual:g},目标 {rule.sense} {rule.threshold:g},{word_zh}",
        series_id=target.series_id, sense=rule.sense, threshold=rule.threshold, target_year=target.year,
        latest_year=int(history.index[-1]), latest_value=float(history.iloc[-1]), n_points=len(history),
        actual=actual, actual_met=met,
    )


def assess_reported(target: Target, s: Optional[SeriesForecast]) -> Assessment:
    """One target's assessment; an unexpected error is that target's result, never the whole run's."""
    try:
        return assess_target(target, s)
    except Exception as exc:
        why = f"{type(exc).__name__}: {exc}"
        return not_assessable(target, Status.failed, f"assessment failed: {why}", f"评估出错:{why}")


def assess_target(target: Target, s: Optional[SeriesForecast]) -> Assessment:
    na = not_assessable
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
        target = in_series_unit(target, s.indicator)
    except UnitError as exc:
        return na(target, Status.unit_mismatch, f"{exc}: the target cannot be tested on series {target.series_id}",
                  f"目标单位({stated.unit})与序列单位({s.indicator.unit})不一致,无法换算")
    hist = s.annual
    if len(s.history) < MIN_POINTS or len(hist) == 0:
        return na(target, Status.too_few_points,
                  f"{len(s.history)} observation(s); at least {MIN_POINTS} are needed",
                  f"仅有 {len(s.history)} 个观测值,至少需要 {MIN_POINTS} 个", n_points=len(s.history))
    latest_year = int(hist.index[-1])
    try:
        rule = rules.rule_for(target, s.indicator, hist, first_year=latest_year + 1)
    except LookupError as exc:
        return na(target, Status.no_base_value, str(exc), f"缺少基期({target.base_year}年)数据")
    if target.year <= latest_year:
        if target.year not in hist.index:  # inside the observed span, but a gap: nothing to compare
            near = ", ".join(str(y) for y in hist.index if abs(y - target.year) <= 2)
            return na(target, Status.year_missing,
                      f"the target year {target.year} is within the data but not observed (nearby years: {near or 'none'})",
                      f"目标年 {target.year} 年在数据区间内但无观测值(相邻年份:{near or '无'})",
                      n_points=len(hist), latest_year=latest_year, latest_value=float(hist.iloc[-1]))
        return assess_observed(target, rule, hist)
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
        notes.append(note(f"target value {stated.value:g} {stated.unit} converted to {target.value:g} {target.unit}",
                             f"目标值 {stated.value:g} {stated.unit} 已换算为 {target.value:g} {target.unit}"))
    if s.filled:
        notes.append(note(f"gaps filled by interpolation for the models: {', '.join(s.filled)}",
                             f"模型使用的缺失期已插值补齐:{'、'.join(s.filled)}"))
    if target.stand_in:
        notes.append(note(f"stand-in series: {s.indicator.name('en')} measures this target only approximately",
                             f"替代序列:{s.indicator.name('zh')}仅近似衡量此目标"))
    result = assess(target, rule, hist, s.year_values(rule.years, s.combined), target.base_year, by_model, notes)
    return with_outcome(result, target, rule, s.later)
