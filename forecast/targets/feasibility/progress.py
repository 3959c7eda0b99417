"""The official progress categories statistics offices score with (Open SDG / Statistics Canada CAGR ratio)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from forecast.targets.feasibility.rules import Rule

# Open SDG / Statistics Canada progress categories from R = observed CAGR / required CAGR (words: report.wording).
CATEGORIES = ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration", "not_computable")


def cagr(v0: float, v1: float, years: float) -> Optional[float]:
    if years <= 0 or v0 <= 0 or v1 <= 0:
        return None
    return (v1 / v0) ** (1 / years) - 1


def reference_year(history: pd.Series, base_year: Optional[int]) -> int:
    """The year progress is measured from: the target's base year when observed before the latest
    value, else the first observed year."""
    if base_year is not None and base_year in history.index and base_year < history.index[-1]:
        return int(base_year)
    return int(history.index[0])


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
    category = (
        "on_track"
        if ratio >= 0.95
        else "acceleration_needed"
        if ratio >= 0.6
        else "limited_progress"
        if ratio >= 0
        else "deterioration"
    )
    return {"category": category, "ratio": ratio, "observed_cagr": observed, "required_cagr": required}


# 时序进度 (time-elapsed progress), the convention of Chinese plans' 年度评估 and 中期评估 ("时间过半、任务过半"):
# the share of the way from the base value to the target covered by the latest value, against the share
# of the plan period elapsed. Behind exactly when progress < elapsed; ahead once the target level is
# reached before its year; on schedule in between. A "maintain" target has no way to cover: it is on
# schedule while the latest value holds it, behind when it does not.
TIME_PROGRESS = ("ahead", "on_schedule", "behind", "not_computable")


def time_progress(
    base: Optional[float],
    latest: float,
    threshold: float,
    sense: str,
    base_year: Optional[int],
    latest_year: int,
    target_year: int,
    maintain: bool = False,
) -> dict:
    """{"category", "progress" (share of the way covered), "elapsed" (share of the period gone)}.

    `sense` and `threshold` are the rule's (">=" or "<=", the level to reach, also for reduce-by and
    growth targets); `base` is the value in `base_year`, where the period starts.
    """
    none = {"category": "not_computable", "progress": None, "elapsed": None}
    if base is None or base_year is None or not base_year < latest_year < target_year or not np.isfinite(base):
        return none  # no time has elapsed yet, or the target year is past: nothing to set against the calendar
    elapsed = min(max((latest_year - base_year) / (target_year - base_year), 0.0), 1.0)
    d = 1.0 if sense == ">=" else -1.0
    meets = d * (latest - threshold) >= -1e-9
    needed = d * (threshold - base)
    if maintain or needed <= 1e-12:  # nothing to cover: the base already meets it (or it is to be held)
        share = 1.0 if meets else 0.0
        category = ("on_schedule" if maintain else "ahead") if meets else "behind"
        return {"category": category, "progress": share, "elapsed": elapsed}
    share = d * (latest - base) / needed
    category = "behind" if share < elapsed else "ahead" if meets and latest_year < target_year else "on_schedule"
    return {"category": category, "progress": float(share), "elapsed": elapsed}


def steps(history: pd.Series, sense: str) -> tuple[Optional[float], Optional[float]]:
    """(average, best) yearly change in the history, in the series' unit: the average over the years
    observed, and the largest one-year change the better way (`sense` ">=": up) between consecutive years."""
    years = np.asarray(history.index, dtype=int)
    values = np.asarray(history.values, dtype=float)
    if len(values) < 2:
        return None, None
    average = float((values[-1] - values[0]) / (years[-1] - years[0]))
    consecutive = np.diff(years) == 1
    if not consecutive.any():
        return average, None
    changes = np.diff(values)[consecutive]
    return average, float(changes.max() if sense == ">=" else changes.min())
