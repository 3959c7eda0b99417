"""Target semantics: from a target and simulated paths to a probability, intervals and the
official-style progress category, side by side.

Every target becomes a statement about annual values: "the target-year value is at least v",
"every year up to T is at least v", "the target-year value is p% below the base-year value". Its
probability is the share of paths for which the statement holds.
"""
from __future__ import annotations

import enum
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from .schema import Comparator, Direction, Indicator, Target


class Status(str, enum.Enum):
    forecast = "forecast"  # a probability from simulated paths
    already_met = "already_met"  # the latest value meets it; the probability says whether it holds
    observed = "observed"  # the target year is in the data: compare with the actual
    too_few_points = "too_few_points"
    qualitative = "qualitative"
    no_year = "no_year"
    no_series = "no_series"
    no_base_value = "no_base_value"
    unit_mismatch = "unit_mismatch"
    year_missing = "year_missing"  # the target year is inside the observed span but has no value
    failed = "failed"  # the assessment itself raised: reported for this target, the run goes on
    model_failed = "model_failed"


MIN_POINTS = 3

# IPCC calibrated language: (lower bound of P, key, en, zh), first match wins.
BANDS = (
    (0.90, "very_likely", "very likely", "很可能"),
    (0.66, "likely", "likely", "可能"),
    (0.33, "about_even", "about as likely as not", "不确定"),
    (0.10, "unlikely", "unlikely", "不太可能"),
    (0.00, "very_unlikely", "very unlikely", "很不可能"),
)

# Open SDG / Statistics Canada progress categories from R = observed CAGR / required CAGR.
CATEGORIES = {
    "achieved": ("target achieved", "已达标"),
    "on_track": ("on track", "按进度"),
    "acceleration_needed": ("acceleration needed", "需加速"),
    "limited_progress": ("limited progress", "进展有限"),
    "deterioration": ("deterioration", "倒退"),
    "not_computable": ("not computable", "无法计算"),
}


@dataclass(frozen=True)
class Rule:
    """The test a target's annual values must pass: `sense` against `threshold`, in `years`."""

    sense: str  # ">=" or "<="
    threshold: float
    years: tuple[int, ...]  # every one of these years must pass (one year unless "maintain")

    def holds(self, values: np.ndarray) -> np.ndarray:
        return values >= self.threshold - 1e-9 if self.sense == ">=" else values <= self.threshold + 1e-9


# Below 66% "likely" no longer holds: a planner must look at these (and at targets already missed).
AT_RISK_BANDS = frozenset({"about_even", "unlikely", "very_unlikely"})


def at_risk(result: dict) -> bool:
    """A stored assessment that needs attention: missed in an observed target year, or less than likely."""
    if result.get("status") == "observed":
        return result.get("actual_met") is False
    return result.get("band") in AT_RISK_BANDS


def tally(results: Sequence[dict]) -> Counter:
    """Stored assessments counted by likelihood band (forecasts), observed met / missed, and not assessed."""
    counts: Counter = Counter()
    for r in results:
        if r.get("status") == "observed":
            if r.get("actual_met") is not None:
                counts["observed_met" if r["actual_met"] else "observed_missed"] += 1
        elif r.get("band"):
            counts[r["band"]] += 1
        elif r.get("probability") is None:
            counts["not_assessed"] += 1
    return counts


def band(p: float) -> tuple[str, str, str]:
    for lower, key, en, zh in BANDS:
        if p >= lower:
            return key, en, zh
    return BANDS[-1][1:]


def format_probability(p: float) -> str:
    """Percent, without claiming certainty a finite number of paths cannot show."""
    text = f"{p:.0%}"
    return "<1%" if text == "0%" else ">99%" if text == "100%" else text


def _equals(p: float) -> str:
    return "" if format_probability(p)[0] in "<>" else "= "


# "左右" without a stated tolerance: the value give or take 2% of it (documented in the README).
ABOUT_TOLERANCE = 0.02


def about_tolerance(target: Target) -> float:
    return target.tolerance if target.tolerance is not None else abs(float(target.value)) * ABOUT_TOLERANCE


def rule_for(target: Target, indicator: Indicator, history: pd.Series, first_year: int) -> Rule:
    """Turn the comparator into a rule on annual values; `history` is indexed by year.

    The target's value must already be in the series' unit (see `in_series_unit`). Raises
    LookupError when a base value the rule needs is neither in the data nor stated by the plan.
    """
    c, v, year = target.comparator, float(target.value), int(target.year)
    better = ">=" if indicator.direction is Direction.higher else "<="
    if c is Comparator.eq:  # "达到 X" means reaching X from the side the indicator improves on
        return Rule(better, v, (year,))
    if c is Comparator.about:  # "X 左右": X give or take the tolerance; overshooting the better way counts
        tol = about_tolerance(target)
        return Rule(better, v - tol if better == ">=" else v + tol, (year,))
    if c is Comparator.ge:
        return Rule(">=", v, (year,))
    if c is Comparator.le:
        return Rule("<=", v, (year,))
    if c in (Comparator.maintain_ge, Comparator.maintain_le):
        years = tuple(range(min(first_year, year), year + 1))
        return Rule(">=" if c is Comparator.maintain_ge else "<=", v, years)
    base = base_value(target, history)
    if c is Comparator.reduce_by_pct:
        return Rule("<=", base * (1 - v / 100), (year,))
    if c is Comparator.increase_by_pct:
        return Rule(">=", base * (1 + v / 100), (year,))
    # avg_growth>=: compound growth of at least v% a year from the base year to the target year
    return Rule(">=", base * (1 + v / 100) ** (year - int(target.base_year)), (year,))


