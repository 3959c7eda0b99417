"""The official progress categories statistics offices score with (Open SDG / Statistics Canada CAGR ratio)."""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from forecast.targets.feasibility.rules import Rule

# Open SDG / Statistics Canada progress categories from R = observed CAGR / required CAGR.
CATEGORIES = {
    "achieved": ("target achieved", "已达标"),
    "on_track": ("on track", "按进度"),
    "acceleration_needed": ("acceleration needed", "需加速"),
    "limited_progress": ("limited progress", "进展有限"),
    "deterioration": ("deterioration", "倒退"),
    "not_computable": ("not computable", "无法计算"),
}

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
