"""Assembling an assessment: from a rule and annual path values (or the observed years) to the result.

An assessment is a state plus the numbers that state speaks of; `forecast.report.wording` words it."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from forecast.defaults import MIN_POINTS
from forecast.schema import Comparator, Target
from forecast.targets.feasibility import rules
from forecast.targets.feasibility.bands import band
from forecast.targets.feasibility.progress import cagr, official_category, reference_year, steps, time_progress
from forecast.targets.feasibility.rules import Rule, in_series_unit
from forecast.targets.feasibility.simulated import SeriesForecast
from forecast.targets.feasibility.types import Assessment, Status, note
from forecast.units import UnitError

MAINTAIN = (Comparator.maintain_ge, Comparator.maintain_le)


def not_assessable(target: Target, status: Status, **params) -> Assessment:
    extra = {k: params.pop(k) for k in ("n_points", "latest_year", "latest_value", "by_model") if k in params}
    return Assessment(target.id, status, params, series_id=target.series_id, target_year=target.year, **extra)


def _span(rule: Rule) -> list[int]:
    return [rule.years[0], rule.years[-1]]


def _first_failure(rule: Rule, history: pd.Series) -> Optional[tuple[int, float]]:
    """The first observed year of the rule's years whose value fails it (years without a value are skipped)."""
    for year in rule.years:
        if year in history.index and not rule.holds(np.array([float(history[year])]))[0]:
            return int(year), float(history[year])
    return None


def _period_base(
    target: Target, history: pd.Series, period_start: Optional[int]
) -> tuple[Optional[int], Optional[float]]:
    """The year and value time-elapsed progress starts from: the target's base year, else the year before
    the plan period; its value observed, else the one the plan states."""
    year = target.base_year if target.base_year is not None else (period_start - 1 if period_start else None)
    if year is None:
        return None, None
    if year in history.index:
        return year, float(history[year])
    return (
        (year, float(target.base_value)) if target.base_value is not None and target.base_year == year else (year, None)
    )


def assess(
    target: Target,
    rule: Rule,
    history: pd.Series,
    year_values: np.ndarray,
    base_year: Optional[int],
    by_model: dict,
    notes: list,
    period_start: Optional[int] = None,
) -> Assessment:
    """The assessment from annual path values: `year_values[:, j]` is year `rule.years[j]`'s
    simulated value (observed years are broadcast), `history` the annual observations by year."""
    latest_year, latest = int(history.index[-1]), float(history.iloc[-1])
    year = int(rule.years[-1])  # the target year
    final = year_values[:, -1]
    p = float(np.mean(np.all(rule.holds(year_values), axis=1)))
    q = np.quantile(final, [0.025, 0.1, 0.5, 0.9, 0.975])
    met_now = bool(rule.holds(np.array([latest]))[0])
    t0 = reference_year(history, base_year)
    years_left = year - latest_year
    average, best = steps(history, rule.sense)
    start_year, start_value = _period_base(target, history, period_start)
    maintain = target.comparator in MAINTAIN
    return Assessment(
        target.id,
        Status.already_met if met_now else Status.forecast,
        {"maintain": maintain, "years": _span(rule)},
        series_id=target.series_id,
        sense=rule.sense,
        threshold=rule.threshold,
        target_year=year,
        latest_year=latest_year,
        latest_value=latest,
        n_points=len(history),
        probability=p,
        band=band(p),
        median=float(q[2]),
        interval80=(float(q[1]), float(q[3])),
        interval95=(float(q[0]), float(q[4])),
        # Once the latest value meets the bar no change is "required": a signed rate would read as a demand.
        required_change=None if met_now else cagr(latest, rule.threshold, years_left),
        historical_change=cagr(float(history[t0]), latest, latest_year - t0),
        required_step=None if met_now else (rule.threshold - latest) / years_left,
        average_step=average,
        best_step=best,
        official=official_category(history, rule, year, base_year),
        progress=time_progress(
            start_value, latest, rule.threshold, rule.sense, start_year, latest_year, year, maintain
        ),
        by_model=by_model,
        notes=list(notes),
    )


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
        result.notes.append(note("outcome_later", years=_span(rule)))
    return result


def assess_observed(target: Target, rule: Rule, history: pd.Series) -> Assessment:
    """The target year is already in the data: say what happened (every observed year of a "maintain" period)."""
    failure = _first_failure(rule, history)
    actual = float(history[target.year])
    params = {"years": _span(rule), "maintain": target.comparator in MAINTAIN}
    if failure is not None and failure[0] != target.year:
        params |= {"failed_year": failure[0], "failed_value": failure[1]}
    return Assessment(
        target.id,
        Status.observed,
        params,
        series_id=target.series_id,
        sense=rule.sense,
        threshold=rule.threshold,
        target_year=target.year,
        latest_year=int(history.index[-1]),
        latest_value=float(history.iloc[-1]),
        n_points=len(history),
        actual=actual,
        actual_met=failure is None,
    )