def base_value(target: Target, history: pd.Series) -> float:
    """The base-year value: observed when the data has it, else the value the plan states."""
    if target.base_year is None:
        raise LookupError(f"target {target.id} ({target.comparator.value}) names no base year")
    if target.base_year in history.index:
        return float(history[target.base_year])
    if target.base_value is not None:
        return float(target.base_value)
    observed = f"{history.index[0]}–{history.index[-1]}" if len(history) else "none"
    raise LookupError(f"the base year {target.base_year} is not in the data (years observed: {observed}) "
                      f"and the plan states no base_value")


def in_series_unit(target: Target, indicator: Indicator) -> Target:
    """The target with its levels (value, base value, tolerance) in the series' unit.

    Relative targets (reduce/increase by p%, average growth) keep their percentage; their `unit`
    usually names that percentage, and then a stated base value is read in the series' unit. When
    their unit is a level unit that converts to the series' (亿元 against 万元), the base value is
    converted. Raises units.UnitError when a level target's unit measures something else.
    """
    from .units import UnitError, factor

    if target.comparator is Comparator.qualitative:
        return target
    if target.relative:
        if target.base_value is None:
            return target
        try:
            k = factor(target.unit, indicator.unit)
        except UnitError:  # the unit is the percentage's, not the base value's
            return target
        return target if k == 1.0 else target.model_copy(update={"base_value": target.base_value * k})
    k = factor(target.unit, indicator.unit)
    if k == 1.0:
        return target
    scaled = {name: getattr(target, name) * k for name in ("value", "base_value", "tolerance", "outcome")
              if getattr(target, name) is not None}
    return target.model_copy(update=scaled | {"unit": indicator.unit})


def cagr(v0: float, v1: float, years: float) -> Optional[float]:
    if years <= 0 or v0 <= 0 or v1 <= 0:
        return None
    return (v1 / v0) ** (1 / years) - 1


def reference_year(history: pd.Series, base_year: Optional[int]) -> int:
    """The year progress is measured from: the target's base year when observed before the latest
    value, else the first observed year."""
    return base_year if base_year in history.index and base_year < history.index[-1] else int(history.index[0])


def official_category(history: pd.Series, rule: Rule, target_year: int, base_year: Optional[int]) -> dict:
    """Open SDG / Statistics Canada: R = observed CAGR (base → latest) / required CAGR (base → target)."""
    latest_year, latest = int(history.index[-1]), float(history.iloc[-1])
    if rule.holds(np.array([latest]))[0]:
        return {"category": "achieved", "ratio": None, "observed_cagr": None, "required_cagr": None}
    t0 = reference_year(history, base_year)
    observed = cagr(float(history[t0]), latest, latest_year - t0)
    required = cagr(float(history[t0]), rule.threshold, target_year - t0)
    if observed is None or required is None or abs(required) < 1e-12:
        return {"category": "not_computable", "ratio": None, "observed_cagr": observed, "required_cagr": required}
    ratio = observed / required
    category = ("on_track" if ratio >= 0.95 else "acceleration_needed" if ratio >= 0.6
                else "limited_progress" if ratio >= 0 else "deterioration")
    return {"category": category, "ratio": ratio, "observed_cagr": observed, "required_cagr": required}


@dataclass
class Assessment:
    target_id: str
    status: Status
    message_en: str
    message_zh: str
    series_id: Optional[str] = None
    sense: Optional[str] = None
    threshold: Optional[float] = None
    target_year: Optional[int] = None
    latest_year: Optional[int] = None
    latest_value: Optional[float] = None
    n_points: int = 0
    probability: Optional[float] = None
    band: Optional[str] = None
    median: Optional[float] = None
    interval80: Optional[tuple[float, float]] = None
    interval95: Optional[tuple[float, float]] = None
    required_change: Optional[float] = None  # CAGR needed from the latest value to the threshold
    historical_change: Optional[float] = None  # CAGR from the reference year to the latest
    official: dict = field(default_factory=dict)
    actual: Optional[float] = None  # the observed or recorded outcome, when there is one
    actual_met: Optional[bool] = None
    by_model: dict = field(default_factory=dict)  # model -> probability, or "failed: why"
    notes: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # statement() of each restatement that says something else

    def to_dict(self) -> dict:
        d = asdict(self)
        d["status"] = self.status.value
        return d


def note(en: str, zh: str) -> dict:
    """A note on an assessment, in both report languages."""
    return {"en": en, "zh": zh}


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
    from .units import UnitError, factor

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
