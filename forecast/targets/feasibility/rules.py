"""From a target to the rule its annual values must pass: comparator, threshold, years, units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.schema import Comparator, Direction, Indicator, Target


@dataclass(frozen=True)
class Rule:
    """The test a target's annual values must pass: `sense` against `threshold`, in `years`."""

    sense: str  # ">=" or "<="
    threshold: float
    years: tuple[int, ...]  # every one of these years must pass (one year unless "maintain")

    def holds(self, values: np.ndarray) -> np.ndarray:
        return values >= self.threshold - 1e-9 if self.sense == ">=" else values <= self.threshold + 1e-9


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
    raise LookupError(
        f"the base year {target.base_year} is not in the data (years observed: {observed}) "
        f"and the plan states no base_value"
    )


def in_series_unit(target: Target, indicator: Indicator) -> Target:
    """The target with its levels (value, base value, tolerance) in the series' unit.

    Relative targets (reduce/increase by p%, average growth) keep their percentage; their `unit`
    usually names that percentage, and then a stated base value is read in the series' unit. When
    their unit is a level unit that converts to the series' (亿元 against 万元), the base value is
    converted. Raises units.UnitError when a level target's unit measures something else.
    """
    from forecast.units import UnitError, factor

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
    scaled = {
        name: getattr(target, name) * k
        for name in ("value", "base_value", "tolerance", "outcome")
        if getattr(target, name) is not None
    }
    return target.model_copy(update=scaled | {"unit": indicator.unit})