def assess_reported(target: Target, s: Optional[SeriesForecast], period_start: Optional[int] = None) -> Assessment:
    """One target's assessment; an unexpected error is that target's result, never the whole run's."""
    try:
        return assess_target(target, s, period_start)
    except Exception as exc:
        return not_assessable(target, Status.failed, error=f"{type(exc).__name__}: {exc}")


def assess_target(target: Target, s: Optional[SeriesForecast], period_start: Optional[int] = None) -> Assessment:
    """`period_start`: the plan period's first year. A "maintain" target must hold in every year from the
    year after its base year, else from `period_start`, else in the years not yet observed."""
    na = not_assessable
    if target.comparator.value == "qualitative":
        return na(target, Status.qualitative)
    if target.year is None:
        return na(target, Status.no_year)
    if s is None:
        return na(target, Status.no_series, series_id=target.series_id)
    stated = target
    try:
        target = in_series_unit(target, s.indicator)
    except UnitError as exc:
        return na(target, Status.unit_mismatch, target_unit=stated.unit, series_unit=s.indicator.unit, error=str(exc))
    hist = s.annual
    # The models need MIN_POINTS on their (gap-filled) grid; below it no gap can be inside, so the count
    # said is the observations'. A filled period is never counted as an observation (n_points, notes).
    if len(s.history) < MIN_POINTS or len(hist) == 0:
        return na(target, Status.too_few_points, n=s.n_observed, needed=MIN_POINTS, n_points=s.n_observed)
    latest_year = int(hist.index[-1])
    if target.base_year is not None:  # the target's own base year says where its period starts
        period_start = target.base_year + 1
    try:
        rule = rules.rule_for(
            target, s.indicator, hist, first_year=min(period_start or latest_year + 1, latest_year + 1)
        )
    except LookupError as exc:
        observed = [int(hist.index[0]), latest_year]
        return na(target, Status.no_base_value, base_year=target.base_year, observed=observed, error=str(exc))
    assert target.year is not None  # checked above; the unit conversion keeps it
    year = int(target.year)
    if year <= latest_year:
        if year not in hist.index:  # a gap in the data, or before it starts: nothing to compare
            near = [int(y) for y in hist.index if abs(y - target.year) <= 2]
            return na(
                target,
                Status.year_missing,
                year=target.year,
                near=near,
                first_year=int(hist.index[0]),
                before_data=bool(target.year < hist.index[0]),
                n_points=len(hist),
                latest_year=latest_year,
                latest_value=float(hist.iloc[-1]),
            )
        return assess_observed(target, rule, hist)
    failure = _first_failure(rule, hist)
    if failure is not None:  # a "maintain" target already failed in an observed year: no forecast can undo it
        year, value = failure
        result = na(
            target,
            Status.broken,
            year=year,
            value=value,
            years=_span(rule),
            n_points=len(hist),
            latest_year=latest_year,
            latest_value=float(hist.iloc[-1]),
        )
        result.sense, result.threshold, result.actual, result.actual_met = rule.sense, rule.threshold, value, False
        result.probability = 0.0  # missed for certain: no path can undo an observed failure
        return result
    period = rule  # every observed year of it holds: the paths decide the years still ahead
    rule = Rule(rule.sense, rule.threshold, tuple(y for y in rule.years if y > latest_year))
    by_model: dict[str, float | str] = {
        m: float(np.mean(np.all(rule.holds(s.year_values(rule.years, p)), axis=1))) for m, p in s.paths.items()
    }
    by_model |= {m: f"failed: {why}" for m, why in s.failures.items()}
    by_model |= {m: f"skipped, {why}" for m, why in s.skipped.items()}
    if s.combined is None:
        return na(target, Status.model_failed, why=s.failures | s.skipped, by_model=by_model)
    notes = []  # the combination weights are in the run's settings ("weights") and the report's model line
    if target.unit != stated.unit:
        notes.append(
            note("converted", value=stated.value, unit=stated.unit, to_value=target.value, to_unit=target.unit)
        )
    if s.filled:
        notes.append(note("gaps_filled", periods=list(s.filled)))
    if target.stand_in:
        notes.append(note("stand_in", series_en=s.indicator.name("en"), series_zh=s.indicator.name("zh")))
    result = assess(
        target, rule, hist, s.year_values(rule.years, s.combined), target.base_year, by_model, notes, period_start
    )
    result.params["years"] = _span(period)
    return with_outcome(result, target, period, s.later)
